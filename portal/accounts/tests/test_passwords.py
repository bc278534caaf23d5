"""Password rules after NIST SP 800-63B: length matters, composition does not, the obvious is refused."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from portal.accounts.passwords import ContextWordsValidator, MaximumLengthValidator


def codes(password, user=None) -> set[str | None]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return {item.code for item in error.error_list}
    return set()


def test_a_long_passphrase_without_digits_symbols_or_capitals_is_accepted():
    assert codes("el perro de mi abuela ladra") == set()


def test_a_64_character_password_is_accepted_and_one_past_128_is_not():
    assert codes("x7 " * 21 + "q") == set()
    assert "password_too_long" in codes("a" * 129)


def test_fewer_than_12_characters_are_refused():
    assert "password_too_short" in codes("corto 12345")


def test_a_common_password_is_refused():
    assert "password_too_common" in codes("qwerty123456")


@pytest.mark.parametrize("password", ["Ventanilla2025!", "contraseña123456", "CONTRASENA_2024", "gob.mx 2025 2026"])
def test_the_portals_own_words_dressed_up_with_digits_are_refused(password):
    assert "password_context_word" in codes(password)


def test_a_password_close_to_the_persons_own_data_is_refused(db):
    user = get_user_model()(username="x", email="rosario.mendoza@example.mx", first_name="Rosario")
    assert "password_too_similar" in codes("rosario.mendoza", user)


@given(st.text(min_size=1, max_size=128))
def test_the_length_rule_never_refuses_up_to_128_characters(password):
    MaximumLengthValidator().validate(password)


@given(st.text(alphabet=st.characters(categories=["Nd", "P", "S", "Zs"]), max_size=40))
def test_digits_and_symbols_alone_are_not_a_context_word(password):
    ContextWordsValidator().validate(password)
