"""The small, realistic catalogue the browser tests look at.

Browser tests run against a live server, so their database is emptied after every test (``TransactionTestCase``
semantics). That also empties what Wagtail's data migrations created (the page-tree root, the default site, the root
collection, the default locale); ``ensure_cms_baseline`` puts those back (the conftest calls it before every
live-server test), so the builder works on a freshly migrated database and on a flushed one alike. The fixtures
build the catalogue once per session and copy it back for later tests (``snapshots.py``).

Everything is built through the apps' own factories, so a sheet here is exactly what an editor would publish.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from portal.agencies.models import Agency, AgencyKind, Level, Office
from portal.agencies.tests.factories import make_agency, make_municipality, make_office, make_state
from portal.services.models import Digitization, LifeEvent, ServicePage, Topic
from portal.services.tests.factories import make_life_event, make_service, make_topic

PASSPORT_HOMOCLAVE = "SRE-02-001"

# Town-hall procedures used only to fill a second page of the catalogue (it lists 20 services per page).
_MUNICIPAL_FILLERS = [
    ("Constancia de residencia", "Documento que acredita que usted vive en el municipio de Colima."),
    ("Permiso de construcción menor", "Autoriza bardas, remodelaciones y ampliaciones de hasta 30 m²."),
    ("Alineamiento y número oficial", "Asigna el número oficial de su predio y fija su alineamiento con la calle."),
    ("Licencia de uso de suelo", "Confirma que la actividad que planea está permitida en ese predio."),
    ("Permiso para eventos en la vía pública", "Autoriza fiestas, ferias y eventos que ocupen calles o plazas."),
    ("Permiso de poda o derribo de árboles", "Autoriza podar o retirar un árbol en la banqueta o en su predio."),
    ("Licencia de anuncios", "Autoriza colocar un anuncio fijo visible desde la vía pública."),
    ("Constancia de no adeudo del impuesto predial", "Acredita que su predio está al corriente en el predial."),
    ("Registro de fierro de herrar", "Inscribe la marca con la que identifica a su ganado."),
    ("Permiso de comercio en la vía pública", "Autoriza vender en un puesto semifijo en un lugar y horario."),
    ("Dictamen de protección civil para negocios", "Revisa que su local cumpla las medidas de seguridad."),
    ("Constancia de identidad", "Acredita su identidad cuando no cuenta con una identificación oficial."),
    ("Cartilla del Servicio Militar Nacional", "Trámite de la precartilla para varones de 18 años o más."),
    ("Permiso de rotura de pavimento", "Autoriza abrir la calle para conectar agua, drenaje o gas."),
    ("Certificado de no infracción de tránsito", "Acredita que un vehículo no tiene multas municipales."),
]


@dataclass
class DemoCatalogue:
    """What the builder made, by the names the tests use."""

    agencies: dict[str, Agency] = field(default_factory=dict)
    offices: dict[str, Office] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    life_events: dict[str, LifeEvent] = field(default_factory=dict)
    services: dict[str, ServicePage] = field(default_factory=dict)

    @property
    def passport(self) -> ServicePage:
        return self.services[PASSPORT_HOMOCLAVE]


def ensure_cms_baseline() -> bool:
    """Recreate, if missing, the rows Wagtail's data migrations create and a flush removes; say if any was missing."""
    _locale, created = Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
        created = True
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root"))
        created = True
    if not Site.objects.filter(is_default_site=True).exists():
        home = root.get_children().first() or root.add_child(instance=Page(title="Inicio", slug="inicio"))
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Ventanilla")
        created = True
    return created


def _requirement(document: str, presentation: str = "original", conditions: str = "", copies: int | None = None):
    value = {"document": document, "presentation": presentation, "copies": copies, "conditions": conditions}
    return {"type": "requirement", "value": value}


def _fee(concept: str, centavos: int):
    return {"type": "fee", "value": {"concept": concept, "amount": centavos}}


