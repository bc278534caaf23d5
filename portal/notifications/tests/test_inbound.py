"""The language of SMS commands: normalising, parsing, the registry and the help text."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.notifications import inbound
from portal.notifications.sms import is_gsm7, sms_info, to_gsm7

ACCENTED = {"A": "AÁÀÂÄ", "E": "EÉÈÊË", "I": "IÍÌÎÏ", "O": "OÓÒÔÖ", "U": "UÚÙÛ"}


def _noisy_spelling(word: str, draw_case: list[bool], draw_accent: list[int]) -> str:
    out = []
    for index, char in enumerate(word):
        variants = ACCENTED.get(char, char)
        chosen = variants[draw_accent[index] % len(variants)]
        out.append(chosen.lower() if draw_case[index] else chosen)
    return "".join(out)


@given(
    word=st.sampled_from(["CITA", "CANCELAR", "ESTADO", "TURNO", "AYUDA"]),
    argument=st.text(alphabet="ABCDEFGHJKMNPQRSTVWXYZ0123456789-", min_size=1, max_size=20),
    cases=st.lists(st.booleans(), min_size=8, max_size=8),
    accents=st.lists(st.integers(min_value=0, max_value=4), min_size=8, max_size=8),
    before=st.sampled_from(["", " ", "  ", "\t", "\n"]),
    between=st.sampled_from([" ", "  ", "\t", " \n "]),
    after=st.sampled_from(["", " ", ".", "!", " \n"]),
)
def test_case_accents_and_spaces_do_not_change_a_command(word, argument, cases, accents, before, between, after):
    typed = f"{before}{_noisy_spelling(word, cases, accents)}{between}{argument.lower()}{after}"
    assert inbound.parse(typed) == (word, (argument.strip("."),) if argument.strip(".") else ())


def test_the_examples_of_the_issue_are_the_same_command():
    assert inbound.parse("cancelar  ab12cd") == inbound.parse("CANCELAR AB12CD") == ("CANCELAR", ("AB12CD",))
    assert inbound.parse("Cíta")[0] == inbound.parse("CITA")[0] == "CITA"
    assert inbound.parse("¿Ayuda?") == ("AYUDA", ())
    assert inbound.parse("ＣＩＴＡ") == ("CITA", ())  # full-width letters, as some keyboards send them


def test_enie_stays_a_letter_of_its_own():
    assert inbound.normalise("año") == "AÑO"
    assert inbound.normalise("ano") == "ANO"


@given(st.text(max_size=300))
def test_any_text_parses_without_error_into_normalised_words(text):
    word, arguments = inbound.parse(text)
    for part in (word, *arguments):
        assert part == part.upper() or not part.isalpha()
        assert " " not in part
        assert not any(unicodedata.combining(char) for char in unicodedata.normalize("NFD", part.replace("Ñ", "")))
    if not text.strip():
        assert (word, arguments) == ("", ())


@given(st.text(max_size=200))
def test_a_reply_spelt_for_gsm7_is_gsm7_and_no_longer_in_characters(text):
    spelt = to_gsm7(text)
    assert is_gsm7(spelt)
    assert len(spelt) <= 3 * len(text)


def test_gsm7_spelling_keeps_the_letters_of_spanish_that_gsm_has():
    assert to_gsm7("Información, señor: «revisión» — año") == 'Informacion, señor: "revision" - año'


def _handler(sender, arguments, account):
    return "ok"


def _other_handler(sender, arguments, account):
    return "otro"


@pytest.fixture
def throwaway_command():
    yield inbound.register_command(("PRUEBA", "Pruébame"), _handler, help_text="PRUEBA: prueba")
    inbound.unregister_command("PRUEBA")


def test_a_registered_command_is_found_by_each_of_its_words_in_any_spelling(throwaway_command):
    assert inbound.command_for(inbound.parse("pruebame ya")[0]) is throwaway_command
    assert inbound.command_for("PRUEBA") is throwaway_command
    assert throwaway_command.name == "PRUEBA"


def test_registering_the_same_handler_twice_is_harmless_and_another_one_is_refused(throwaway_command):
    inbound.register_command(("PRUEBA",), _handler, help_text="PRUEBA: otra vez")
    assert [command.name for command in inbound.registered_commands()].count("PRUEBA") == 1
    with pytest.raises(ValueError, match="already registered"):
        inbound.register_command(("PRUEBAME",), _other_handler, help_text="x")
    with pytest.raises(ValueError, match="help command"):
        inbound.register_command(("AYUDA",), _other_handler, help_text="x")
    with pytest.raises(ValueError, match="single words"):
        inbound.register_command(("DOS PALABRAS",), _other_handler, help_text="x")


def test_the_help_lists_every_command_and_fits_one_sms(throwaway_command):
    reply = to_gsm7(inbound.help_reply())
    assert "ESTADO folio" in reply  # registered by the applications app at start-up
    assert "PRUEBA: prueba" in reply
    assert "AYUDA" in reply
    info = sms_info(reply)
    assert (info.encoding, info.segments) == ("gsm7", 1)
