import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.geo.postal_catalogue import CatalogueError, SettlementRow, decode_catalogue, parse_catalogue

NOTICE = (
    "El Catálogo Nacional de Códigos Postales, es elaborado por Correos de México y se proporciona en forma gratuita."
)
HEADER = (
    "d_codigo|d_asenta|d_tipo_asenta|D_mnpio|d_estado|d_ciudad|d_CP|c_estado|c_oficina|c_CP|c_tipo_asenta|c_mnpio|"
    "id_asenta_cpcons|d_zona|c_cve_ciudad"
)
COLIMA_CENTRO = "28000|Colima Centro|Colonia|Colima|Colima|Colima|28001|06|28001||09|002|0001|Urbano|01"


def catalogue(*rows: str) -> str:
    return "\n".join([NOTICE, HEADER, *rows]) + "\n"


def test_reads_a_settlement_with_its_inegi_municipality_key():
    [row] = parse_catalogue(catalogue(COLIMA_CENTRO))
    assert row == SettlementRow(
        postal_code="28000",
        name="Colima Centro",
        kind="Colonia",
        city="Colima",
        state_code="06",
        municipality_code="06002",
        municipality_name="Colima",
        state_name="Colima",
    )


def test_columns_are_found_by_header_name_not_position():
    header = "d_asenta|d_codigo|" + HEADER.split("|", 2)[2]
    row = "Colima Centro|28000|" + COLIMA_CENTRO.split("|", 2)[2]
    [settlement] = parse_catalogue("\n".join([NOTICE, header, row]))
    assert (settlement.postal_code, settlement.name) == ("28000", "Colima Centro")


def test_windows_line_endings_and_blank_lines_are_harmless():
    text = catalogue(COLIMA_CENTRO, "", COLIMA_CENTRO.replace("Colima Centro", "El Diezmo")).replace("\n", "\r\n")
    assert [row.name for row in parse_catalogue(text)] == ["Colima Centro", "El Diezmo"]


def test_latin1_bytes_are_decoded_automatically():
    data = catalogue(
        "28970|Villa de Álvarez Centro|Colonia|Villa de Álvarez|Colima||28971|06|28971||09|010|0001|Urbano|"
    )
    [row] = parse_catalogue(decode_catalogue(data.encode("latin-1")))
    assert row.name == "Villa de Álvarez Centro"
    assert row.municipality_name == "Villa de Álvarez"


def test_utf8_copy_is_accepted_too():
    data = catalogue(
        "28970|Villa de Álvarez Centro|Colonia|Villa de Álvarez|Colima||28971|06|28971||09|010|0001|Urbano|"
    )
    assert decode_catalogue(data.encode("utf-8")) == data


def test_a_file_without_the_header_is_not_the_catalogue():
    with pytest.raises(CatalogueError, match="d_codigo"):
        list(parse_catalogue("nombre,codigo\nColima,28000\n"))


def test_a_header_without_required_columns_says_which():
    with pytest.raises(CatalogueError, match="c_mnpio"):
        list(parse_catalogue("\n".join([NOTICE, "d_codigo|d_asenta|d_tipo_asenta", "28000|Centro|Colonia"])))


def test_a_short_line_is_reported_with_its_number():
    with pytest.raises(CatalogueError, match="Línea 4"):
        list(parse_catalogue(catalogue(COLIMA_CENTRO, "28010|El Diezmo|Colonia")))


def test_a_postal_code_that_is_not_five_digits_is_reported():
    with pytest.raises(CatalogueError, match="«2800»"):
        list(parse_catalogue(catalogue(COLIMA_CENTRO.replace("28000", "2800", 1))))


def test_the_excel_and_xml_downloads_are_told_apart():
    with pytest.raises(CatalogueError, match="Excel"):
        decode_catalogue(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest")
    with pytest.raises(CatalogueError, match="XML"):
        decode_catalogue(b'<?xml version="1.0"?><NewDataSet/>')
    with pytest.raises(CatalogueError, match="ZIP"):
        decode_catalogue(b"PK\x03\x04rest")


def test_an_unknown_encoding_is_a_clear_error():
    with pytest.raises(CatalogueError, match="codificación"):
        decode_catalogue(b"abc", "klingon")


_text = st.text(alphabet=st.characters(blacklist_characters="|\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"), max_size=40)


@given(
    postal_code=st.from_regex(r"\A\d{5}\Z"),
    name=_text.filter(lambda value: value.strip()),
    kind=_text,
    city=_text,
    state=st.from_regex(r"\A\d{2}\Z"),
    municipality=st.from_regex(r"\A\d{3}\Z"),
)
def test_any_well_formed_row_reads_back_as_written(postal_code, name, kind, city, state, municipality):
    line = f"{postal_code}|{name}|{kind}|Municipio|Estado|{city}|00000|{state}|00000||09|{municipality}|0001|Urbano|01"
    [row] = parse_catalogue(catalogue(line))
    assert row.key == (postal_code, name.strip(), state + municipality)
    assert (row.kind, row.city) == (kind.strip(), city.strip())


@given(st.binary(max_size=300))
def test_junk_bytes_raise_only_catalogue_errors(data):
    try:
        rows = list(parse_catalogue(decode_catalogue(data)))
    except CatalogueError as error:
        assert str(error)
    else:
        assert all(len(row.postal_code) == 5 and len(row.municipality_code) == 5 for row in rows)
