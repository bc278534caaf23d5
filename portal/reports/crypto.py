"""The key scheme of confidential reports: what is encrypted, with which key, and who can unwrap that key.

Every report has its own random 32-byte **report key**. Its contents (the answers, the messages, the evidence files
and their names) are sealed with it by XChaCha20-Poly1305 (libsodium through PyNaCl's ``Aead``), each with *associated
data* naming the report and the purpose, so a database administrator cannot move a sealed message from one report to
another, or pass a file off as a message, without the seal failing.

The report key itself is stored only **wrapped**:

- for each investigator of the internal control body that holds the report, in a ``SealedBox`` to their public key
  (X25519). Their private key is stored sealed with a key derived from their password by Argon2id: the database holds
  nothing that opens it without the password;
- for the reporter, sealed with a key derived from the 16-digit receipt by Argon2id (``receipt_keys``). The same
  derivation gives the digest by which the report is found, so a receipt check costs one slow hash whether or not a
  report exists;
- for the body's recovery key, when the body has one (its private half is kept offline: docs/reports.md).

docs/reports-keys.md draws the scheme and says what someone with the whole database (and the file store) can and
cannot read.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import struct
import time
from dataclasses import dataclass
from typing import Any

import nacl.exceptions
import nacl.public
import nacl.pwhash
import nacl.secret
import nacl.utils
from django.conf import settings

RECEIPT_DIGITS = 16
KEY_BYTES = nacl.secret.Aead.KEY_SIZE
SALT_BYTES = nacl.pwhash.argon2id.SALTBYTES
# Argon2id for receipts and investigators' passwords: 3 passes over 256 MiB take about 0.45–0.5 s on the reference
# machine (two cores; `make bench` measures it). A receipt has 10^16 values: at that cost, trying them all is out of reach
# even with the salt and every digest in hand. Test settings lower the cost (REPORTS_ARGON2).
DEFAULT_ARGON2 = {"opslimit": 3, "memlimit": 256 * 1024 * 1024}


#: What a BinaryField gives back: bytes, or a memoryview on PostgreSQL.
Buffer = bytes | memoryview


class SealBroken(Exception):
    """A sealed value does not open with this key and these associated data: a wrong key or tampered data."""


@dataclass(frozen=True)
class Argon2Cost:
    opslimit: int
    memlimit: int


def argon2_cost() -> Argon2Cost:
    configured = {**DEFAULT_ARGON2, **getattr(settings, "REPORTS_ARGON2", {})}
    return Argon2Cost(opslimit=int(configured["opslimit"]), memlimit=int(configured["memlimit"]))


def slow_hash(secret: bytes, salt: bytes, cost: Argon2Cost | None = None) -> bytes:
    """Argon2id, 32 bytes: the one slow step of a receipt check and of unlocking an investigator's key."""
    cost = cost or argon2_cost()
    return nacl.pwhash.argon2id.kdf(KEY_BYTES, secret, salt, opslimit=cost.opslimit, memlimit=cost.memlimit)


def _subkey(root: bytes, purpose: bytes) -> bytes:
    """An independent 32-byte key for one purpose, from one root key (BLAKE2b keyed by the root)."""
    return hashlib.blake2b(purpose, key=root, digest_size=KEY_BYTES).digest()


# --- Sealing with a report key ------------------------------------------------------------------------------------


def new_key() -> bytes:
    return nacl.utils.random(KEY_BYTES)


def new_salt() -> bytes:
    return nacl.utils.random(SALT_BYTES)


def seal(key: bytes, plaintext: bytes, *, context: str) -> bytes:
    """Encrypt and authenticate ``plaintext``; ``context`` (e.g. ``report:<uuid>:message``) is bound, not stored."""
    return bytes(nacl.secret.Aead(key).encrypt(plaintext, context.encode()))


def unseal(key: bytes, sealed: Buffer, *, context: str) -> bytes:
    try:
        return nacl.secret.Aead(key).decrypt(bytes(sealed), context.encode())
    except nacl.exceptions.CryptoError as error:
        raise SealBroken(context) from error


def seal_json(key: bytes, value: dict[str, Any], *, context: str) -> bytes:
    return seal(key, json.dumps(value, ensure_ascii=False, sort_keys=True).encode(), context=context)


def unseal_json(key: bytes, sealed: Buffer, *, context: str) -> dict[str, Any]:
    value = json.loads(unseal(key, sealed, context=context))
    if not isinstance(value, dict):
        raise SealBroken(context)
    return value


# --- Wrapping a report key ----------------------------------------------------------------------------------------


def wrap_for_public_key(public_key: Buffer, report_key: bytes) -> bytes:
    """The report key in a sealed box only the holder of the matching private key opens (anonymous sender)."""
    return bytes(nacl.public.SealedBox(nacl.public.PublicKey(bytes(public_key))).encrypt(report_key))


def unwrap_with_private_key(private_key: nacl.public.PrivateKey, wrapped: Buffer) -> bytes:
    try:
        return bytes(nacl.public.SealedBox(private_key).decrypt(bytes(wrapped)))
    except nacl.exceptions.CryptoError as error:
        raise SealBroken("wrapped report key") from error


