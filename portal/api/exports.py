"""The open-data downloads: four datasets, each as CSV and as JSON, streamed row by row.

A dataset is its columns (which are also its data dictionary on /datos/) and a generator of records built by
``records``, the same builders the API uses: the JSON download of services is the list of full sheets exactly as
``/api/v1/tramites/{homoclave}/`` gives them, and each CSV column is a field of those records flattened with ``_``
(``institucion.slug`` → ``institucion_slug``; lists joined with `` | ``).

Rows come from ``QuerySet.iterator(chunk_size=…)``, so memory stays flat whatever the size of the catalogue: the file
is never built whole, neither here nor in the response.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.agencies import queries as agency_queries
from portal.appointments import queries as appointment_queries
from portal.core.spreadsheets import safe_text
from portal.insights import queries as insight_queries
from portal.payments import queries as payment_queries
from portal.services import queries as service_queries

from . import records
from .records import Addresses

CHUNK_SIZE = 200
LIST_SEPARATOR = " | "

TEXT = _("texto")
INTEGER = _("entero")
DECIMAL = _("número decimal")
BOOLEAN = _("booleano: true o false")
DATETIME = _("fecha y hora ISO 8601, UTC")
LIST = _("lista separada por « | »")


@dataclass(frozen=True)
class Column:
    name: str
    kind: Promise
    description: Promise
    example: str
    value: Callable[[dict], Any]
    free_text: bool = False


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: Promise
    description: Promise
    columns: tuple[Column, ...]
    records: Callable[[Addresses], Iterator[dict]]


def _key(*path: str) -> Callable[[dict], Any]:
    def read(record: dict) -> Any:
        value: Any = record
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        return value

    return read


def _each(key: str, render: Callable[[Any], str] | None = None) -> Callable[[dict], list]:
    return lambda record: [render(item) if render else item for item in record.get(key) or []]


def _text(name: str, description: Promise, example: str, *path: str) -> Column:
    return Column(name, TEXT, description, example, _key(*(path or (name,))), free_text=True)


def _code(name: str, description: Promise, example: str, *path: str) -> Column:
    return Column(name, TEXT, description, example, _key(*(path or (name,))))


def _integer(name: str, description: Promise, example: str) -> Column:
    return Column(name, INTEGER, description, example, _key(name))


def _boolean(name: str, description: Promise, example: str = "true") -> Column:
    return Column(name, BOOLEAN, description, example, _key(name))


def _list(name: str, description: Promise, example: str, render: Callable[[Any], str] | None = None) -> Column:
    return Column(name, LIST, description, example, _each(name, render), free_text=True)


SERVICE_COLUMNS = (
    _code("homoclave", _("Clave del trámite en el Registro Nacional de Trámites y Servicios."), "IMSS-02-008"),
    _text("nombre", _("Nombre del trámite o servicio."), "Cambio de Unidad de Medicina Familiar"),
    _text("descripcion", _("Qué obtiene la persona y para qué le sirve, en lenguaje claro."), "Permite cambiar…"),
    _text("resultado", _("Qué se obtiene al terminar."), "Asignación a la nueva Unidad de Medicina Familiar"),
    _code("dirigido_a", _("Quién lo solicita: persona, empresa o ambas."), "persona"),
    _code("institucion_slug", _("Identificador de la institución responsable."), "imss", "institucion", "slug"),
    _code("institucion_siglas", _("Siglas de la institución responsable."), "IMSS", "institucion", "siglas"),
    _text(
        "institucion_nombre",
        _("Nombre de la institución."),
        "Instituto Mexicano del Seguro Social",
        "institucion",
        "nombre",
    ),
    _code(
        "institucion_orden", _("Orden de gobierno: federal, estatal o municipal."), "federal", "institucion", "orden"
    ),
    _list("canales", _("Por dónde se hace: en-linea, presencial, telefono."), "en-linea | presencial"),
    _code("url_en_linea", _("Dirección para hacerlo en línea; vacía si no se puede."), "https://www.imss.gob.mx/…"),
    _boolean("presencial", _("Si se hace en una oficina.")),
    _text("telefono", _("Atención telefónica; vacía si no hay."), "800 623 2323"),
    _boolean("gratuito", _("Si no tiene ningún costo.")),
    _integer(
        "costo_minimo_centavos",
        _(
            "El menor de los costos, en centavos de peso (179000 = $1,790.00); los costos son alternativos según el caso y no se suman. 0 si es gratuito o variable."
        ),
        "0",
    ),
    _list(
        "costos",
        _("Cada costo como «concepto: monto en centavos»."),
        "Pasaporte ordinario, 3 años: 179000",
        lambda fee: f"{fee['concepto']}: {fee['monto_centavos']}",
    ),
    _text("informacion_de_pago", _("Cómo y dónde pagar."), "Pago en ventanilla bancaria…"),
    _integer("plazo_resolucion_dias_habiles", _("Plazo máximo de resolución en días hábiles; 0 es inmediato."), "0"),
    _code(
        "silencio_administrativo",
        _("Si la autoridad no responde en el plazo: afirmativa, negativa o no_aplica."),
        "no_aplica",
    ),
    _text("vigencia", _("Vigencia del resultado."), "Indefinida"),
    _list("casos", _("Casos en que debe realizarse."), "Cuando cambias de domicilio"),
    _list(
        "requisitos",
        _("Documentos y datos que se piden (el detalle está en la API)."),
        "CURP | Comprobante de domicilio",
        lambda item: item["documento"],
    ),
    _list("pasos", _("Pasos en orden."), "Ingresa a … | Captura …"),
    _list(
        "fundamento_juridico",
        _("Ordenamientos y artículos en que se funda."),
        "Ley del Seguro Social, Artículo 91",
        lambda item: ", ".join(part for part in (item["ordenamiento"], item["articulos"]) if part),
    ),
    _list(
        "formatos", _("Direcciones de los formatos que se llenan."), "https://…/formato.pdf", lambda item: item["url"]
    ),
    _list(
        "oficinas",
        _("Identificadores de las oficinas donde se hace (columna id de oficinas.csv)."),
        "12 | 15",
        lambda item: str(item["id"]),
    ),
    _text("contacto", _("Dónde resolver dudas."), "Teléfono 800 623 2323"),
    _text("quejas", _("Dónde presentar quejas y denuncias."), "Órgano Interno de Control…"),
    _list("temas", _("Identificadores de sus temas."), "salud | seguridad-social", lambda item: item["slug"]),
    _list("momentos_de_vida", _("Identificadores de sus momentos de vida."), "mudarse", lambda item: item["slug"]),
    _integer("nivel_digitalizacion", _("De 1 (solo información) a 5 (totalmente en línea)."), "5"),
    _integer("volumen_anual", _("Solicitudes estimadas al año."), "1200000"),
    _integer("minutos_promedio_persona", _("Tiempo promedio que dedica la persona, con traslados y filas."), "15"),
    _text("palabras_clave", _("Palabras con que la gente lo busca, separadas por comas."), "cambio de clínica, UMF"),
    _code("url", _("Ficha pública del trámite."), "https://…/tramites/IMSS-02-008/"),
    Column(
        "ultima_publicacion",
        DATETIME,
        _("Cuándo se publicó la versión vigente de la ficha."),
        "2025-01-31T18:00:00Z",
        _key("ultima_publicacion"),
    ),
)

AGENCY_COLUMNS = (
    _code("slug", _("Identificador de la institución en las direcciones."), "imss"),
    _code("siglas", _("Siglas; son el prefijo de las homoclaves de sus trámites."), "IMSS"),
    _text("nombre", _("Nombre oficial."), "Instituto Mexicano del Seguro Social"),
    _text("nombre_corto", _("Nombre corto, si lo tiene."), "Seguro Social"),
    _code("orden", _("Orden de gobierno: federal, estatal o municipal."), "federal"),
    _code(
        "naturaleza",
        _(
            "Naturaleza jurídica: secretaria, descentralizado, desconcentrado, autonomo, empresa, gobierno_estatal, dependencia_estatal o ayuntamiento."
        ),
        "descentralizado",
    ),
    _code(
        "sector_slug",
        _("Identificador de la institución que encabeza su sector; vacío si no tiene."),
        "ssa",
        "sector",
        "slug",
    ),
    _code("sector_siglas", _("Siglas de la cabeza de sector."), "SSA", "sector", "siglas"),
    _code(
        "estado_clave_inegi",
        _("Clave INEGI de la entidad federativa (estatales y municipales)."),
        "06",
        "estado",
        "clave_inegi",
    ),
    _text("estado_nombre", _("Entidad federativa."), "Colima", "estado", "nombre"),
    _code("municipio_clave_inegi", _("Clave INEGI del municipio (municipales)."), "06002", "municipio", "clave_inegi"),
    _text("municipio_nombre", _("Municipio."), "Colima", "municipio", "nombre"),
    _text("descripcion", _("Qué hace."), "Garantiza el derecho a la salud…"),
    _code("sitio_web", _("Sitio web oficial."), "https://www.imss.gob.mx"),
    _text("telefono", _("Teléfono de atención."), "800 623 2323"),
    _code("correo", _("Correo electrónico de atención."), "contacto@imss.gob.mx"),
    _integer("numero_de_tramites", _("Trámites vigentes publicados en el portal."), "42"),
    _code("url", _("Página pública de la institución."), "https://…/gobierno/imss/"),
    Column("actualizado", DATETIME, _("Última modificación de su ficha."), "2025-01-31T18:00:00Z", _key("actualizado")),
)

OFFICE_COLUMNS = (
    _integer("id", _("Identificador estable de la oficina."), "12"),
    _code("institucion_slug", _("Identificador de su institución."), "imss", "institucion", "slug"),
    _code("institucion_siglas", _("Siglas de su institución."), "IMSS", "institucion", "siglas"),
    _text(
        "institucion_nombre",
        _("Nombre de su institución."),
        "Instituto Mexicano del Seguro Social",
        "institucion",
        "nombre",
    ),
    _text("nombre", _("Nombre de la oficina."), "Subdelegación Colima"),
    _text("calle", _("Calle y número."), "Av. Camino Real 1201"),
    _text("colonia", _("Colonia o asentamiento."), "Centro"),
    _code("codigo_postal", _("Código postal de 5 dígitos."), "28000"),
    _code("municipio_clave_inegi", _("Clave INEGI del municipio."), "06002", "municipio", "clave_inegi"),
    _text("municipio_nombre", _("Municipio."), "Colima", "municipio", "nombre"),
    _code("estado_clave_inegi", _("Clave INEGI de la entidad federativa."), "06", "estado", "clave_inegi"),
    _text("estado_nombre", _("Entidad federativa."), "Colima", "estado", "nombre"),
    _text("horario", _("Horario de atención."), "Lunes a viernes de 8:00 a 15:00 h"),
    _text("telefono", _("Teléfono."), "312 000 0000"),
    _code("correo", _("Correo electrónico."), "colima@imss.gob.mx"),
    Column("latitud", DECIMAL, _("Latitud WGS84 en grados decimales."), "19.2436", _key("latitud")),
    Column("longitud", DECIMAL, _("Longitud WGS84 en grados decimales."), "-103.725", _key("longitud")),
    _text("accesibilidad", _("Rampas, elevador, baño accesible, intérprete…"), "Rampa y baño accesible"),
    _code("zona_horaria", _("Zona horaria IANA de la oficina."), "America/Mexico_City"),
)


WAIT_COLUMNS = (
    _code("fecha", _("Día, en la hora local de la oficina (AAAA-MM-DD)."), "2027-03-01"),
    _integer("oficina_id", _("Identificador de la oficina (columna id de oficinas.csv)."), "12"),
    _text("oficina_nombre", _("Nombre de la oficina."), "Oficina de Pasaportes Colima"),
    _code("institucion_siglas", _("Siglas de la institución."), "SRE"),
    _code("homoclave", _("Clave del trámite (columna homoclave de tramites.csv)."), "SRE-01-001"),
    _text("tramite", _("Nombre del trámite."), "Pasaporte ordinario por primera vez"),
    _integer("turnos", _("Turnos que se dieron ese día para el trámite, con cita o sin ella."), "64"),
    _integer("con_cita", _("De ellos, los de personas que llegaron con cita."), "40"),
    _integer("atendidos", _("Turnos atendidos hasta el final."), "59"),
    _integer("no_se_presentaron", _("Turnos llamados cuya persona no se presentó."), "5"),
    Column(
        "espera_mediana_min",
        DECIMAL,
        _("Mediana de la espera en minutos, desde que la persona toma el turno hasta que la llaman."),
        "12.5",
        _key("espera_mediana_min"),
    ),
    Column(
        "espera_p90_min",
        DECIMAL,
        _("Espera en minutos que no rebasa el 90 % de las personas."),
        "31.0",
        _key("espera_p90_min"),
    ),
    Column(
        "atencion_mediana_min",
        DECIMAL,
        _("Mediana de la duración de la atención en ventanilla, en minutos."),
        "18.2",
        _key("atencion_mediana_min"),
    ),
    Column(
        "atencion_p90_min",
        DECIMAL,
        _("Duración de la atención en minutos que no rebasa el 90 % de las atenciones."),
        "27.4",
        _key("atencion_p90_min"),
    ),
)


VISIT_COLUMNS = (
    _code("fecha", _("Día terminado, en la hora del centro de México (AAAA-MM-DD)."), "2027-03-01"),
    _integer("visitas", _("Páginas vistas en todo el portal ese día, contadas en el servidor, sin robots."), "152340"),
    _integer(
        "visitantes",
        _("Visitantes distintos ese día: una clave que solo vale un día, sin cookies ni direcciones IP guardadas."),
        "61200",
    ),
    _integer("visitantes_celular", _("De ellos, desde un celular."), "23870"),
    _integer("visitantes_tableta", _("De ellos, desde una tableta."), "3672"),
    _integer("visitantes_computadora", _("De ellos, desde una computadora."), "33658"),
)


COLLECTION_COLUMNS = (
    _code("mes", _("Mes en que se emitieron las líneas de captura (AAAA-MM, hora del centro de México)."), "2027-03"),
    _code("institucion_siglas", _("Siglas de la institución que cobra."), "SRE"),
    _code("homoclave", _("Clave del trámite (columna homoclave de tramites.csv)."), "SRE-02-002"),
    _text("tramite", _("Nombre del trámite."), "Renovación de pasaporte ordinario"),
    _integer("lineas_emitidas", _("Líneas de captura emitidas en el mes (sin contar las reemisiones)."), "120"),
    _integer("pagadas", _("De ellas, las pagadas por cualquier canal."), "104"),
    _integer("en_linea", _("Pagadas en línea con tarjeta."), "61"),
    _integer("en_banco", _("Pagadas en ventanilla bancaria."), "30"),
    _integer("por_transferencia", _("Pagadas por transferencia SPEI."), "9"),
    _integer("en_tienda", _("Pagadas en tiendas de conveniencia."), "4"),
    _integer("con_descuento", _("Líneas con una exención o descuento de ley."), "12"),
    Column(
        "recaudado_pesos",
        DECIMAL,
        _("Pesos recaudados; vacío con menos de 3 pagos en el mes (serían los de una o dos personas)."),
        "253760.00",
        _key("recaudado_pesos"),
    ),
    Column(
        "reembolsado_pesos",
        DECIMAL,
        _("Pesos reembolsados de esos pagos; vacío como arriba."),
        "2440.00",
        _key("reembolsado_pesos"),
    ),
    Column(
        "descuentos_pesos",
        DECIMAL,
        _("Pesos descontados por exenciones de ley; vacío como arriba."),
        "10980.00",
        _key("descuentos_pesos"),
    ),
)


#: Empty cells of the KPI download: the small-count rule of docs/insights.md, «Supresión de cifras pequeñas».
HIDDEN_NOTE = _("Vacío con menos de 10 casos o sin datos.")


def _kpi_integer(name: str, description: Promise, example: str) -> Column:
    return Column(name, INTEGER, format_lazy("{} {}", description, HIDDEN_NOTE), example, _key(name))


def _kpi_decimal(name: str, description: Promise, example: str) -> Column:
    return Column(name, DECIMAL, format_lazy("{} {}", description, HIDDEN_NOTE), example, _key(name))


KPI_COLUMNS = (
    _code("mes", _("Mes (AAAA-MM, hora del centro de México)."), "2027-03"),
    _code("institucion_siglas", _("Siglas de la institución responsable."), "SRE"),
    _code("homoclave", _("Clave del trámite (columna homoclave de tramites.csv)."), "SRE-02-002"),
    _text("tramite", _("Nombre del trámite."), "Renovación de pasaporte ordinario"),
    _kpi_integer("solicitudes", _("Solicitudes recibidas en el mes por cualquier canal."), "420"),
    _kpi_integer("en_linea", _("De ellas, enviadas en línea."), "300"),
    _kpi_integer("en_ventanilla", _("Recibidas en ventanilla con ayuda de personal."), "100"),
    _kpi_integer("por_sistema", _("Recibidas por el sistema de la institución."), "20"),
    _kpi_decimal(
        "porcentaje_en_linea", _("Porcentaje de las solicitudes enviadas en línea (adopción digital)."), "71.4"
    ),
    _kpi_integer("iniciadas_en_linea", _("Solicitudes empezadas en línea en el mes."), "380"),
    _kpi_integer("terminadas_en_linea", _("De las empezadas en el mes, las que se enviaron."), "310"),
    _kpi_decimal("porcentaje_terminadas", _("Porcentaje de las empezadas en línea que se enviaron."), "81.6"),
    _kpi_decimal(
        "minutos_para_completar_mediana",
        _("Mediana de minutos desde que se empezó hasta que se envió una solicitud en línea."),
        "18.5",
    ),
    _kpi_integer("resueltas", _("Solicitudes resueltas en el mes."), "280"),
    _kpi_decimal(
        "dias_para_resolver_mediana", _("Mediana de días naturales desde el envío hasta la resolución."), "6.0"
    ),
    _kpi_decimal("porcentaje_en_plazo", _("Porcentaje de las resueltas dentro de su plazo legal."), "92.5"),
)


def _batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _service_records(addresses: Addresses) -> Iterator[dict]:
    sheets = service_queries.api_service_sheets().iterator(chunk_size=CHUNK_SIZE)
    for batch in _batched(sheets, CHUNK_SIZE):
        documents = records.documents_for(batch)
        for service in batch:
            yield records.service_sheet(service, addresses, documents)


def _agency_records(addresses: Addresses) -> Iterator[dict]:
    for agency in agency_queries.agency_directory().iterator(chunk_size=CHUNK_SIZE):
        yield records.agency_record(agency, addresses, agency.service_count)


def _office_records(addresses: Addresses) -> Iterator[dict]:
    for office in agency_queries.office_directory().iterator(chunk_size=CHUNK_SIZE):
        yield records.office_record(office)


def _wait_records(addresses: Addresses) -> Iterator[dict]:
    yield from appointment_queries.daily_waits()


def _collection_records(addresses: Addresses) -> Iterator[dict]:
    yield from payment_queries.monthly_collections()


def _visit_records(addresses: Addresses) -> Iterator[dict]:
    yield from insight_queries.daily_portal_audience()


def _kpi_records(addresses: Addresses) -> Iterator[dict]:
    yield from insight_queries.monthly_kpis()


DATASETS = {
    "tramites": Dataset(
        "tramites",
        _("Trámites y servicios"),
        _("Cada trámite y servicio vigente del catálogo nacional, con su ficha completa."),
        SERVICE_COLUMNS,
        _service_records,
    ),
    "instituciones": Dataset(
        "instituciones",
        _("Instituciones"),
        _("Dependencias y entidades vigentes de los tres órdenes de gobierno."),
        AGENCY_COLUMNS,
        _agency_records,
    ),
    "oficinas": Dataset(
        "oficinas",
        _("Oficinas de atención"),
        _("Oficinas abiertas de las instituciones, con dirección, horario y coordenadas."),
        OFFICE_COLUMNS,
        _office_records,
    ),
    "esperas": Dataset(
        "esperas",
        _("Tiempos de espera y de atención en oficinas"),
        _(
            "Por oficina, trámite y día terminado: turnos dados, atendidos y sin presentarse, y la mediana y el "
            "percentil 90 de la espera y de la atención en ventanilla. Cifras agregadas, sin datos de personas."
        ),
        WAIT_COLUMNS,
        _wait_records,
    ),
    "recaudacion": Dataset(
        "recaudacion",
        _("Recaudación de derechos por trámite"),
        _(
            "Por mes terminado, institución y trámite: líneas de captura emitidas y pagadas, por canal, con "
            "descuento de ley, y los pesos recaudados, reembolsados y descontados. Cifras agregadas, sin datos de "
            "personas."
        ),
        COLLECTION_COLUMNS,
        _collection_records,
    ),
    "visitas": Dataset(
        "visitas",
        _("Visitas al portal"),
        _(
            "Por día terminado: páginas vistas y visitantes distintos de todo el portal, por tipo de dispositivo. "
            "Contadas en el servidor, sin cookies ni direcciones IP guardadas."
        ),
        VISIT_COLUMNS,
        _visit_records,
    ),
    "desempeno": Dataset(
        "desempeno",
        _("Desempeño de los trámites"),
        _(
            "Por mes terminado y trámite: solicitudes por canal y porcentaje en línea, solicitudes empezadas y "
            "terminadas en línea, mediana del tiempo para completarlas y para resolverlas y porcentaje resuelto en "
            "plazo. Cifras agregadas; las menores de 10 no se publican."
        ),
        KPI_COLUMNS,
        _kpi_records,
    ),
}

_ENCODER = DjangoJSONEncoder()


def csv_cell(value: Any, free_text: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return _ENCODER.default(value)
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(str(item) for item in value)
    text = str(value)
    # A cell that starts like a formula runs as one when the file is opened in a spreadsheet (core.spreadsheets).
    return safe_text(text) if free_text else text


class _Echo:
    """A file-like object whose ``write`` returns the line, so ``csv.writer`` can feed a generator."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(dataset: Dataset, addresses: Addresses) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # UTF-8 with a byte-order mark: Excel guesses a CSV's encoding and, without the BOM, reads UTF-8 as Windows-1252
    # ("Trámite" turns into "TrÃ¡mite"). LibreOffice, pandas and Python's "utf-8-sig" all accept the BOM.
    yield "\ufeff" + writer.writerow([column.name for column in dataset.columns])
    for batch in _batched(dataset.records(addresses), CHUNK_SIZE):
        yield "".join(
            writer.writerow([csv_cell(column.value(record), column.free_text) for column in dataset.columns])
            for record in batch
        )


def json_chunks(dataset: Dataset, addresses: Addresses) -> Iterator[str]:
    """A JSON array written element by element: valid JSON when complete, never held whole in memory."""
    separator = "[\n"
    for batch in _batched(dataset.records(addresses), CHUNK_SIZE):
        parts = []
        for record in batch:
            parts.append(separator + json.dumps(record, cls=DjangoJSONEncoder, ensure_ascii=False))
            separator = ",\n"
        yield "".join(parts)
    yield "[]\n" if separator == "[\n" else "\n]\n"
