import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.reports import crypto


def test_a_seal_opens_only_with_its_key_and_its_context():
    key = crypto.new_key()
    sealed = crypto.seal(key, b"secreto", context="report:a:content:")
    assert crypto.unseal(key, sealed, context="report:a:content:") == b"secreto"
    with pytest.raises(crypto.SealBroken):
        crypto.unseal(key, sealed, context="report:b:content:")
    with pytest.raises(crypto.SealBroken):
        crypto.unseal(crypto.new_key(), sealed, context="report:a:content:")


def test_receipts_are_sixteen_random_digits():
    receipts = {crypto.new_receipt() for _ in range(200)}
    assert len(receipts) == 200
    assert all(len(receipt) == 16 and receipt.isdigit() for receipt in receipts)


def test_receipt_keys_are_the_same_for_the_same_receipt_and_salt_and_differ_otherwise():
    salt = crypto.new_salt()
    first = crypto.receipt_keys("1234567812345678", salt)
    assert first == crypto.receipt_keys("1234567812345678", salt)
    assert first.lookup != crypto.receipt_keys("1234567812345679", salt).lookup
    assert first.lookup != crypto.receipt_keys("1234567812345678", crypto.new_salt()).lookup
    assert first.wrap_key.hex() != first.lookup


@given(st.text(max_size=40))
def test_normalize_receipt_accepts_only_sixteen_ascii_digits(text):
    result = crypto.normalize_receipt(text)
    if result is not None:
        assert len(result) == 16 and result.isascii() and result.isdigit()


@given(st.text(alphabet="0123456789", min_size=16, max_size=16), st.sampled_from([" ", "-", "", "."]))
def test_normalize_receipt_reads_the_receipt_however_it_is_grouped(receipt, separator):
    grouped = separator.join(receipt[index : index + 4] for index in range(0, 16, 4))
    assert crypto.normalize_receipt(f" {grouped} ") == receipt
    assert crypto.normalize_receipt(crypto.format_receipt(receipt)) == receipt


def test_an_investigator_key_opens_with_the_password_only():
    locked, private_key = crypto.new_locked_key_pair("correcta")
    assert bytes(crypto.unlock_private_key(locked, "correcta")) == bytes(private_key)
    with pytest.raises(crypto.SealBroken):
        crypto.unlock_private_key(locked, "incorrecta")


def test_a_wrapped_report_key_opens_with_the_matching_private_key_only():
    _locked, private_key = crypto.new_locked_key_pair("x")
    _other_locked, other_key = crypto.new_locked_key_pair("x")
    report_key = crypto.new_key()
    wrapped = crypto.wrap_for_public_key(bytes(private_key.public_key), report_key)
    assert crypto.unwrap_with_private_key(private_key, wrapped) == report_key
    with pytest.raises(crypto.SealBroken):
        crypto.unwrap_with_private_key(other_key, wrapped)


def test_browser_tokens_expire_and_refuse_tampering(time_machine):
    token = crypto.seal_for_browser(b"abc", purpose="reporter", max_age=60)
    assert crypto.open_from_browser(token, purpose="reporter") == b"abc"
    assert crypto.open_from_browser(token, purpose="investigator") is None
    assert (
        crypto.open_from_browser(token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1], purpose="reporter")
        is None
    )
    assert crypto.open_from_browser("no-es-un-token", purpose="reporter") is None
    time_machine.move_to("2099-01-01")
    assert crypto.open_from_browser(token, purpose="reporter") is None