# --- Receipts -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceiptKeys:
    """What one receipt gives: the digest a report is found by, and the key that unwraps its report key."""

    lookup: str  # hex, stored (unique) on the report
    wrap_key: bytes  # never stored


def new_receipt() -> str:
    """16 random digits (53 bits), from the operating system's generator; shown once, stored only as a digest."""
    return "".join(secrets.choice("0123456789") for _ in range(RECEIPT_DIGITS))


def normalize_receipt(text: str) -> str | None:
    """The 16 digits of what a person typed (spaces, dashes and dots allowed between them), or ``None``."""
    compact = "".join(character for character in (text or "") if character not in " -.\u00a0\t")
    if len(compact) != RECEIPT_DIGITS or not compact.isascii() or not compact.isdigit():
        return None
    return compact


def format_receipt(receipt: str) -> str:
    """``1234 5678 9012 3456``: groups of four, as a person reads it aloud or copies it by hand."""
    return " ".join(receipt[index : index + 4] for index in range(0, len(receipt), 4))


def receipt_keys(receipt: str, salt: bytes) -> ReceiptKeys:
    """One Argon2id of the receipt with the installation's salt, split into the lookup digest and the wrap key.

    The salt is the same for every report (it must be: the report is found by the digest), random per installation
    and kept in the database (``Secret``); it only forces an attacker to start over for each installation.
    """
    root = slow_hash(receipt.encode(), salt)
    return ReceiptKeys(lookup=_subkey(root, b"report-lookup").hex(), wrap_key=_subkey(root, b"report-reporter-key"))


# --- Investigators' key pairs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LockedKeyPair:
    """An investigator's key pair as stored: the public key in clear, the private key sealed by their password."""

    public_key: bytes
    sealed_private_key: bytes
    salt: bytes
    opslimit: int
    memlimit: int


def _password_key(password: str, salt: bytes, cost: Argon2Cost) -> bytes:
    return slow_hash(password.encode(), salt, cost)


def new_locked_key_pair(password: str) -> tuple[LockedKeyPair, nacl.public.PrivateKey]:
    private_key = nacl.public.PrivateKey.generate()
    return lock_private_key(private_key, password), private_key


def lock_private_key(private_key: nacl.public.PrivateKey, password: str) -> LockedKeyPair:
    salt = nacl.utils.random(SALT_BYTES)
    cost = argon2_cost()
    sealed = seal(_password_key(password, salt, cost), bytes(private_key), context="investigator-private-key")
    return LockedKeyPair(
        public_key=bytes(private_key.public_key),
        sealed_private_key=sealed,
        salt=salt,
        opslimit=cost.opslimit,
        memlimit=cost.memlimit,
    )


def unlock_private_key(locked: LockedKeyPair, password: str) -> nacl.public.PrivateKey:
    """The private key, or ``SealBroken`` when the password is not the one it was sealed with."""
    cost = Argon2Cost(opslimit=locked.opslimit, memlimit=locked.memlimit)
    raw = unseal(
        _password_key(password, bytes(locked.salt), cost),
        locked.sealed_private_key,
        context="investigator-private-key",
    )
    private_key = nacl.public.PrivateKey(raw)
    if bytes(private_key.public_key) != bytes(locked.public_key):
        raise SealBroken("investigator key pair mismatch")
    return private_key


def private_key_from_bytes(raw: bytes) -> nacl.public.PrivateKey:
    return nacl.public.PrivateKey(raw)


def new_recovery_key_pair() -> tuple[bytes, bytes]:
    """(public, private) of a body's recovery key; the private half is printed once and kept offline."""
    private_key = nacl.public.PrivateKey.generate()
    return bytes(private_key.public_key), bytes(private_key)


# --- Tokens kept by the browser -----------------------------------------------------------------------------------


def _browser_key(purpose: str) -> bytes:
    return _subkey(hashlib.sha256(settings.SECRET_KEY.encode()).digest(), f"browser-token:{purpose}".encode())


def seal_for_browser(payload: bytes, *, purpose: str, max_age: int) -> str:
    """A token only this server opens, valid for ``max_age`` seconds: what a reporter's or an investigator's browser
    keeps between requests instead of a server-side session (the server keeps nothing that opens a report)."""
    expires = struct.pack(">Q", int(time.time()) + max_age)
    sealed = seal(_browser_key(purpose), expires + payload, context=purpose)
    return base64.urlsafe_b64encode(sealed).decode().rstrip("=")


def open_from_browser(token: str, *, purpose: str) -> bytes | None:
    """The payload of a token made by ``seal_for_browser``, or ``None`` when it is forged, damaged or expired."""
    try:
        sealed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        opened = unseal(_browser_key(purpose), sealed, context=purpose)
    except (ValueError, SealBroken):
        return None
    if len(opened) < 8 or struct.unpack(">Q", opened[:8])[0] < time.time():
        return None
    return opened[8:]