def _law(law: str, articles: str = "", url: str = ""):
    return {"type": "legal_basis", "value": {"law": law, "articles": articles, "url": url}}


def _steps(*texts: str):
    return [{"type": "step", "value": text} for text in texts]


def build_demo_catalogue(*, second_page: bool = False) -> DemoCatalogue:
    """Five entities of the three levels of government, their offices, topics, life events and ten services.

    With ``second_page`` the town hall also gets fifteen short procedures, so that the catalogue has a page 2.
    One transaction: live-server tests run in autocommit, and this makes one commit instead of hundreds.
    """
    with transaction.atomic():
        demo = _build(second_page=second_page)
    return demo


def _build(*, second_page: bool) -> DemoCatalogue:
    ensure_cms_baseline()
    demo = DemoCatalogue()
    colima_state = make_state("06", "Colima", "CM")
    colima = make_municipality("06002", "Colima")
    villa = make_municipality("06010", "Villa de Álvarez")

    a = demo.agencies
    a["SALUD"] = make_agency(
        "SALUD",
        name="Secretaría de Salud",
        slug="salud",
        kind=AgencyKind.SECRETARIAT,
        description="Conduce la política nacional de salud y encabeza el sector salud.",
        website="https://www.gob.mx/salud",
    )
    a["IMSS"] = make_agency(
        "IMSS",
        name="Instituto Mexicano del Seguro Social",
        slug="imss",
        kind=AgencyKind.DECENTRALISED,
        sector=a["SALUD"],
        description="Brinda servicios de salud y seguridad social a las personas trabajadoras y sus familias.",
        website="https://www.imss.gob.mx",
        phone="800 623 2323",
    )
    a["SRE"] = make_agency(
        "SRE",
        name="Secretaría de Relaciones Exteriores",
        slug="sre",
        kind=AgencyKind.SECRETARIAT,
        description="Conduce la política exterior de México y expide pasaportes y documentos consulares.",
        website="https://www.gob.mx/sre",
        phone="55 3686 5100",
    )
    a["SEMOVCOL"] = make_agency(
        "SEMOVCOL",
        level=Level.STATE,
        state=colima_state,
        name="Secretaría de Movilidad del Estado de Colima",
        short_name="Movilidad Colima",
        slug="movilidad-colima",
        kind=AgencyKind.STATE_AGENCY,
        description="Expide licencias de conducir, placas y tarjetas de circulación en el estado de Colima.",
    )
    a["AYTOCOLIMA"] = make_agency(
        "AYTOCOLIMA",
        level=Level.MUNICIPAL,
        state=colima_state,
        municipality=colima,
        name="H. Ayuntamiento de Colima",
        short_name="Ayuntamiento de Colima",
        slug="ayuntamiento-colima",
        kind=AgencyKind.MUNICIPALITY,
        description="Gobierno del municipio de Colima: licencias de negocio, predial, agua y obra pública.",
    )

    o = demo.offices
    o["sre"] = make_office(
        a["SRE"],
        "Oficina de Pasaportes en Colima",
        street="Av. Constitución 1910",
        settlement="Lomas de Circunvalación",
        postal_code="28010",
        municipality=colima,
        opening_hours="Lunes a viernes de 8:00 a 14:30 h, con cita",
        phone="312 314 0910",
        accessibility="Rampa de acceso y atención preferente",
    )
    o["imss"] = make_office(
        a["IMSS"],
        "Subdelegación Colima",
        street="Av. de los Maestros 149",
        settlement="Centro",
        postal_code="28000",
        municipality=colima,
        opening_hours="Lunes a viernes de 8:00 a 15:30 h",
        phone="312 316 2900",
    )
    o["semov"] = make_office(
        a["SEMOVCOL"],
        "Módulo de licencias Villa de Álvarez",
        street="Av. Benito Juárez 1325",
        settlement="Jardines de la Corregidora",
        postal_code="28970",
        municipality=villa,
        opening_hours="Lunes a viernes de 8:30 a 14:30 h y sábados de 9:00 a 13:00 h",
        phone="312 316 2200",
        latitude=Decimal("19.266100"),
        longitude=Decimal("-103.737300"),
    )
    o["ayto"] = make_office(
        a["AYTOCOLIMA"],
        "Ventanilla Única de Gestión Empresarial",
        street="Calle Gabino Barreda 30",
        settlement="Centro",
        postal_code="28000",
        municipality=colima,
        opening_hours="Lunes a viernes de 8:30 a 15:00 h",
        phone="312 316 4100",
    )

    t = demo.topics
    t["identidad"] = make_topic("Identidad y documentos", "identidad")
    t["salud"] = make_topic("Salud", "salud")
    t["movilidad"] = make_topic("Movilidad y transporte", "movilidad")
    t["empresas"] = make_topic("Empresas y negocios", "empresas")
    t["impuestos"] = make_topic("Impuestos y pagos", "impuestos")

    e = demo.life_events
    e["viajar"] = make_life_event("Viajar al extranjero", "viajar-al-extranjero")
    e["empleo"] = make_life_event("Tener un empleo", "tener-un-empleo")
    e["negocio"] = make_life_event("Abrir un negocio", "abrir-un-negocio")

    lfpa = _law("Ley Federal de Procedimiento Administrativo", "Artículos 15 y 17")
    s = demo.services
    s[PASSPORT_HOMOCLAVE] = make_service(
        a["SRE"],
        homoclave=PASSPORT_HOMOCLAVE,
        title="Pasaporte mexicano ordinario para personas mayores de edad",
        description="Obtenga el pasaporte, el documento oficial que le permite viajar al extranjero e identificarse.",
        result="Pasaporte ordinario con vigencia de 3, 6 o 10 años",
        validity="3, 6 o 10 años, según el periodo que pague",
        resolution_days=0,
        silence_rule="no_aplica",
        requirements=[
            _requirement("Cita programada en la Oficina de Pasaportes", "dato"),
            _requirement("Acta de nacimiento mexicana", "original"),
            _requirement(
                "Identificación oficial vigente con fotografía",
                "original",
                "Credencial para votar, cédula profesional o cartilla del Servicio Militar Nacional.",
            ),
            _requirement("Comprobante del pago de derechos", "original"),
        ],
        steps=_steps(
            "Agende su cita en línea o por teléfono.",
            "Pague los derechos en el banco o en línea con el formato que recibe al agendar.",
            "Acuda a su cita con los documentos originales.",
            "Recoja su pasaporte el mismo día.",
        ),
        fees=[
            _fee("Pasaporte con vigencia de 3 años", 173_000),
            _fee("Pasaporte con vigencia de 6 años", 235_000),
            _fee("Pasaporte con vigencia de 10 años", 411_000),
        ],
        payment_info="En ventanilla bancaria o por transferencia con la hoja de ayuda que recibe al agendar su cita.",
        legal_basis=[
            _law("Reglamento de Pasaportes y del Documento de Identidad y Viaje", "Artículos 13, 14 y 17"),
            _law("Ley Federal de Derechos", "Artículo 20", "https://www.diputados.gob.mx/LeyesBiblio/ref/lfd.htm"),
        ],
        online_url="https://citas.sre.gob.mx/",
        phone_channel="55 8932 4827",
        offices=[o["sre"]],
        topics=[t["identidad"]],
        life_events=[e["viajar"]],
        digitization=Digitization.ONLINE_APPLICATION,
        annual_volume=2_500_000,
        citizen_minutes=180,
        keywords="pasaporte, viajar, documento de viaje",
    )
    s["SRE-02-002"] = make_service(
        a["SRE"],
        homoclave="SRE-02-002",
        title="Pasaporte mexicano para menores de edad",
        description="Pasaporte para niñas, niños y adolescentes; lo solicitan su madre, su padre o su tutor.",
        result="Pasaporte ordinario",
        resolution_days=0,
        silence_rule="no_aplica",
        requirements=[
            _requirement("Acta de nacimiento de la persona menor de edad", "original"),
            _requirement(
                "Identificación oficial de la madre y del padre o del tutor",
                "original",
                "Ambos deben presentarse a la cita.",
            ),
        ],
        steps=_steps("Agende su cita.", "Acuda con la persona menor de edad y ambos padres."),
        fees=[_fee("Pasaporte con vigencia de 3 años", 173_000)],
        legal_basis=[_law("Reglamento de Pasaportes y del Documento de Identidad y Viaje", "Artículo 15")],
        online_url="https://citas.sre.gob.mx/",
        offices=[o["sre"]],
        topics=[t["identidad"]],
        life_events=[e["viajar"]],
        digitization=Digitization.ONLINE_APPLICATION,
        annual_volume=900_000,
        keywords="pasaporte, niños, menores",
    )
    s["SRE-02-010"] = make_service(
        a["SRE"],
        homoclave="SRE-02-010",
        title="Certificado de nacionalidad mexicana",
        description="Acredita la nacionalidad mexicana de quien nació en el extranjero de madre o padre mexicano.",
        resolution_days=30,
        silence_rule="negativa",
        requirements=[_requirement("Acta de nacimiento extranjera apostillada y traducida", "original_y_copia")],
        fees=[_fee("Certificado de nacionalidad", 141_800)],
        legal_basis=[_law("Ley de Nacionalidad", "Artículos 16 y 17")],
        topics=[t["identidad"]],
        annual_volume=12_000,
    )
    s["IMSS-02-008"] = make_service(
        a["IMSS"],
        homoclave="IMSS-02-008",
        title="Cambio de Unidad de Medicina Familiar",
        description="Cambie la clínica donde recibe atención médica, por ejemplo cuando se muda de domicilio.",
        result="Adscripción a la nueva Unidad de Medicina Familiar",
        resolution_days=0,
        silence_rule="no_aplica",
        requirements=[
            _requirement("Número de Seguridad Social", "dato"),
            _requirement("CURP", "dato"),
            _requirement("Comprobante de domicilio con antigüedad no mayor a 3 meses", "digital"),
        ],
        steps=_steps(
            "Entre al servicio en línea con su CURP.",
            "Elija la clínica que le corresponde por su nuevo domicilio.",
            "Descargue su comprobante de adscripción.",
        ),
        legal_basis=[_law("Ley del Seguro Social", "Artículo 251"), lfpa],
        online_url="https://serviciosdigitales.imss.gob.mx/",
        offices=[o["imss"]],
        topics=[t["salud"]],
        life_events=[e["empleo"]],
        digitization=Digitization.FULLY_ONLINE,
        annual_volume=1_200_000,
        citizen_minutes=15,
        keywords="clínica, UMF, cambio de domicilio",
    )
    s["IMSS-02-004"] = make_service(
        a["IMSS"],
        homoclave="IMSS-02-004",
        title="Asignación o localización del Número de Seguridad Social",
        description="Obtenga o consulte su Número de Seguridad Social para darse de alta en un empleo formal.",
        resolution_days=0,
        silence_rule="no_aplica",
        requirements=[_requirement("CURP", "dato"), _requirement("Correo electrónico personal", "dato")],
        legal_basis=[_law("Ley del Seguro Social", "Artículo 15")],
        online_url="https://serviciosdigitales.imss.gob.mx/",
        topics=[t["salud"]],
        life_events=[e["empleo"]],
        digitization=Digitization.FULLY_ONLINE,
        annual_volume=3_000_000,
        citizen_minutes=10,
        keywords="NSS, número de afiliación",
    )
    s["IMSS-02-020"] = make_service(
        a["IMSS"],
        homoclave="IMSS-02-020",
        title="Constancia de semanas cotizadas",
        description="Consulte cuántas semanas ha cotizado al IMSS, útil para su pensión o un crédito de vivienda.",
        resolution_days=0,
        silence_rule="no_aplica",
        requirements=[_requirement("CURP", "dato"), _requirement("Número de Seguridad Social", "dato")],
        legal_basis=[_law("Ley del Seguro Social", "Artículo 154")],
        online_url="https://serviciosdigitales.imss.gob.mx/",
        offices=[o["imss"]],
        topics=[t["salud"]],
        life_events=[e["empleo"]],
        digitization=Digitization.FULLY_ONLINE,
        annual_volume=1_800_000,
    )
    s["SEMOVCOL-01-001"] = make_service(
        a["SEMOVCOL"],
        homoclave="SEMOVCOL-01-001",
        title="Licencia de conducir para automovilista",
        description="Licencia para conducir automóviles particulares en el estado de Colima.",
        result="Licencia de conducir tipo automovilista",
        validity="3 o 5 años",
        resolution_days=0,
        silence_rule="no_aplica",
        requirements=[
            _requirement("Identificación oficial con fotografía", "original_y_copia", copies=1),
            _requirement("Comprobante de domicilio en Colima", "original_y_copia", copies=1),
            _requirement("Examen médico y de manejo aprobado", "original", "Solo para la primera licencia."),
        ],
        steps=_steps("Pague los derechos.", "Acuda al módulo con sus documentos.", "Tómese la fotografía."),
        fees=[_fee("Licencia con vigencia de 3 años", 86_700), _fee("Licencia con vigencia de 5 años", 126_400)],
        legal_basis=[
            _law("Ley de Movilidad Sustentable para el Estado de Colima", "Artículo 146"),
            _law("Ley de Hacienda del Estado de Colima", "Artículo 55 B"),
        ],
        in_person=True,
        offices=[o["semov"]],
        topics=[t["movilidad"]],
        digitization=Digitization.INFORMATION,
        annual_volume=85_000,
        citizen_minutes=150,
        keywords="licencia de manejo, licencia de conducir",
    )
    s["SEMOVCOL-01-002"] = make_service(
        a["SEMOVCOL"],
        homoclave="SEMOVCOL-01-002",
        title="Reposición de placas por robo o extravío",
        description="Obtenga nuevas placas cuando las suyas fueron robadas o se perdieron.",
        resolution_days=1,
        silence_rule="negativa",
        requirements=[
            _requirement("Denuncia o constancia de hechos ante el Ministerio Público", "original"),
            _requirement("Tarjeta de circulación", "original_y_copia"),
        ],
        fees=[_fee("Juego de placas", 98_500)],
        legal_basis=[_law("Ley de Movilidad Sustentable para el Estado de Colima", "Artículo 120")],
        offices=[o["semov"]],
        topics=[t["movilidad"]],
        annual_volume=9_000,
    )
    s["AYTOCOLIMA-01-001"] = make_service(
        a["AYTOCOLIMA"],
        homoclave="AYTOCOLIMA-01-001",
        title="Licencia de funcionamiento para negocios de bajo riesgo",
        description="Permite abrir un comercio de bajo riesgo (tienda, papelería, estética) en el municipio.",
        result="Licencia municipal de funcionamiento",
        validity="Un año calendario",
        resolution_days=3,
        silence_rule="afirmativa",
        audience="ambas",
        requirements=[
            _requirement("Identificación oficial de quien solicita", "copia", copies=1),
            _requirement("Constancia de situación fiscal", "copia", copies=1),
            _requirement("Comprobante del pago del impuesto predial del local", "copia", copies=1),
        ],
        steps=_steps(
            "Llene la solicitud en la Ventanilla Única.",
            "Pague los derechos con la orden de pago que le entregan.",
            "Recoja su licencia en un máximo de 3 días hábiles.",
        ),
        fees=[_fee("Expedición de licencia", 120_000)],
        legal_basis=[_law("Reglamento de Licencias Comerciales del Municipio de Colima", "Artículos 8 y 9")],
        offices=[o["ayto"]],
        topics=[t["empresas"]],
        life_events=[e["negocio"]],
        annual_volume=4_000,
        citizen_minutes=240,
    )
    s["AYTOCOLIMA-01-002"] = make_service(
        a["AYTOCOLIMA"],
        homoclave="AYTOCOLIMA-01-002",
        title="Pago del impuesto predial",
        description="Pague el impuesto anual de su casa o terreno; en enero y febrero hay descuento.",
        resolution_days=0,
        silence_rule="no_aplica",
        requirements=[_requirement("Clave catastral del predio", "dato")],
        fees=[],
        legal_basis=[_law("Ley de Hacienda para el Municipio de Colima", "Artículo 13")],
        online_url="https://www.colima.gob.mx/predial",
        offices=[o["ayto"]],
        topics=[t["impuestos"]],
        digitization=Digitization.ONLINE_PAYMENT,
        annual_volume=60_000,
        keywords="predial, impuesto, catastro",
    )

    if second_page:
        for number, (title, description) in enumerate(_MUNICIPAL_FILLERS, start=10):
            homoclave = f"AYTOCOLIMA-02-{number:03d}"
            s[homoclave] = make_service(
                a["AYTOCOLIMA"],
                homoclave=homoclave,
                title=title,
                description=description,
                offices=[o["ayto"]],
                annual_volume=100 + number,
            )
    return demo


