"""SMS commands: what a person texts to the portal's short code, and who answers it.

This module owns the language of the commands (how a message is normalised and split) and the registry of their
handlers; the domain apps own the answers. An app registers its commands when Django starts, from its
``AppConfig.ready``, so that notifications never imports a domain app::

    from portal.notifications.inbound import register_command

    def reply_to_estado(sender: str, arguments: tuple[str, ...], account) -> str:
        ...

    register_command(("ESTADO",), reply_to_estado, help_text=_("ESTADO folio: estado de su solicitud"))

A handler receives the sender's number (E.164, ``+525512345678``), the words after the command (normalised: upper
case, no accents, single spaces) and the account whose *verified* phone is that number, or None. It returns the reply
text, in Spanish; ``do_receive_sms`` spells it in GSM-7 (``sms.to_gsm7``) and queues it through the outbox. Rules a
handler must keep (docs/sms.md):

- Anything personal (an appointment, a case) only when ``account`` is not None and owns it, or the message carries
  a second secret as the web page would ask for (the applicant's CURP for a folio). Otherwise the reply must be the
  same whether the code exists or not: a number is no proof of identity and anyone can type any folio.
- Fit one SMS where possible: 160 GSM-7 characters. Say what to do next, not what went wrong inside.
- Never raise for bad input: answer with what the person should send instead. An exception is logged (without the
  message) and answered with a generic apology, and whatever the handler wrote is rolled back.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Handler = Callable[[str, tuple[str, ...], Any], str]
"""``handler(sender, arguments, account) -> reply``; ``account`` is the user holding ``sender`` verified, or None."""

HELP_WORDS = ("AYUDA", "INFO", "MENU", "HELP", "?")
HELP = "AYUDA"
# Longest message whose words are looked at: a concatenated SMS of ten parts. Anything longer is not a command.
MAX_TEXT_LENGTH = 1600
_WORD = re.compile(r"[^\s]+")
# Punctuation people add around a command («Cita.», «¿Ayuda?», «ESTADO: 2026-...») that is never part of a word.
_EDGE_PUNCTUATION = ".,;:¡!¿?\"'()[]{}«»“”"


@dataclass(frozen=True)
class Command:
    name: str
    """The canonical word, recorded with each message (never the arguments, which may be personal)."""
    words: tuple[str, ...]
    handler: Handler
    help_text: StrOrPromise


_registry: dict[str, Command] = {}
_commands: list[Command] = []


def normalise(text: str) -> str:
    """Upper case, without accents or diacritics (Ñ stays Ñ), with single spaces: «cíta » → «CITA».

    Letters are compared by their base letter (NFKD and the combining marks dropped), so «Cíta», «CITA» and «cita»
    are the same command, and full-width or compatibility forms («ＣＩＴＡ») fold to plain letters too.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    kept: list[str] = []
    for index, char in enumerate(decomposed):
        if unicodedata.combining(char):
            # Ñ is a letter of its own in Spanish: keep the tilde on N, drop every other mark.
            if char == "\u0303" and index and decomposed[index - 1] in "nN":
                kept.append(char)
            continue
        kept.append(char)
    folded = unicodedata.normalize("NFC", "".join(kept)).upper()
    return " ".join(folded.split())


def parse(text: str) -> tuple[str, tuple[str, ...]]:
    """The first word (the command, without surrounding punctuation) and the other words, all normalised."""
    words = [word.strip(_EDGE_PUNCTUATION) for word in _WORD.findall(normalise(text[:MAX_TEXT_LENGTH]))]
    words = [word for word in words if word]
    if not words:
        return "", ()
    return words[0], tuple(words[1:])


def register_command(words: Iterable[str], handler: Handler, *, help_text: StrOrPromise) -> Command:
    """Answer messages whose first word is one of ``words`` (any case or accents) with ``handler``.

    The first word is the command's name in the record and the order of registration is the order of the help text.
    Registering the same handler again (a second ``ready()`` in tests) is harmless; another handler for a word already
    taken is a programming error.
    """
    normalised = tuple(normalise(word) for word in words)
    if not normalised or any(not word or " " in word for word in normalised):
        raise ValueError(f"a command needs one or more single words, got {tuple(words)!r}")
    for word in normalised:
        if word in HELP_WORDS:
            raise ValueError(f"{word!r} is the help command, answered by notifications")
        existing = _registry.get(word)
        if existing is not None and existing.handler is not handler:
            raise ValueError(f"the SMS command {word!r} is already registered to {existing.handler!r}")
    command = Command(name=normalised[0], words=normalised, handler=handler, help_text=help_text)
    if normalised[0] in _registry:
        _commands[:] = [item for item in _commands if item.name != normalised[0]]
    _commands.append(command)
    for word in normalised:
        _registry[word] = command
    return command


def unregister_command(name: str) -> None:
    """Take a command out (tests that register a throwaway one)."""
    name = normalise(name)
    command = _registry.get(name)
    if command is None:
        return
    for word in command.words:
        _registry.pop(word, None)
    _commands[:] = [item for item in _commands if item is not command]


def command_for(word: str) -> Command | None:
    return _registry.get(word)


def registered_commands() -> list[Command]:
    return list(_commands)


def help_reply() -> str:
    """The answer to AYUDA and to anything that is not a command: every command in few characters, on one line (a
    line break costs a character and some phones show it as a space anyway)."""
    parts = [str(command.help_text) for command in _commands]
    parts.append(_("AYUDA: esta lista"))
    return _("Ventanilla. Envíe: %(commands)s.") % {"commands": "; ".join(parts)}


def rate_limited_reply() -> str:
    return _("Ventanilla: recibimos muchos mensajes de su número. Intente de nuevo en una hora.")


def failure_reply() -> str:
    return _("Ventanilla: no pudimos atender su mensaje. Intente más tarde o envíe AYUDA.")
