from hypothesis import given
from hypothesis import strategies as st

from portal.core.spreadsheets import FORMULA_START, csv_lines, safe_text


def test_text_that_starts_like_a_formula_is_shown_not_run():
    assert safe_text('=HYPERLINK("http://x","clic")') == '\'=HYPERLINK("http://x","clic")'
    assert safe_text("@SUM(A1)") == "'@SUM(A1)"
    assert safe_text("-2+3 cmd") == "'-2+3 cmd"


def test_numbers_and_phone_numbers_stay_as_they_are():
    assert safe_text("+52 312 000 0000") == "+52 312 000 0000"
    assert safe_text("-3") == "-3"
    assert safe_text("Ciclovía") == "Ciclovía"


@given(st.text())
def test_no_cell_ever_starts_like_a_formula_unless_it_is_a_number(text):
    cell = safe_text(text)
    assert not cell.startswith(FORMULA_START) or all(c in "0123456789 ().+-" for c in cell)
    assert cell.endswith(text)


def test_csv_lines_start_with_a_bom_and_escape_every_text_cell():
    lines = list(csv_lines(["folio", "texto"], [("P-1", "=1+1"), (2, None)]))
    assert lines[0] == "\ufefffolio,texto\r\n"
    assert lines[1] == "P-1,'=1+1\r\n"
    assert lines[2] == "2,\r\n"
