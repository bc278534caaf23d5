import io
import pathlib
import random
import zipfile

from PIL import Image

root = pathlib.Path("/work/wt-legacy/portal/sites/legacy/sample_site")
site = root / "www"
site.mkdir(parents=True, exist_ok=True)

NAV = """<div id="header" class="header">
  <a href="/index.html"><img src="/img/logo.png" alt="Procuraduría Federal del Consumidor" width="120" height="40"></a>
  <span class="lema">Defendiendo tus derechos como consumidor</span>
</div>
<ul id="menu" class="nav menu">
  <li><a href="/index.html">Inicio</a></li>
  <li><a href="/quienes-somos.html">¿Quiénes somos?</a></li>
  <li><a href="/servicios/quejas.html">Quejas</a></li>
  <li><a href="/prensa/index.html">Sala de prensa</a></li>
  <li><a href="/documentos/index.html">Documentos</a></li>
  <li><a href="/transparencia/index.html">Transparencia</a></li>
  <li><a href="/contacto.html">Contacto</a></li>
</ul>"""
FOOT = """<div id="footer" class="footer">
  <p>Procuraduría Federal del Consumidor · Av. Ejemplo 100, Col. Centro, Ciudad de México · Teléfono del Consumidor 800 000 0000</p>
  <p><a href="/politicas.html">Políticas de privacidad</a> | <a href="/mapa.html">Mapa del sitio</a> | Última actualización: 2019</p>
  <p>Este sitio es una copia ficticia para pruebas.</p>
</div>"""


def page(title, body, *, date=None, charset=True, extra_head=""):
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">' if charset else ""
    date_meta = f'<meta name="date" content="{date}">' if date else ""
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html>
<head>
{meta}
<title>{title} | PROFECO</title>
{date_meta}
{extra_head}
<link rel="stylesheet" href="/css/estilo.css">
</head>
<body>
<div id="marco">
{NAV}
<div id="contenido">
{body}
</div>
{FOOT}
</div>
</body>
</html>
"""


pages = {}
pages["index.html"] = page(
    "Inicio",
    """
<h1>Bienvenido al portal de la Procuraduría Federal del Consumidor</h1>
<p>La Procuraduría protege los derechos de las personas consumidoras y promueve una relación justa entre quienes compran y quienes venden bienes y servicios en todo el país.</p>
<p>En este sitio encontrarás cómo presentar una queja, los precios de la canasta básica, los contratos de adhesión registrados y las noticias de la institución.</p>
<ul>
<li><a href="/servicios/quejas.html">Presenta una queja contra un proveedor</a></li>
<li><a href="/servicios/conciliaexpress.html">Concilia en línea con Concilianet</a></li>
<li><a href="/servicios/registro-contratos.html">Registro de contratos de adhesión</a></li>
<li><a href="/noticias/precios-canasta.html">Precios de la canasta básica</a></li>
</ul>""",
)
pages["quienes-somos.html"] = page(
    "¿Quiénes somos?",
    """
<h1>¿Quiénes somos?</h1>
<p>La Procuraduría Federal del Consumidor es un organismo descentralizado de servicio social que promueve y protege los derechos e intereses de las personas consumidoras y procura la equidad y la seguridad jurídica en las relaciones de consumo.</p>
<h2>Misión</h2>
<p>Proteger y defender los derechos de las personas consumidoras, fomentar el consumo inteligente y procurar la equidad en las relaciones entre proveedores y consumidores.</p>
<h2>Visión</h2>
<p>Ser una institución cercana a la gente, que resuelva con rapidez las quejas y que informe con claridad sobre precios, calidad y contratos.</p>
<p><img src="/img/oficinas.png" alt="Fachada de las oficinas centrales de la Procuraduría" width="200" height="120"></p>
<p>Conoce también nuestra <a href="/historia.html">historia</a>.</p>""",
)
pages["historia.html"] = None  # latin-1, written below
pages["servicios/quejas.html"] = page(
    "Presentar una queja",
    """
<h1>Presentar una queja</h1>
<p>Si un proveedor no respetó el precio, la garantía o las condiciones que te ofreció, puedes presentar una queja. La Procuraduría citará al proveedor a una audiencia de conciliación para buscar un acuerdo.</p>
<h2>Requisitos</h2>
<ul>
<li>Identificación oficial vigente.</li>
<li>Comprobante de la compra (factura, ticket o contrato).</li>
<li>Nombre y domicilio del proveedor.</li>
</ul>
<h2>¿Dónde se presenta?</h2>
<p>En cualquier oficina de defensa del consumidor o en línea. Descarga el <a href="/documentos/formato-queja.pdf">formato de queja (PDF)</a>.</p>
<p>Consulta los pasos para <a href="/servicios/conciliaexpress.html">conciliar en línea</a>.</p>""",
)
pages["servicios/conciliaexpress.html"] = page(
    "Concilianet",
    """
