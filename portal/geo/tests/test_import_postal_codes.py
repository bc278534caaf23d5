import io

import pytest
from django.core.management import CommandError, call_command

from portal.geo.actions import do_load_package_settlements
from portal.geo.models import Municipality, Settlement

NOTICE = (
    "El Catálogo Nacional de Códigos Postales, es elaborado por Correos de México y se proporciona en forma gratuita "
    "para uso particular, no estando permitida su comercialización, total o parcial, ni su distribución a terceros "
    "bajo ningún concepto."
)
HEADER = (
    "d_codigo|d_asenta|d_tipo_asenta|D_mnpio|d_estado|d_ciudad|d_CP|c_estado|c_oficina|c_CP|c_tipo_asenta|c_mnpio|"
    "id_asenta_cpcons|d_zona|c_cve_ciudad"
)
ROWS = [
    "28000|Colima Centro|Colonia|Colima|Colima|Colima|28001|06|28001||09|002|0001|Urbano|01",
    "28010|El Diezmo|Colonia|Colima|Colima|Colima|28001|06|28001||09|002|0008|Urbano|01",
    "28017|Residencial Esmeralda|Fraccionamiento|Colima|Colima|Colima|28001|06|28001||21|002|0015|Urbano|01",
    "28970|Villa de Álvarez Centro|Colonia|Villa de Álvarez|Colima|Ciudad de Villa de Álvarez|28971|06|28971||09|010|0001|Urbano|02",
    "28200|Manzanillo Centro|Colonia|Manzanillo|Colima|Manzanillo|28201|06|28201||09|007|0001|Urbano|03",
    "44100|Guadalajara Centro|Colonia|Guadalajara|Jalisco|Guadalajara|44101|14|44101||09|039|0001|Urbano|01",
]


def write_catalogue(tmp_path, rows=ROWS, encoding="latin-1", name="CPdescarga.txt"):
    path = tmp_path / name
    path.write_bytes(("\r\n".join([NOTICE, HEADER, *rows]) + "\r\n").encode(encoding))
    return path


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_postal_codes", *map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_imports_the_official_latin1_file(tmp_path):
    output = run(write_catalogue(tmp_path))

    assert "6 nuevos" in output
    centro = Settlement.objects.get(postal_code="28000")
    assert (centro.name, centro.kind, centro.city) == ("Colima Centro", "Colonia", "Colima")
    assert centro.municipality.inegi_code == "06002"
    assert Settlement.objects.get(postal_code="28970").municipality.name == "Villa de Álvarez"


@pytest.mark.django_db
def test_importing_the_same_file_twice_changes_nothing(tmp_path):
    path = write_catalogue(tmp_path)
    run(path)
    before = list(Settlement.objects.values_list("id", "postal_code", "name", "kind", "city", "municipality_id"))

    output = run(path)

    assert "0 nuevos, 0 actualizados, 6 sin cambios" in output
    after = list(Settlement.objects.values_list("id", "postal_code", "name", "kind", "city", "municipality_id"))
    assert after == before


@pytest.mark.django_db
def test_a_municipality_missing_from_the_database_is_created_from_its_codes(tmp_path):
    assert not Municipality.objects.filter(inegi_code="14039").exists()

    output = run(write_catalogue(tmp_path))

    guadalajara = Municipality.objects.get(inegi_code="14039")
    assert (guadalajara.name, guadalajara.state.code) == ("Guadalajara", "14")
    assert "Municipios nuevos: 1" in output


@pytest.mark.django_db
def test_a_corrected_catalogue_updates_kind_and_city(tmp_path):
    run(write_catalogue(tmp_path))
    corrected = [ROWS[0].replace("|Colonia|", "|Barrio|"), *ROWS[1:]]

    output = run(write_catalogue(tmp_path, corrected, name="nuevo.txt"))

    assert "1 actualizados" in output
    assert Settlement.objects.get(postal_code="28000").kind == "Barrio"


@pytest.mark.django_db
def test_state_option_imports_only_that_state(tmp_path):
    run(write_catalogue(tmp_path), "--state", "14")
    assert list(Settlement.objects.values_list("postal_code", flat=True)) == ["44100"]


@pytest.mark.django_db
def test_a_file_that_is_not_the_catalogue_is_refused_without_writing(tmp_path):
    path = tmp_path / "clientes.csv"
    path.write_text("nombre,telefono\nAna,3120000000\n", encoding="utf-8")

    with pytest.raises(CommandError, match="No parece el catálogo"):
        run(path)
    assert not Settlement.objects.exists()


@pytest.mark.django_db
def test_a_broken_line_is_named_and_nothing_is_imported(tmp_path):
    path = write_catalogue(tmp_path, [*ROWS[:2], "28020|La Armonía|Colonia|Colima"])

    with pytest.raises(CommandError, match="Línea 5: tiene 4 columnas"):
        run(path)
    assert not Settlement.objects.exists()


@pytest.mark.django_db
def test_an_unknown_state_code_is_refused(tmp_path):
    path = write_catalogue(tmp_path, [ROWS[0].replace("|06|28001||09|002|", "|99|28001||09|002|")])

    with pytest.raises(CommandError, match="«99»"):
        run(path)
    assert not Settlement.objects.exists()


@pytest.mark.django_db
def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No encuentro el archivo"):
        run(tmp_path / "no-existe.txt")


@pytest.mark.django_db
def test_colima_settlements_load_offline_from_the_postalcodes_mexico_package():
    first = do_load_package_settlements("06")

    assert first.created > 800
    centro = Settlement.objects.get(postal_code="28000", name="Colima Centro")
    assert centro.municipality.inegi_code == "06002"
    assert Settlement.objects.filter(municipality__inegi_code="06007", postal_code="28200").exists()
    assert set(Settlement.objects.values_list("municipality__state__code", flat=True)) == {"06"}

    second = do_load_package_settlements("06")
    assert (second.created, second.updated) == (0, 0)
