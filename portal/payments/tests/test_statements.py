"""Reading the bank's statement and the provider's report: exact centavos, Mexico City time to UTC, and every bad
line named by its number with a Spanish message."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.payments import statements
from portal.payments.models import PaymentChannel
from portal.payments.statements import BankLine, Problem, ProviderLine, StatementValueError

pesos = st.integers(min_value=1, max_value=10**12)


@given(pesos)
def test_any_amount_written_in_pesos_reads_back_as_the_same_centavos(centavos):
    assert statements.parse_amount(statements.format_pesos(centavos)) == centavos


@given(pesos)
def test_thousands_separators_and_a_peso_sign_are_read(centavos):
    whole, cents = divmod(centavos, 100)
    assert statements.parse_amount(f"${whole:,}.{cents:02d}") == centavos


@given(st.text(max_size=20))
def test_any_text_is_either_an_amount_or_a_spanish_message(text):
    try:
        value = statements.parse_amount(text)
    except StatementValueError as error:
        assert "importe" in str(error)
    else:
        assert isinstance(value, int) and value > 0


@pytest.mark.parametrize("text", ["1500", "1500.0", "1500.000", "1.500,00", "-10.00", "0.00", "1e3", "15 00.00", ""])
def test_amounts_that_are_not_pesos_with_two_decimals_are_refused(text):
    with pytest.raises(StatementValueError):
        statements.parse_amount(text)


def test_a_float_would_lose_a_centavo_the_parser_does_not():
    assert statements.parse_amount("1234567890123.99") == 123456789012399
    assert statements.parse_amount("0.29") == 29  # float(0.29) * 100 == 28.999999999999996


@given(st.dates(min_value=dt.date(2021, 1, 1), max_value=dt.date(2040, 12, 31)), st.times())
def test_mexico_city_wall_clock_becomes_utc_six_hours_later(day, time):
    time = time.replace(microsecond=0)
    utc = statements.local_to_utc(day, time)
    assert utc.tzinfo == dt.UTC
    # Mexico City has kept UTC−6 all year since the end of daylight saving time in October 2022.
    if day >= dt.date(2022, 10, 31):
        assert dt.datetime.combine(day, time, tzinfo=dt.UTC) + dt.timedelta(hours=6) == utc
    assert statements.parse_moment(f"{day.isoformat()} {time.strftime('%H:%M:%S')}") == utc


@pytest.mark.parametrize("text", ["2026-13-01", "2026-02-30", "02/12/2026", "2026-1-5", "ayer", ""])
def test_dates_that_do_not_exist_or_are_not_iso_are_refused(text):
    with pytest.raises(StatementValueError, match="fecha"):
        statements.parse_date(text)


@pytest.mark.parametrize("text", ["24:00", "12:60:00", "7:05", "12.30", ""])
def test_bad_times_are_refused(text):
    with pytest.raises(StatementValueError, match="hora"):
        statements.parse_time(text)


def _rows(source: str, text: str) -> list:
    return list(statements.iter_rows(source, io.BytesIO(text.encode())))


def test_a_bank_statement_is_read_line_by_line():
    rows = _rows(
        "bank",
        "fecha,hora,referencia,importe,canal,folio_banco\n"
        "2026-12-02,09:15:00,1010 0000 0000 0000 0011,1500.00,ventanilla,A1\n"
        '2026-12-02,23:30:00,10100000000000000011,"1,500.00",SPEI,A2\n',
    )
    assert rows == [
        BankLine(
            2,
            dt.datetime(2026, 12, 2, 15, 15, tzinfo=dt.UTC),
            "10100000000000000011",
            150_000,
            PaymentChannel.BANK,
            "A1",
        ),
        BankLine(
            3,
            dt.datetime(2026, 12, 3, 5, 30, tzinfo=dt.UTC),
            "10100000000000000011",
            150_000,
            PaymentChannel.TRANSFER,
            "A2",
        ),
    ]


def test_columns_may_come_in_any_order_and_a_byte_order_mark_is_ignored():
    rows = _rows(
        "provider",
        "\ufefftipo,id_pago,fecha,referencia,importe,comision,neto\n"
        "cargo,pay_1,2026-12-02T10:00:00,10100000000000000011,1500.00,45.00,1455.00\n"
        "liquidacion,po_1,2026-12-03 08:00:00,,1455.00,0.00,1455.00\n",
    )
    assert rows[0] == ProviderLine(
        2,
        "pay_1",
        "10100000000000000011",
        dt.datetime(2026, 12, 2, 16, tzinfo=dt.UTC),
        150_000,
        4_500,
        145_500,
        "cargo",
    )
    assert rows[1].kind == "liquidacion" and rows[1].reference_text == ""


def test_each_bad_line_is_named_with_its_number_and_what_is_wrong():
    rows = _rows(
        "bank",
        "fecha,hora,referencia,importe,canal,folio_banco\n"
        "2026-12-02,09:15:00,1,1500,ventanilla,A1\n"
        "2026-12-31,09:15:00,1,1500.00,cajero,A2\n"
        "2026-12-02,09:15:00\n"
        "2026-02-30,09:15:00,1,10.00,tienda,A3\n",
    )
    assert [(row.line_number, row.message) for row in rows] == [
        (2, "el importe «1500» no es un monto en pesos con dos decimales (por ejemplo 1500.00)."),
        (3, "el canal «cajero» no es ventanilla, spei ni tienda."),
        (4, "tiene 2 columnas y el encabezado 6."),
        (5, "la fecha «2026-02-30» no es una fecha AAAA-MM-DD válida."),
    ]
    assert str(rows[0]).startswith("Línea 2: el importe")


def test_a_provider_line_whose_net_is_not_amount_less_fee_is_refused():
    (row,) = _rows(
        "provider",
        "id_pago,referencia,fecha,importe,comision,neto,tipo\npay_1,1,2026-12-02 10:00:00,100.00,3.00,98.00,cargo\n",
    )
    assert isinstance(row, Problem) and "neto" in row.message


def test_a_file_of_another_format_is_refused_at_its_header():
    (row,) = _rows("bank", "id_pago,referencia,fecha,importe,comision,neto,tipo\npay_1,1,x,1.00,0.00,1.00,cargo\n")
    assert row.line_number == 1 and "faltan las columnas fecha" not in row.message and "hora" in row.message


def test_a_file_that_is_not_utf8_is_refused_with_a_message():
    data = "fecha,hora,referencia,importe,canal,folio_banco\n2026-12-02,09:15:00,Peña,10.00,tienda,A1\n"
    rows = list(statements.iter_rows("bank", io.BytesIO(data.encode("latin-1"))))
    assert isinstance(rows[-1], Problem) and "UTF-8" in rows[-1].message


def test_checking_a_file_counts_lines_and_totals_and_keeps_nothing_per_line():
    data = (
        "fecha,hora,referencia,importe,canal,folio_banco\n"
        "2026-12-02,09:15:00,1,10.00,tienda,A1\n"
        "2026-12-03,09:15:00,1,20.00,tienda,A2\n"
        "2026-12-03,09:16:00,1,20.00,tienda,A2\n"
    )
    checked = statements.check_file("bank", io.BytesIO(data.encode()))
    # A repeated movement is the import's to find, among the stored lines (test_reconciliation).
    assert (checked.line_count, checked.total_centavos, checked.problem_count) == (3, 5_000, 0)
    assert (checked.first_day, checked.last_day) == (dt.date(2026, 12, 2), dt.date(2026, 12, 3))
    assert checked.sha256 == hashlib.sha256(data.encode()).hexdigest()


def test_an_empty_file_or_one_with_only_a_header_is_refused():
    assert statements.check_file("bank", io.BytesIO(b"")).problem_count == 1
    only_header = statements.check_file("bank", io.BytesIO(b"fecha,hora,referencia,importe,canal,folio_banco\n"))
    assert [problem.message for problem in only_header.problems] == ["el archivo no tiene movimientos."]


def test_only_the_first_problems_are_kept_but_all_are_counted():
    header = "fecha,hora,referencia,importe,canal,folio_banco\n"
    data = header + "".join(f"2026-12-02,09:15:00,1,1,tienda,A{n}\n" for n in range(200))
    checked = statements.check_file("bank", io.BytesIO(data.encode()))
    assert checked.problem_count == 200 and len(checked.problems) == statements.MAX_PROBLEMS


_cell = st.text(alphabet=string.printable + 'ñáé$,."', max_size=30)


@given(st.lists(st.lists(_cell, min_size=0, max_size=8), max_size=8), st.sampled_from(["bank", "provider"]))
def test_any_line_either_parses_or_gets_a_message_with_its_number(cells, source):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(statements.columns_of(source))
    for row in cells:
        writer.writerow(row)
    data = out.getvalue().encode()
    total_lines = data.count(b"\n") + data.count(b"\r")  # csv counts both
    for item in statements.iter_rows(source, io.BytesIO(data)):
        if isinstance(item, Problem):
            assert 1 <= item.line_number <= total_lines + 1
            assert item.message and str(item).startswith(f"Línea {item.line_number}: ")
        else:
            assert isinstance(item, BankLine | ProviderLine) and item.amount_centavos > 0
            assert item.occurred_at.tzinfo is not None