<h1>Concilianet: conciliación en línea</h1>
<p>Concilianet es el módulo de solución de controversias en línea. Permite presentar una queja y llevar la audiencia de conciliación por internet, sin acudir a una oficina.</p>
<p>Participan los proveedores que firmaron un convenio con la Procuraduría: tiendas departamentales, aerolíneas, telefonía y servicios financieros, entre otros.</p>
<h2>Pasos</h2>
<ol>
<li>Regístrate con tu correo electrónico.</li>
<li>Describe tu reclamación y adjunta tus comprobantes.</li>
<li>Asiste a la audiencia en línea en la fecha que se te indique.</li>
</ol>
<p><img src="/img/concilianet.png" width="200" height="120"></p>""",
)
pages["servicios/registro-contratos.html"] = page(
    "Registro de contratos de adhesión",
    """
<h1>Registro de contratos de adhesión</h1>
<p>Los proveedores que usan contratos de adhesión, es decir, contratos con cláusulas que la persona consumidora no puede negociar, deben registrarlos ante la Procuraduría cuando una norma oficial así lo exige.</p>
<p>El registro verifica que el contrato no contenga cláusulas abusivas ni contrarias a la Ley Federal de Protección al Consumidor.</p>
<p>Consulta el <a href="/documentos/index.html">listado de documentos</a> y la <a href="/servicios/contratos-registrados.html">lista de contratos registrados</a>.</p>""",
)
pages["prensa/index.html"] = page(
    "Sala de prensa",
    """
<h1>Sala de prensa</h1>
<p>Comunicados y noticias de la Procuraduría.</p>
<ul>
<li><a href="/prensa/2019/comunicado-014.html">Recomendaciones para el regreso a clases</a> (12/08/2019)</li>
<li><a href="/prensa/2019/comunicado-021.html">Verificación de básculas en mercados</a> (03/10/2019)</li>
<li><a href="/prensa/2019/comunicado-027.html">Temporada de ofertas de fin de año</a> (15/11/2019)</li>
<li><a href="/noticias/precios-canasta.html">Precios de la canasta básica</a></li>
</ul>""",
)
pages["prensa/2019/comunicado-014.html"] = page(
    "Recomendaciones para el regreso a clases",
    """
<h1>Recomendaciones para el regreso a clases</h1>
<p class="fecha">Ciudad de México, 12 de agosto de 2019</p>
<p>La Procuraduría recomienda comparar precios de útiles y uniformes escolares antes de comprar, pedir siempre el comprobante de compra y revisar las condiciones de las promociones.</p>
<p>Durante la temporada, personal de verificación visitará papelerías y tiendas de autoservicio para revisar que los precios exhibidos correspondan a los que se cobran en caja.</p>
<p>Si encuentras alguna irregularidad, presenta una <a href="/servicios/quejas.html">queja</a>.</p>
<p><img src="/img/utiles.png" alt="Útiles escolares sobre una mesa" width="200" height="120"></p>""",
    date="2019-08-12",
)
pages["prensa/2019/comunicado-021.html"] = page(
    "Verificación de básculas en mercados",
    """
<h1>Verificación de básculas en mercados</h1>
<p class="fecha">Ciudad de México, 3 de octubre de 2019</p>
<p>Personal de la Procuraduría verificó básculas en mercados públicos de doce entidades federativas. Las básculas que no pesaban con exactitud fueron inmovilizadas hasta su ajuste.</p>
<p>Pesar con exactitud es una obligación de los comerciantes: una diferencia de cincuenta gramos por kilo afecta el gasto de las familias a lo largo del año.</p>
<p><img src="/img/bascula.png" width="200" height="120"></p>""",
    date="2019-10-03",
)
pages["prensa/2019/comunicado-027.html"] = page(
    "Temporada de ofertas de fin de año",
    """
<h1>Temporada de ofertas de fin de año</h1>
<p class="fecha">Ciudad de México, 15 de noviembre de 2019</p>
<p>Ante la temporada de ofertas de fin de año, la Procuraduría instaló módulos de atención en centros comerciales para orientar a las personas consumidoras y recibir quejas en el momento.</p>
<p>Antes de comprar a meses sin intereses, calcula si el pago mensual cabe en tu presupuesto y conserva el ticket para hacer válida la garantía.</p>
<p>Consulta también el <a href="/prensa/2019/comunicado-099.html">comunicado anterior sobre garantías</a>.</p>""",
    date="2019-11-15",
)
pages["noticias/precios-canasta.html"] = page(
    "Precios de la canasta básica",
    """