# --- Entities' sites (portal/sites) ---------------------------------------------------------------------------------

SITE_BODY_WITH_EVERY_BLOCK = [
    {"type": "text", "value": "<p>Si una enfermedad te impide trabajar, el IMSS te paga una parte de tu salario.</p>"},
    {"type": "heading", "value": {"text": "Cuánto y cuándo se paga", "level": "h2"}},
    {"type": "inset_text", "value": {"text": "<p>El pago empieza el cuarto día de la incapacidad.</p>"}},
    {
        "type": "table",
        "value": {
            "caption": "Subsidio por enfermedad general",
            "columns": [
                {"type": "text", "heading": "Concepto"},
                {"type": "number", "heading": "Porcentaje del salario"},
            ],
            "rows": [{"values": ["Desde el cuarto día", "60"]}, {"values": ["Maternidad", "100"]}],
        },
    },
    {"type": "warning_text", "value": {"text": "El IMSS nunca te pide dinero por tramitar una incapacidad."}},
    {
        "type": "details",
        "value": {
            "summary": "¿Y si trabajo por mi cuenta?",
            "text": "<p>Necesitas estar inscrito voluntariamente.</p>",
        },
    },
    {
        "type": "accordion",
        "value": {
            "sections": [
                {"heading": "Requisitos", "summary": "Lo que llevas a la consulta", "text": "<p>Tu CURP y tu NSS.</p>"},
                {"heading": "Cómo se cobra", "summary": "", "text": "<p>Por transferencia a tu cuenta.</p>"},
            ]
        },
    },
    {
        "type": "call_to_action",
        "value": {"link": {"text": "Consultar mis incapacidades", "page": None, "url": "https://www.imss.gob.mx/"}},
    },
    {
        "type": "related_links",
        "value": {
            "heading": "Relacionado",
            "links": [{"text": "Directorio de instituciones", "page": None, "url": "https://www.gob.mx/gobierno"}],
        },
    },
]


