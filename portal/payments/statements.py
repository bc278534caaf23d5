"""The two statement files finance staff import (docs/payments-reconciliation.md, «Formatos»): the bank's statement of
the entity's concentrating account and the online provider's settlement report.

Both are CSV (UTF-8, comma, a header row naming the columns). They are read as a stream: the ``csv`` module over the
uploaded file, one row at a time, so a statement of 100,000 lines is never held in memory; a caller that needs two
passes (check everything, then import) rewinds the file. Amounts are pesos with exactly two decimals and become
integer centavos through text, never through a float; dates and times are Mexico City's wall clock and become UTC.
A line that cannot be read is reported with its line number (the file's own, header = 1) and a Spanish message; the
import refuses a file with any such line as a whole.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

from django.utils.translation import gettext as _

from .ledger import MEXICO_CITY
from .models import PaymentChannel

#: How many problems a refused file lists (the rest are counted).
MAX_PROBLEMS = 50
#: A field longer than this is not a statement's (and would make csv keep a whole file as one field).
MAX_FIELD = 200

BANK_COLUMNS = ("fecha", "hora", "referencia", "importe", "canal", "folio_banco")
PROVIDER_COLUMNS = ("id_pago", "referencia", "fecha", "importe", "comision", "neto", "tipo")
#: The bank's word for each channel → the portal's channel.
BANK_CHANNELS = {
    "ventanilla": PaymentChannel.BANK,
    "spei": PaymentChannel.TRANSFER,
    "tienda": PaymentChannel.STORE,
}
PROVIDER_KINDS = ("cargo", "reembolso", "liquidacion")

_AMOUNT = re.compile(r"^(?P<sign>-?)\$?(?P<whole>\d{1,3}(?:,\d{3})+|\d+)\.(?P<cents>\d{2})$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_TIME = re.compile(r"^(\d{2}):(\d{2})(?::(\d{2}))?$")
_FOLIO = re.compile(r"^[A-Za-z0-9_\-]{1,60}$")


class StatementValueError(ValueError):
    """One field that cannot be read; ``str()`` is the Spanish message for finance staff."""


@dataclass(frozen=True)
class Problem:
    line_number: int
    message: str

    def __str__(self) -> str:
        return _("Línea %(line)s: %(message)s") % {"line": self.line_number, "message": self.message}


@dataclass(frozen=True)
class BankLine:
    line_number: int
    occurred_at: dt.datetime  # UTC
    reference_text: str
    amount_centavos: int
    channel: str  # PaymentChannel
    folio: str


@dataclass(frozen=True)
class ProviderLine:
    line_number: int
    payment_id: str
    reference_text: str
    occurred_at: dt.datetime  # UTC
    amount_centavos: int
    fee_centavos: int
    net_centavos: int
    kind: str  # cargo, reembolso, liquidacion


StatementRow = BankLine | ProviderLine


@dataclass
class CheckedFile:
    """What the first pass learnt: the file's digest, its lines, their total, the days it covers, its problems."""

    sha256: str = ""
    line_count: int = 0
    total_centavos: int = 0
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)


# --- fields --------------------------------------------------------------------------------------------------------


def parse_amount(text: str, *, allow_zero: bool = False) -> int:
    """Pesos as the bank writes them («1500.00», «1,500.00», «$1500.00») → centavos, exactly (no float ever)."""
    value = (text or "").strip()
    match = _AMOUNT.match(value)
    if match is None:
        raise StatementValueError(
            _("el importe «%(value)s» no es un monto en pesos con dos decimales (por ejemplo 1500.00).")
            % {"value": value[:40]}
        )
    if match["sign"]:
        raise StatementValueError(_("el importe «%(value)s» es negativo.") % {"value": value[:40]})
    centavos = int(match["whole"].replace(",", "")) * 100 + int(match["cents"])
    if centavos == 0 and not allow_zero:
        raise StatementValueError(_("el importe es cero."))
    if centavos >= 10**15:
        raise StatementValueError(_("el importe «%(value)s» es demasiado grande.") % {"value": value[:40]})
    return centavos


def format_pesos(centavos: int) -> str:
    """The inverse of ``parse_amount`` (the samples, the bench and the ledger's CSV write amounts this way)."""
    sign = "-" if centavos < 0 else ""
    whole, cents = divmod(abs(centavos), 100)
    return f"{sign}{whole}.{cents:02d}"