<h1>Precios de la canasta básica</h1>
<p class="fecha">Publicado el 2 de diciembre de 2019</p>
<p>La Procuraduría publica cada semana los precios de los productos de la canasta básica en las principales ciudades del país, para que compares antes de comprar.</p>
<p>En la última semana, el precio del huevo bajó en la mayoría de las ciudades y el del jitomate subió en el centro del país.</p>
<p>Descarga la <a href="/documentos/canasta-basica-2019.pdf">tabla de precios de la semana (PDF)</a>.</p>""",
    date="2019-12-02",
)
pages["documentos/index.html"] = page(
    "Documentos",
    """
<h1>Documentos</h1>
<p>Formatos, informes y normas de la Procuraduría.</p>
<ul>
<li><a href="/documentos/formato-queja.pdf">Formato de queja</a></li>
<li><a href="/documentos/informe-anual-2018.pdf">Informe anual 2018</a></li>
<li><a href="/documentos/canasta-basica-2019.pdf">Precios de la canasta básica, diciembre de 2019</a></li>
<li><a href="/documentos/guia-contratos.docx">Guía para el registro de contratos</a></li>
</ul>""",
)
pages["transparencia/index.html"] = page(
    "Transparencia",
    """
<h1>Transparencia</h1>
<p>La Procuraduría publica la información que señala la Ley General de Transparencia y Acceso a la Información Pública.</p>
<ul>
<li><a href="/transparencia/estructura.html">Estructura orgánica</a></li>
<li><a href="/transparencia/solicitudes.html">Solicitudes de información</a></li>
</ul>""",
)
pages["transparencia/estructura.html"] = page(
    "Estructura orgánica",
    """
<h1>Estructura orgánica</h1>
<p>La Procuraduría se organiza en subprocuradurías de servicios, de verificación y jurídica, una coordinación general de educación y divulgación, y oficinas de defensa del consumidor en todas las entidades federativas.</p>
<p>Cada oficina atiende quejas, orienta a las personas consumidoras y verifica establecimientos en su región.</p>""",
)
pages["transparencia/solicitudes.html"] = page(
    "Solicitudes de información",
    """
<h1>Solicitudes de información</h1>
<p>Cualquier persona puede solicitar información pública a la Procuraduría sin necesidad de identificarse ni de explicar para qué la quiere.</p>
<p>Las solicitudes se presentan por la Plataforma Nacional de Transparencia o en la unidad de transparencia de la institución, de lunes a viernes de 9:00 a 15:00 horas.</p>""",
)
pages["contacto.html"] = page(
    "Contacto",
    """
<h1>Contacto</h1>
<p>Teléfono del Consumidor: 800 000 0000, de lunes a viernes de 8:00 a 22:00 horas y sábados y domingos de 10:00 a 18:00 horas.</p>
<p>Correo electrónico: atencion@profeco.example</p>
<p>Domicilio: Av. Ejemplo 100, Col. Centro, Ciudad de México.</p>""",
)
pages["mapa.html"] = page(
    "Mapa del sitio",
    """
<h1>Mapa del sitio</h1>
<p>Todas las secciones del sitio de la Procuraduría en una página.</p>
<ul>
<li><a href="/mapa.html">Mapa del sitio</a></li>
<li><a href="/mapa.html?vista=completa">Mapa del sitio (vista completa)</a></li>
<li><a href="/index.html">Inicio</a></li>
<li><a href="/quienes-somos.html">¿Quiénes somos?</a></li>
<li><a href="/contacto.html">Contacto</a></li>
</ul>""",
)
pages["politicas.html"] = page(
    "Políticas de privacidad",
    """
