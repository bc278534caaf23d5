"""Synthetic service sheets for load and scale testing (``generate_catalogue``).

Names are composed from real-looking parts («Renovación de» + «licencia sanitaria» + «para personas morales»), and
every other field is drawn from realistic distributions: most procedures are free or cheap and a few are expensive,
most are requested a few hundred times a year and a few millions, and so on. Everything comes from one
``random.Random(seed)``: the same seed over the same agencies gives the same catalogue.

Generated homoclaves use kind numbers 50–99, which the real catalogue never uses, so generated sheets are always
recognisable (``is_generated_homoclave``) and removable without touching real ones.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.text import slugify

FIRST_GENERATED_KIND = 50
LAST_GENERATED_KIND = 99
GENERATED_HOMOCLAVE_REGEX = r"^[A-Z][A-Z0-9]{1,11}-(5[0-9]|[6-9][0-9])-[0-9]{3}(-[A-Z])?$"
_GENERATED = re.compile(GENERATED_HOMOCLAVE_REGEX)


def is_generated_homoclave(homoclave: str) -> bool:
    return bool(_GENERATED.match(homoclave))


@dataclass(frozen=True)
class AgencyProfile:
    """What the generator needs to know of an agency."""

    acronym: str
    name: str
    short_name: str
    level: str
    website: str
    phone: str
    municipality: str
    office_names: tuple[str, ...]
    topics: tuple[str, ...]


# --- Vocabulary -------------------------------------------------------------------------------------------------------
# Per topic: documents one requests, renews or replaces; facts a «constancia» certifies; registries one enrols in;
# activities a permit allows; events one notifies; and the laws that usually ground them.

VOCABULARY: dict[str, dict[str, tuple[str, ...]]] = {
    "identidad": {
        "documents": ("acta de nacimiento", "acta de matrimonio", "credencial de identificación", "CURP certificada"),
        "facts": ("inexistencia de registro", "identidad", "residencia", "origen"),
        "registries": ("registro de población", "padrón de personas extranjeras residentes"),
        "activities": ("corregir datos del acta", "registrar extemporáneamente un nacimiento"),
        "events": ("cambio de nombre", "reconocimiento de hijo"),
        "laws": ("Ley General de Población", "Código Civil Federal"),
    },
    "salud": {
        "documents": (
            "licencia sanitaria",
            "tarjeta de control sanitario",
            "certificado médico",
            "permiso de publicidad",
        ),
        "facts": ("discapacidad", "vacunación", "no inhabilitación sanitaria", "aptitud física"),
        "registries": ("padrón de establecimientos de salud", "registro de donadores de sangre"),
        "activities": ("operar un consultorio", "vender medicamentos controlados", "manejar residuos biológicos"),
        "events": ("funcionamiento de farmacia", "responsable sanitario"),
        "laws": ("Ley General de Salud", "Reglamento de Insumos para la Salud"),
    },
    "seguridad-social": {
        "documents": ("tarjeta de afiliación", "credencial de derechohabiente", "resolución de pensión", "incapacidad"),
        "facts": ("semanas cotizadas", "vigencia de derechos", "no afiliación", "pensión"),
        "registries": ("régimen voluntario", "padrón de beneficiarios", "seguro de salud para la familia"),
        "activities": ("retirar el ahorro para el retiro", "cambiar de clínica", "transferir la cuenta individual"),
        "events": ("alta patronal", "baja del trabajador", "modificación de salario"),
        "laws": ("Ley del Seguro Social", "Ley de los Sistemas de Ahorro para el Retiro"),
    },
    "trabajo": {
        "documents": (
            "constancia de habilidades laborales",
            "registro de contrato colectivo",
            "dictamen de capacitación",
        ),
        "facts": ("no adeudo de cuotas", "capacitación", "experiencia laboral", "no antecedentes laborales"),
        "registries": ("bolsa de trabajo", "padrón de agentes capacitadores", "registro de centros de trabajo"),
        "activities": ("contratar a menores de 18 años", "operar una agencia de colocación"),
        "events": ("accidente de trabajo", "cierre de centro de trabajo", "reparto de utilidades"),
        "laws": ("Ley Federal del Trabajo", "Reglamento Federal de Seguridad y Salud en el Trabajo"),
    },
    "educacion": {
        "documents": (
            "certificado de estudios",
            "título profesional",
            "cédula profesional",
            "boleta de calificaciones",
        ),
        "facts": ("estudios", "inscripción", "servicio social", "equivalencia de estudios"),
        "registries": ("padrón de becarios", "registro de escuelas particulares", "sistema de educación abierta"),
        "activities": ("impartir educación particular", "revalidar estudios del extranjero"),
        "events": ("cambio de escuela", "baja escolar", "conclusión de estudios"),
        "laws": ("Ley General de Educación", "Ley Reglamentaria del Artículo 5o. Constitucional"),
    },
    "impuestos": {
        "documents": (
            "constancia de situación fiscal",
            "e.firma",
            "certificado de sello digital",
            "opinión de cumplimiento",
        ),
        "facts": ("no adeudo fiscal", "residencia para efectos fiscales", "retenciones", "pago de derechos"),
        "registries": ("padrón de contribuyentes", "padrón de importadores", "registro de donatarias"),
        "activities": ("pagar en parcialidades", "compensar saldos a favor", "emitir comprobantes fiscales"),
        "events": ("suspensión de actividades", "cambio de domicilio fiscal", "apertura de sucursal"),
        "laws": ("Código Fiscal de la Federación", "Ley Federal de Derechos"),
    },
    "vivienda": {
        "documents": (
            "licencia de construcción",
            "escritura",
            "avalúo catastral",
            "certificado de libertad de gravamen",
        ),
        "facts": ("número oficial", "alineamiento", "no adeudo predial", "uso de suelo"),
        "registries": ("padrón catastral", "registro público de la propiedad", "padrón de peritos"),
        "activities": ("construir una barda", "subdividir un predio", "demoler una construcción"),
        "events": ("terminación de obra", "compraventa de inmueble", "inicio de obra"),
        "laws": ("Ley de Vivienda", "Ley General de Asentamientos Humanos"),
    },
    "empresas": {
        "documents": ("licencia de funcionamiento", "registro de marca", "permiso de uso de denominación", "patente"),
        "facts": ("inscripción mercantil", "origen de mercancías", "no adeudo municipal", "micro empresa"),
        "registries": ("padrón de proveedores", "registro de prestadores de servicios", "padrón de exportadores"),
        "activities": ("instalar anuncios", "vender bebidas alcohólicas", "ampliar el horario comercial"),
        "events": ("apertura de negocio", "cambio de giro", "cierre de establecimiento"),
        "laws": ("Ley General de Sociedades Mercantiles", "Ley Federal de Protección a la Propiedad Industrial"),
    },
    "transporte": {
        "documents": ("licencia de conducir", "tarjeta de circulación", "placas", "permiso de ruta"),
        "facts": ("no infracción", "baja vehicular", "aptitud psicofísica", "propiedad vehicular"),
        "registries": ("padrón vehicular", "registro de concesionarios", "registro de operadores"),
        "activities": ("circular sin placas", "transportar carga especial", "operar un taxi"),
        "events": ("robo de vehículo", "cambio de propietario", "siniestro"),
        "laws": ("Ley de Caminos, Puentes y Autotransporte Federal", "Ley de Movilidad"),
    },
    "migracion": {
        "documents": ("pasaporte", "tarjeta de residente", "visa", "carta de naturalización"),
        "facts": ("nacionalidad mexicana", "legal estancia", "entradas y salidas", "matrícula consular"),
        "registries": ("registro nacional de extranjeros", "padrón de connacionales"),
        "activities": ("trabajar con residencia temporal", "salir y regresar al país", "viajar con menores"),
        "events": ("cambio de condición de estancia", "cambio de empleador", "pérdida de documento migratorio"),
        "laws": ("Ley de Migración", "Ley de Nacionalidad"),
    },
    "programas-sociales": {
        "documents": ("tarjeta del Bienestar", "credencial de beneficiario", "apoyo económico", "beca"),
        "facts": ("beneficiario", "vulnerabilidad", "ingresos", "dependencia económica"),
        "registries": ("padrón de beneficiarios", "programa de pensión", "programa de becas"),
        "activities": ("cobrar el apoyo por medio de un adulto auxiliar", "recibir el pago en otra localidad"),
        "events": ("cambio de domicilio del beneficiario", "fallecimiento del beneficiario"),
        "laws": ("Ley General de Desarrollo Social", "Reglas de Operación del programa"),
    },
    "medio-ambiente": {
        "documents": ("concesión de agua", "permiso de descarga", "licencia ambiental", "autorización forestal"),
        "facts": ("no afectación ambiental", "manejo de residuos", "inscripción de pozo", "disponibilidad de agua"),
        "registries": ("registro de generadores de residuos", "padrón de usuarios de agua", "registro forestal"),
        "activities": ("talar árboles", "perforar un pozo", "aprovechar vida silvestre", "quemar en terreno agrícola"),
        "events": ("derrame", "inicio de aprovechamiento", "emisiones contaminantes"),
        "laws": ("Ley General del Equilibrio Ecológico y la Protección al Ambiente", "Ley de Aguas Nacionales"),
    },
    "justicia": {
        "documents": ("constancia de no antecedentes penales", "copia certificada de carpeta", "medida de protección"),
        "facts": ("no antecedentes penales", "denuncia", "extravío de documentos", "hechos"),
        "registries": ("registro de personas desaparecidas", "padrón de peritos", "registro de armas"),
        "activities": ("portar armas", "realizar eventos masivos", "operar seguridad privada"),
        "events": ("extravío de documentos", "robo", "violencia familiar"),
        "laws": ("Código Nacional de Procedimientos Penales", "Ley General de Víctimas"),
    },
    "consumo": {
        "documents": ("contrato de adhesión", "dictamen técnico", "reclamación", "convenio de pago"),
        "facts": ("queja", "no adeudo del servicio", "calibración", "verificación de instrumentos"),
        "registries": ("registro público de consumidores", "padrón de proveedores", "registro de contratos"),
        "activities": ("verificar básculas", "promover ventas a plazos", "contratar el servicio eléctrico"),
        "events": ("falla del servicio", "cobro indebido", "cambio de tarifa"),
        "laws": (
            "Ley Federal de Protección al Consumidor",
            "Ley de Protección y Defensa al Usuario de Servicios Financieros",
        ),
    },
    "campo": {
        "documents": (
            "certificado fitosanitario",
            "guía de tránsito",
            "certificado parcelario",
            "credencial de productor",
        ),
        "facts": ("productor agrícola", "posesión de parcela", "sanidad animal", "origen de ganado"),
        "registries": ("padrón de productores", "registro agrario", "padrón ganadero"),
        "activities": ("movilizar ganado", "importar semillas", "aplicar plaguicidas"),
        "events": ("siniestro agrícola", "sucesión de derechos agrarios", "brote de plaga"),
        "laws": ("Ley de Desarrollo Rural Sustentable", "Ley Agraria", "Ley Federal de Sanidad Vegetal"),
    },
    "cultura": {
        "documents": ("registro de obra", "reserva de derechos", "permiso de filmación", "licencia de uso de espacio"),
        "facts": ("autoría", "inscripción de obra", "participación cultural", "deportista de alto rendimiento"),
        "registries": ("registro de creadores", "padrón de prestadores turísticos", "registro de monumentos"),
        "activities": ("filmar en zona arqueológica", "realizar un evento deportivo", "operar como guía de turistas"),
        "events": ("hallazgo arqueológico", "cambio de titular de derechos", "celebración de convenio"),
        "laws": ("Ley Federal del Derecho de Autor", "Ley Federal sobre Monumentos y Zonas Arqueológicos"),
    },
}
TOPIC_LIFE_EVENTS = {
    "identidad": ("tener-un-bebe", "casarse", "fallecimiento", "mayoria-de-edad"),
    "salud": ("tener-un-bebe",),
    "seguridad-social": ("jubilarse", "buscar-trabajo", "fallecimiento"),
    "trabajo": ("buscar-trabajo",),
    "educacion": ("estudiar",),
    "impuestos": ("abrir-una-empresa", "mayoria-de-edad"),
    "vivienda": ("comprar-una-vivienda", "mudarse"),
    "empresas": ("abrir-una-empresa",),
    "transporte": ("tener-un-vehiculo", "mayoria-de-edad"),
    "migracion": ("viajar-al-extranjero",),
    "programas-sociales": ("jubilarse",),
    "consumo": ("mudarse", "comprar-una-vivienda"),
}
DOCUMENT_VERBS = (
    "Solicitud de",
    "Renovación de",
    "Reposición de",
    "Expedición de",
    "Actualización de",
    "Cancelación de",
    "Prórroga de",
    "Duplicado de",
    "Modificación de",
    "Validación de",
)
QUALIFIERS = (
    "para personas morales",
    "para personas físicas",
    "por primera vez",
    "en línea",
    "para menores de edad",
    "para personas adultas mayores",
    "en zona rural",
    "con trámite urgente",
    "para organizaciones civiles",
    "para personas con discapacidad",
)
REQUIREMENTS = (
    ("Identificación oficial vigente (INE, pasaporte o cédula profesional)", "original_para_cotejo", ""),
    ("CURP", "dato", ""),
    ("Comprobante de domicilio no mayor a 3 meses", "copia", "Recibo de luz, agua, teléfono o predial"),
    ("Acta de nacimiento", "original", ""),
    ("RFC con homoclave", "dato", ""),
    ("Formato de solicitud debidamente llenado y firmado", "original", ""),
    ("Comprobante de pago de derechos", "original_y_copia", ""),
    ("Dos fotografías tamaño infantil a color", "original", "Fondo blanco, sin lentes"),
    ("Constancia de situación fiscal", "digital", "Con antigüedad no mayor a 30 días"),
    ("Croquis de ubicación del inmueble", "original", ""),
    ("Escritura o título de propiedad", "copia", ""),
    ("Documento anterior que se renueva o repone", "original", "En caso de renovación"),
    ("Correo electrónico y número de teléfono", "dato", ""),
    ("Carta poder simple con copia de las identificaciones", "original", "Si acude otra persona en tu nombre"),
)
BUSINESS_REQUIREMENTS = (
    ("Acta constitutiva de la empresa", "copia", ""),
    ("Poder notarial del representante legal", "original_para_cotejo", ""),
    ("e.firma vigente de la persona moral", "digital", ""),
)
CASES = (
    "Cuando lo solicitas por primera vez",
    "Cuando el documento anterior venció",
    "Cuando hubo un cambio en tus datos",
    "En caso de pérdida, robo o deterioro",
    "Cuando lo pide otra institución para un trámite",
    "Cuando inicias una actividad económica",
)
VALIDITY = ("Indefinida", "1 año", "2 años", "3 años", "6 meses", "Hasta el 31 de diciembre del año en que se expide")
PAYMENT_INFO = (
    "Pago en ventanilla bancaria o en línea con la línea de captura que recibes al presentar la solicitud.",
    "Pago en la caja de la oficina, en efectivo o con tarjeta.",
    "Pago en línea con tarjeta o por transferencia con la referencia que te da el sistema.",
    "Pago con el formato de pago de derechos en cualquier banco autorizado.",
)
DESCRIPTION_OPENINGS = (
    "Te permite obtener {result_lower} sin intermediarios.",
    "Con este trámite obtienes {result_lower}, que te piden para {purpose}.",
    "Sirve para que obtengas {result_lower} y puedas {purpose}.",
    "Obtén {result_lower} de forma sencilla y con validez oficial.",
)
PURPOSES = (
    "realizar otros trámites",
    "demostrar que cumples con la ley",
    "acceder a apoyos y programas",
    "trabajar con tranquilidad",
    "hacer valer tus derechos",
    "evitar multas",
)
DESCRIPTION_CLOSINGS = (
    "Lo resuelve {agency}.",
    "Puedes iniciarlo en línea y concluirlo en la oficina.",
    "El plazo se cuenta desde que entregas todos los requisitos.",
    "Revisa los requisitos antes de acudir para hacerlo en una sola visita.",
    "",
)


@dataclass
class GeneratedService:
    """A service in the data-file format (``docs/demo-data.md``), plus the agency acronym."""

    agency: str
    data: dict


def generate(
    profiles: list[AgencyProfile],
    count: int,
    seed: int,
    used_homoclaves: Iterable[str] = (),
    life_events: Iterable[str] = (),
) -> list[GeneratedService]:
    """``count`` services spread over ``profiles``, with homoclaves not in ``used_homoclaves``. Deterministic."""
    rng = random.Random(seed)  # noqa: S311 - synthetic test data: reproducible on purpose, not secret
    used = set(used_homoclaves)
    known_events = set(life_events)
    next_number: dict[tuple[str, int], int] = {}
    # Bigger agencies (more offices) get more services, as in the real catalogue.
    weights = [len(profile.office_names) + 2 for profile in profiles]
    services = []
    for _index in range(count):
        profile = rng.choices(profiles, weights=weights)[0]
        homoclave = _allocate(profile.acronym, rng, used, next_number)
        services.append(GeneratedService(profile.acronym, _service(profile, homoclave, rng, known_events)))
    return services


def _allocate(acronym: str, rng: random.Random, used: set[str], next_number: dict) -> str:
    kinds = list(range(FIRST_GENERATED_KIND, LAST_GENERATED_KIND + 1))
    first = rng.choice(kinds)
    for offset in range(len(kinds)):
        kind = kinds[(kinds.index(first) + offset) % len(kinds)]
        number = next_number.get((acronym, kind), 1)
        while number <= 999:
            homoclave = f"{acronym}-{kind:02d}-{number:03d}"
            number += 1
            if homoclave not in used:
                next_number[(acronym, kind)] = number
                used.add(homoclave)
                return homoclave
        next_number[(acronym, kind)] = number
    raise ValueError(f"{acronym}: no quedan homoclaves de prueba libres (tipos {FIRST_GENERATED_KIND}–99).")


def _service(profile: AgencyProfile, homoclave: str, rng: random.Random, known_events: set[str]) -> dict:
    topics = rng.sample(profile.topics, k=min(len(profile.topics), rng.choice((1, 1, 2, 2, 3))))
    words = VOCABULARY[topics[0]]
    title, result, keywords = _title(words, rng)
    business = rng.random() < 0.25
    audience = "empresa" if business else rng.choice(("persona", "persona", "persona", "ambas"))
    if audience == "empresa" and "personas físicas" in title:
        title = title.replace("para personas físicas", "para personas morales")
    digitization = rng.choices((1, 2, 3, 4, 5), weights=(25, 25, 20, 15, 15))[0]
    base_url = (profile.website or "https://www.gob.mx").rstrip("/")
    online_url = f"{base_url}/tramites/{homoclave.lower()}" if digitization >= 3 else ""
    in_person = digitization < 5 or rng.random() < 0.3
    offices: str | list[str] = []
    if in_person and profile.office_names:
        offices = (
            "all"
            if rng.random() < 0.5
            else sorted(rng.sample(profile.office_names, k=rng.randint(1, len(profile.office_names))))
        )
    days = 0 if rng.random() < 0.35 else rng.choice((1, 3, 5, 10, 15, 20, 30, 45, 60, 90))
    silence = "no_aplica" if days == 0 else rng.choices(("afirmativa", "negativa"), weights=(35, 65))[0]
    fees = _fees(result, rng)
    life_events = sorted(
        {event for topic in topics for event in TOPIC_LIFE_EVENTS.get(topic, ()) if event in known_events}
    )
    chosen_events = rng.sample(life_events, k=1) if life_events and rng.random() < 0.35 else []
    agency_name = profile.short_name or profile.name
    description = " ".join(
        part
        for part in (
            rng.choice(DESCRIPTION_OPENINGS).format(result_lower=_lower_first(result), purpose=rng.choice(PURPOSES)),
            rng.choice(DESCRIPTION_CLOSINGS).format(agency=agency_name),
        )
        if part
    )
    return {
        "homoclave": homoclave,
        "title": title,
        "description": description,
        "result": result,
        "audience": audience,
        "cases": rng.sample(CASES, k=rng.choice((0, 1, 1, 2))),
        "requirements": _requirements(business, rng),
        "steps": _steps(online_url, in_person, bool(fees), result, rng),
        "formats": (
            [{"title": f"Formato de {_lower_first(title)}", "url": f"{base_url}/formatos/{homoclave.lower()}.pdf"}]
            if digitization >= 2 and rng.random() < 0.6
            else []
        ),
        "legal_basis": _legal_basis(profile, words, rng),
        "online_url": online_url,
        "in_person": in_person,
        "phone_channel": profile.phone if profile.phone and rng.random() < 0.5 else "",
        "fees": fees,
        "payment_info": rng.choice(PAYMENT_INFO) if fees else "",
        "resolution_days": days,
        "silence_rule": silence,
        "validity": rng.choice(VALIDITY) if rng.random() < 0.8 else "",
        "offices": offices,
        "contact": (
            f"Teléfono {profile.phone}, lunes a viernes de 9:00 a 15:00 h"
            if profile.phone
            else "En cualquiera de las oficinas de atención, lunes a viernes de 9:00 a 15:00 h"
        ),
        "complaints": _complaints(profile),
        "topics": topics,
        "life_events": chosen_events,
        "digitization": digitization,
        "annual_volume": _volume(rng),
        "citizen_minutes": rng.randint(45, 360) if in_person else rng.randint(10, 60),
        "keywords": keywords,
    }


def _title(words: dict, rng: random.Random) -> tuple[str, str, str]:
    """Title, result and search keywords, composed so that each pattern stays grammatical."""
    pattern = rng.choices(("document", "fact", "registry", "activity", "event"), weights=(40, 20, 15, 15, 10))[0]
    if pattern == "document":
        noun = rng.choice(words["documents"])
        title = f"{rng.choice(DOCUMENT_VERBS)} {noun}"
        result = _upper_first(noun)
    elif pattern == "fact":
        noun = rng.choice(words["facts"])
        title = f"{rng.choice(('Constancia de', 'Certificado de', 'Dictamen de'))} {noun}"
        result = title
    elif pattern == "registry":
        noun = rng.choice(words["registries"])
        verb = rng.choice(("Inscripción en el", "Baja del", "Actualización de datos en el", "Reinscripción en el"))
        if not noun.startswith(("padrón", "registro", "régimen", "programa", "sistema", "seguro", "bolsa")):
            verb = "Inscripción en"
        title = f"{verb} {noun}"
        result = f"Constancia de inscripción en el {noun}" if "Baja" not in verb else f"Constancia de baja del {noun}"
    elif pattern == "activity":
        noun = rng.choice(words["activities"])
        title = f"{rng.choice(('Permiso para', 'Autorización para', 'Licencia para'))} {noun}"
        result = (
            title.replace("Permiso para", "Permiso")
            .replace("Autorización para", "Autorización")
            .replace("Licencia para", "Licencia")
        )
    else:
        noun = rng.choice(words["events"])
        title = f"Aviso de {noun}"
        result = f"Acuse de recibo del aviso de {noun}"
    if rng.random() < 0.3:
        title = f"{title} {rng.choice(QUALIFIERS)}"
    keywords = ", ".join(dict.fromkeys([noun, slugify(noun).replace("-", " "), title.split(" ")[0].lower()]))
    return title[:255], result[:300], keywords[:500]


def _requirements(business: bool, rng: random.Random) -> list[dict]:
    pool = list(REQUIREMENTS) + (list(BUSINESS_REQUIREMENTS) if business else [])
    chosen = rng.sample(pool, k=rng.randint(1, 6))
    return [
        {
            "document": document,
            "presentation": presentation,
            "copies": 1 if presentation in ("copia", "original_y_copia") and rng.random() < 0.5 else None,
            "conditions": conditions,
        }
        for document, presentation, conditions in chosen
    ]


def _steps(online_url: str, in_person: bool, paid: bool, result: str, rng: random.Random) -> list[str]:
    steps = ["Reúne los requisitos de esta ficha."]
    if online_url:
        steps.append(f"Ingresa a {online_url} y llena la solicitud.")
    if in_person:
        steps.append(rng.choice(("Agenda una cita por teléfono o en línea.", "Acude a la oficina de tu preferencia.")))
        steps.append("Entrega tus documentos en ventanilla y conserva tu acuse.")
    if paid:
        steps.append("Realiza el pago de derechos y guarda tu comprobante.")
    steps.append(f"Recibe {_lower_first(result)}.")
    return steps


def _fees(result: str, rng: random.Random) -> list[dict]:
    if rng.random() < 0.55:
        return []
    # Log-uniform between 50 and 15,000 pesos, rounded to whole pesos: many small fees, a few large ones.
    fees = []
    for index in range(rng.choice((1, 1, 1, 2))):
        pesos = round(math.exp(rng.uniform(math.log(50), math.log(15000))))
        concept = f"Derechos por {_lower_first(result)}" if index == 0 else "Costo por reposición o modalidad urgente"
        fees.append({"concept": concept[:300], "amount_centavos": pesos * 100})
    return fees


def _legal_basis(profile: AgencyProfile, words: dict, rng: random.Random) -> list[dict]:
    article = rng.randint(3, 180)
    laws = [{"law": rng.choice(words["laws"]), "articles": f"Artículos {article} y {article + 1}", "url": ""}]
    if profile.level == "federal":
        laws.append({"law": "Ley Federal de Procedimiento Administrativo", "articles": "Artículos 15 y 17", "url": ""})
    elif profile.level == "estatal":
        laws.append(
            {"law": "Ley de Hacienda del Estado de Colima", "articles": f"Artículo {rng.randint(10, 90)}", "url": ""}
        )
    else:
        laws.append(
            {
                "law": f"Ley de Hacienda para el Municipio de {profile.municipality}",
                "articles": f"Artículo {rng.randint(10, 120)}",
                "url": "",
            }
        )
    return laws


def _complaints(profile: AgencyProfile) -> str:
    if profile.level == "federal":
        return f"Órgano Interno de Control en {profile.short_name or profile.acronym}, o en https://sidec.buengobierno.gob.mx"
    if profile.level == "estatal":
        return "Contraloría General del Estado de Colima"
    return f"Contraloría Municipal de {profile.municipality}"


def _volume(rng: random.Random) -> int:
    """Log-normal: a median of about 1,100 requests a year, a long tail into the millions."""
    return max(10, min(3_000_000, int(rng.lognormvariate(7.0, 2.0))))


def _lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word is an acronym (CURP, RFC...)."""
    first = text.split(" ", 1)[0]
    return text if first.isupper() else text[:1].lower() + text[1:]


def _upper_first(text: str) -> str:
    """Capitalise a sentence start, but leave brand spellings such as «e.firma» alone."""
    return text if text.startswith("e.") else text[:1].upper() + text[1:]