def parse_date(text: str) -> dt.date:
    value = (text or "").strip()
    match = _DATE.match(value)
    try:
        if match is None:
            raise ValueError
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise StatementValueError(
            _("la fecha «%(value)s» no es una fecha AAAA-MM-DD válida.") % {"value": value[:40]}
        ) from None


def parse_time(text: str) -> dt.time:
    value = (text or "").strip()
    match = _TIME.match(value)
    try:
        if match is None:
            raise ValueError
        return dt.time(int(match[1]), int(match[2]), int(match[3] or 0))
    except ValueError:
        raise StatementValueError(
            _("la hora «%(value)s» no es una hora HH:MM:SS válida.") % {"value": value[:40]}
        ) from None


def local_to_utc(day: dt.date, time: dt.time) -> dt.datetime:
    """Mexico City's wall clock → UTC. (Mexico City has kept one offset since 2022; for older days the earlier of an
    ambiguous hour is taken, as banks print local time without an offset.)"""
    return dt.datetime.combine(day, time, tzinfo=MEXICO_CITY).astimezone(dt.UTC)


def parse_moment(text: str) -> dt.datetime:
    """«AAAA-MM-DD HH:MM:SS» (or with a «T») in Mexico City time → UTC."""
    value = (text or "").strip()
    day, _sep, time = value.replace("T", " ").partition(" ")
    if not time:
        raise StatementValueError(
            _("la fecha «%(value)s» no es una fecha y hora AAAA-MM-DD HH:MM:SS.") % {"value": value[:40]}
        )
    return local_to_utc(parse_date(day), parse_time(time))


def _folio(text: str, what: str) -> str:
    value = (text or "").strip()
    if not _FOLIO.match(value):
        raise StatementValueError(
            _("%(what)s «%(value)s» debe tener de 1 a 60 letras, números o guiones.")
            % {"what": what, "value": value[:40]}
        )
    return value


def _reference_text(text: str, *, required: bool) -> str:
    value = re.sub(r"[\s\-.]+", "", text or "")
    if required and not value:
        raise StatementValueError(_("falta la referencia."))
    if len(value) > 40:
        raise StatementValueError(_("la referencia tiene más de 40 caracteres."))
    return value


# --- rows ----------------------------------------------------------------------------------------------------------


def parse_bank_row(row: dict[str, str], line_number: int) -> BankLine:
    channel_text = (row.get("canal") or "").strip().lower()
    if channel_text not in BANK_CHANNELS:
        raise StatementValueError(
            _("el canal «%(value)s» no es ventanilla, spei ni tienda.") % {"value": channel_text[:40]}
        )
    return BankLine(
        line_number=line_number,
        occurred_at=local_to_utc(parse_date(row.get("fecha", "")), parse_time(row.get("hora", ""))),
        reference_text=_reference_text(row.get("referencia", ""), required=True),
        amount_centavos=parse_amount(row.get("importe", "")),
        channel=BANK_CHANNELS[channel_text],
        folio=_folio(row.get("folio_banco", ""), _("el folio del banco")),
    )


def parse_provider_row(row: dict[str, str], line_number: int) -> ProviderLine:
    kind = (row.get("tipo") or "").strip().lower()
    if kind not in PROVIDER_KINDS:
        raise StatementValueError(
            _("el tipo «%(value)s» no es cargo, reembolso ni liquidacion.") % {"value": kind[:40]}
        )
    amount = parse_amount(row.get("importe", ""))
    fee = parse_amount(row.get("comision", ""), allow_zero=True)
    net = parse_amount(row.get("neto", ""), allow_zero=True)
    if amount - fee != net:
        raise StatementValueError(
            _("el neto (%(net)s) no es el importe (%(amount)s) menos la comisión (%(fee)s).")
            % {"net": format_pesos(net), "amount": format_pesos(amount), "fee": format_pesos(fee)}
        )
    return ProviderLine(
        line_number=line_number,
        payment_id=_folio(row.get("id_pago", ""), _("el id_pago")),
        reference_text=_reference_text(row.get("referencia", ""), required=False),  # matched by id_pago
        occurred_at=parse_moment(row.get("fecha", "")),
        amount_centavos=amount,
        fee_centavos=fee,
        net_centavos=net,
        kind=kind,
    )