<h1>Políticas de privacidad</h1>
<p>Los datos personales que proporciones al presentar una queja se usan solo para atenderla y se protegen conforme a la ley.</p>
<p>Puedes ejercer tus derechos de acceso, rectificación, cancelación y oposición ante la unidad de transparencia.</p>""",
)
# A page without a closing structure: malformed HTML that the extractor must still read.
pages["servicios/malformado.html"] = """<html><head><title>Aviso de suspensión de plazos | PROFECO</title>
<body><div id="menu"><a href="/index.html">Inicio</a> | <a href="/contacto.html">Contacto</a></div>
<div id="contenido"><h1>Aviso de suspensión de plazos
<p>Se suspenden los plazos de los procedimientos de conciliación del 20 de diciembre de 2019 al 3 de enero de 2020, por el periodo vacacional de fin de año.
<p>Las quejas recibidas en línea durante ese periodo se atenderán a partir del 6 de enero de 2020 <b>en el orden en que se recibieron.
<p><a href="/servicios/quejas.html">Volver a quejas</a>
"""

for rel, html in pages.items():
    if html is None:
        continue
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")

# latin-1 page without any charset (neither header nor meta)
historia = page(
    "Historia",
    """
<h1>Historia de la Procuraduría</h1>
<p>La Procuraduría Federal del Consumidor nació en 1976 con la primera Ley Federal de Protección al Consumidor, una de las primeras de su tipo en América Latina.</p>
<p>Desde entonces ha atendido millones de quejas, publicado estudios de calidad de productos y acompañado a las personas consumidoras en cada cambio de la economía del país.</p>
<p>En los años noventa se creó la revista del consumidor y la línea telefónica gratuita de atención.</p>""",
    charset=False,
)
(site / "historia.html").write_bytes(historia.encode("latin-1"))


# images
def png(name, colour, size=(200, 120)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    (site / "img").mkdir(exist_ok=True)
    (site / "img" / name).write_bytes(buffer.getvalue())


png("logo.png", (105, 28, 50), (120, 40))
png("oficinas.png", (188, 149, 92))
png("concilianet.png", (35, 91, 78))
png("utiles.png", (16, 49, 43))
png("bascula.png", (157, 36, 73))
(site / "css").mkdir(exist_ok=True)
(site / "css" / "estilo.css").write_text("body { font-family: Arial, sans-serif; }\n#menu li { display: inline; }\n")


def pdf(text):
    body = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(body)).encode() + b" >>\nstream\n" + body + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + o + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


(site / "documentos").mkdir(exist_ok=True)
(site / "documentos" / "formato-queja.pdf").write_bytes(pdf("Formato de queja (ficticio)"))
(site / "documentos" / "informe-anual-2018.pdf").write_bytes(pdf("Informe anual 2018 (ficticio)"))
(site / "documentos" / "canasta-basica-2019.pdf").write_bytes(pdf("Precios de la canasta basica (ficticio)"))

buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr(
        "[Content_Types].xml",
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    )
    z.writestr(
        "word/document.xml",
        '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Guia ficticia</w:t></w:r></w:p></w:body></w:document>',
    )
(site / "documentos" / "guia-contratos.docx").write_bytes(buf.getvalue())

urls = [r for r in pages]
sm = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
for rel in sorted(urls):
    sm.append(f"  <url><loc>http://www.profeco.gob.mx/{rel}</loc></url>")
sm.append("  <url><loc>http://www.profeco.gob.mx/pagina-eliminada.html</loc></url>")
sm.append("</urlset>")
(site / "sitemap.xml").write_text("\n".join(sm) + "\n")

# access log, combined format, fictitious documentation-range IPs

random.seed(7)
counts = {
    "/servicios/quejas.html": 40,
    "/noticias/precios-canasta.html": 25,
    "/": 20,
    "/index.html": 5,
    "/contacto.html": 12,
    "/servicios/conciliaexpress.html": 9,
    "/prensa/2019/comunicado-027.html": 6,
    "/documentos/index.html": 5,
    "/quienes-somos.html": 3,
    "/tramites/antiguo.php?id=7": 4,
    "/historia.html": 1,
    "/img/logo.png": 30,
}
lines = []
minute = 0
for path, n in counts.items():
    for _ in range(n):
        minute += 1
        ip = f"192.0.2.{random.randint(1, 254)}"  # noqa: S311 - a fictitious address, not a secret
        ts = f"{10 + minute // 1440:02d}/Nov/2019:{(minute // 60) % 24:02d}:{minute % 60:02d}:00 -0600"
        status = 404 if path.startswith("/tramites/") else 200
        lines.append(f'{ip} - - [{ts}] "GET {path} HTTP/1.1" {status} 5120 "-" "Mozilla/5.0 (X11; Linux x86_64)"')
lines.append(
    '198.51.100.9 - - [30/Nov/2019:10:00:00 -0600] "POST /servicios/quejas.html HTTP/1.1" 200 10 "-" "curl/7.0"'
)
lines.append("esta línea no es del formato combinado")
(root / "access.log").write_text("\n".join(lines) + "\n")
print(len([p for p in pages]), "pages")