def build_demo_sites() -> DemoCatalogue:
    """The demo catalogue, and on the IMSS site: «¿Qué hacemos?», a page with every block, and news with an image."""
    # Not at the top: the sites' factories import Pillow and the sites' models, which only these tests need.
    import datetime as dt
    import json

    from portal.sites.tests.factories import (
        home_of,
        make_about_page,
        make_contact_page,
        make_content_page,
        make_document,
        make_document_collection,
        make_image,
        make_news,
        make_programme,
    )

    with transaction.atomic():
        demo = _build(second_page=False)
        imss = demo.agencies["IMSS"]
        make_about_page(
            imss,
            summary="Cuidamos la salud y la seguridad social de quienes trabajan y de sus familias.",
            functions="<h3>Salud</h3><ul><li>Atención médica en clínicas y hospitales.</li></ul>"
            "<h3>Prestaciones</h3><p>Pensiones, incapacidades y guarderías.</p>",
            legal_framework=json.dumps(
                [
                    {"type": "instrument", "value": {"kind": "ley", "name": "Ley del Seguro Social", "url": ""}},
                    {
                        "type": "instrument",
                        "value": {
                            "kind": "constitucion",
                            "name": "Constitución Política de los Estados Unidos Mexicanos",
                            "url": "",
                        },
                    },
                ]
            ),
        )
        page = make_content_page(home_of(imss), "Incapacidades por enfermedad", body=SITE_BODY_WITH_EVERY_BLOCK)
        page.summary = "Cuándo te paga el IMSS si no puedes trabajar por una enfermedad."
        page.save_revision().publish()
        photo = make_image(imss, "Clínica de Colima", size=(480, 270))
        make_news(
            imss,
            "Campaña de vacunación de invierno",
            date=dt.date(2026, 11, 20),
            topics=[demo.topics["salud"]],
            main_image=photo,
            main_image_alt="Una enfermera aplica una vacuna a un señor mayor en una clínica",
            summary="Del 1 de diciembre al 31 de enero, vacunas contra la influenza y el COVID-19 en todas las clínicas.",
        )
        make_news(demo.agencies["SRE"], "Pasaportes también en domingo", date=dt.date(2026, 10, 5))

        home = home_of(imss)
        rules = make_document(imss, "Reglas de operación de Guarderías 2026", "pdf", b"%PDF-1.4 " + b"r" * 3000)
        make_programme(
            home,
            "Guarderías",
            objective="Cuidar a las niñas y los niños mientras sus madres y padres trabajan.",
            population="Hijas e hijos de personas aseguradas, de 43 días de nacidos a 4 años.",
            rules_document=rules,
            rules_date=dt.date(2026, 1, 15),
            budget=[(2025, 1_234_567_890_00), (2026, 1_300_000_000_50)],
            services=[demo.services["IMSS-02-008"]],
            show_in_menus=True,
        )
        report_pdf = make_document(imss, "Informe al Ejecutivo 2025-2026", "pdf", b"%PDF-1.4 " + b"i" * 5000)
        report_csv = make_document(imss, "Informe al Ejecutivo 2025-2026, cifras", "csv", b"concepto,monto\r\n")
        call = make_document(imss, "Convocatoria de residencias médicas", "odt", b"odt" * 100)
        make_document_collection(
            home,
            "Documentos",
            summary="Informes, convocatorias y formatos del IMSS.",
            documents=[
                ("Convocatoria de residencias médicas 2026", dt.date(2026, 3, 2), "convocatoria", [call]),
                ("Informe al Ejecutivo Federal 2025-2026", dt.date(2026, 6, 30), "informe", [report_pdf, report_csv]),
            ],
            show_in_menus=True,
        )
        make_contact_page(
            imss,
            summary="Te orientamos por teléfono todos los días.",
            phone="800 623 2323",
            email="orientacion@imss.example",
            address="Av. Paseo de la Reforma 476, Ciudad de México",
            opening_hours="Lunes a viernes de 8:00 a 20:00 h",
            social_links=json.dumps(
                [{"type": "network", "value": {"network": "x", "account": "@Tu_IMSS", "url": "https://x.com/Tu_IMSS"}}]
            ),
            show_in_menus=True,
        )
    return demo