def columns_of(source: str) -> tuple[str, ...]:
    return BANK_COLUMNS if source == "bank" else PROVIDER_COLUMNS


def _key(row: StatementRow) -> str:
    return row.folio if isinstance(row, BankLine) else f"{row.kind}:{row.payment_id}"


# --- files ---------------------------------------------------------------------------------------------------------


class _Hashing(io.RawIOBase):
    """A binary reader that feeds everything read through it to a SHA-256, so the first pass hashes as it parses."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        chunk = self.raw.read(len(buffer))
        if not chunk:
            return 0
        self.digest.update(chunk)
        buffer[: len(chunk)] = chunk
        return len(chunk)


def iter_rows(source: str, raw: IO[bytes], *, hashing: _Hashing | None = None) -> Iterator[StatementRow | Problem]:
    """Each line of the file as a parsed row or as a ``Problem``; a header that is not the format's stops at once."""
    stream = io.TextIOWrapper(
        io.BufferedReader(hashing or _Hashing(raw), buffer_size=64 * 1024), encoding="utf-8-sig", newline=""
    )
    reader = csv.reader(stream)
    expected = columns_of(source)
    parse = parse_bank_row if source == "bank" else parse_provider_row
    try:
        try:
            header = next(reader)
        except StopIteration:
            yield Problem(1, _("el archivo está vacío."))
            return
        names = [name.strip().lower() for name in header]
        missing = [name for name in expected if name not in names]
        if missing:
            yield Problem(
                1,
                _("faltan las columnas %(missing)s; el encabezado debe ser: %(expected)s.")
                % {"missing": ", ".join(missing), "expected": ",".join(expected)},
            )
            return
        position = {name: names.index(name) for name in expected}
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                yield Problem(reader.line_num, _("no es una línea CSV válida (%(error)s).") % {"error": error})
                return
            line_number = reader.line_num
            if not values or all(not value.strip() for value in values):
                continue  # a blank line (often the last one)
            if len(values) != len(names):
                yield Problem(
                    line_number,
                    _("tiene %(found)s columnas y el encabezado %(expected)s.")
                    % {"found": len(values), "expected": len(names)},
                )
                continue
            if any(len(value) > MAX_FIELD for value in values):
                yield Problem(line_number, _("tiene un valor de más de %(max)s caracteres.") % {"max": MAX_FIELD})
                continue
            try:
                yield parse({name: values[index] for name, index in position.items()}, line_number)
            except StatementValueError as error:
                yield Problem(line_number, str(error))
    except UnicodeDecodeError:
        yield Problem(reader.line_num + 1, _("el archivo no está en UTF-8."))
    finally:
        stream.detach()


def check_file(source: str, raw: IO[bytes]) -> CheckedFile:
    """The first pass: every line read and checked, the whole file hashed, nothing kept but counts and problems (so
    its memory does not grow with the file). A movement listed twice is found by the import among the stored lines
    (``reconciliation._refuse_repeated``), which refuses the file as for an unreadable line."""
    hashing = _Hashing(raw)
    checked = CheckedFile()
    for item in iter_rows(source, raw, hashing=hashing):
        if isinstance(item, Problem):
            checked.add(item)
            continue
        checked.line_count += 1
        checked.total_centavos += item.amount_centavos
        day = item.occurred_at.astimezone(MEXICO_CITY).date()
        checked.first_day = day if checked.first_day is None else min(checked.first_day, day)
        checked.last_day = day if checked.last_day is None else max(checked.last_day, day)
    rest = memoryview(bytearray(64 * 1024))
    while hashing.readinto(rest):  # the hash covers the whole file, even after a header problem
        pass
    checked.sha256 = hashing.digest.hexdigest()
    if checked.line_count == 0 and checked.problem_count == 0:
        checked.add(Problem(2, _("el archivo no tiene movimientos.")))
    return checked


def row_external_id(row: StatementRow) -> str:
    """How a line is named in ``StatementLine.external_id``: the bank's folio, or the provider's «tipo:id_pago»."""
    return _key(row)
