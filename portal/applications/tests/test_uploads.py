"""Uploads: type by content, limits, corrupt and protected files, metadata removed, private storage and serving."""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.http import Http404
from django.test import RequestFactory
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader, PdfWriter

from portal.applications import uploads
from portal.applications.uploads import (
    CleanFile,
    UploadRejected,
    check_total_size,
    inspect_upload,
    private_file_response,
    sanitize_name,
    store_clean_file,
)

MB = 1024 * 1024


# --- Real files, made here -------------------------------------------------------------------------------------------


def _gps_exif(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Fabricante del teléfono"  # Make
    exif[0x0110] = "Modelo X"  # Model
    if orientation:
        exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (19.0, 25.0, 57.0)  # Mexico City
    gps[3] = "W"
    gps[4] = (99.0, 7.0, 59.0)
    return exif


def jpeg_bytes(size=(64, 32), *, exif: Image.Exif | None = None, comment: bytes = b"", xmp: bytes = b"") -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((20, 20, 200), (0, 0, size[0] // 2, size[1]))  # left half blue: orientation is visible
    out = io.BytesIO()
    options: dict[str, Any] = {"quality": 95}
    if exif is not None:
        options["exif"] = exif
    if comment:
        options["comment"] = comment
    if xmp:
        options["xmp"] = xmp
    image.save(out, "JPEG", **options)
    return out.getvalue()


def png_bytes(size=(40, 20), *, exif: Image.Exif | None = None, text: dict | None = None, mode="RGBA") -> bytes:
    from PIL import PngImagePlugin

    image = Image.new(mode, size, (10, 120, 10, 128) if mode == "RGBA" else (10, 120, 10))
    out = io.BytesIO()
    options: dict[str, Any] = {}
    if exif is not None:
        options["exif"] = exif
    if text:
        info = PngImagePlugin.PngInfo()
        for key, value in text.items():
            info.add_text(key, value)
        options["pnginfo"] = info
    image.save(out, "PNG", **options)
    return out.getvalue()


def pdf_bytes(*, pages: int = 2, author: str = "Lucía Méndez Ruiz", password: str = "", owner_only=False) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    writer.add_metadata({"/Author": author, "/Title": "Acta de nacimiento", "/Creator": "Escáner de la oficina"})
    if password or owner_only:
        writer.encrypt(user_password=password, owner_password="propietario", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"<w:document><w:body>Hola</w:body></w:document>",
        }
    )


def png_with_header_only(width: int, height: int) -> bytes:
    """A PNG that claims enormous dimensions: a decompression bomb as the decoder first sees it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def upload(content: bytes, name: str = "documento.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


class RawUpload(io.BytesIO):
    """Any file-like object with a name, even one Django's UploadedFile would not let through."""

    def __init__(self, content: bytes, name: str) -> None:
        super().__init__(content)
        self.name = name
        self.size = len(content)


def rejection(content: bytes, name: str = "documento.pdf") -> UploadRejected:
    with pytest.raises(UploadRejected) as raised:
        inspect_upload(upload(content, name))
    return raised.value


@pytest.fixture
def private_dir(settings, tmp_path) -> Path:
    location = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "base_url": None},
        },
    }
    return location


# --- Accepted files --------------------------------------------------------------------------------------------------


def test_pdf_is_accepted_with_its_pages_counted():
    clean = inspect_upload(upload(pdf_bytes(pages=3), "Acta de nacimiento.pdf"))
    assert clean.content_type == "application/pdf"
    assert clean.extension == "pdf"
    assert clean.pages == 3
    assert clean.original_name == "Acta de nacimiento.pdf"
    assert clean.size == len(clean.content)
    assert len(PdfReader(io.BytesIO(clean.content)).pages) == 3


def test_jpeg_and_png_are_accepted_with_their_dimensions():
    photo = inspect_upload(upload(jpeg_bytes((64, 32)), "foto.jpeg", "image/jpeg"))
    assert (photo.content_type, photo.extension, photo.width, photo.height) == ("image/jpeg", "jpg", 64, 32)
    assert photo.original_name == "foto.jpg"
    scan = inspect_upload(upload(png_bytes((40, 20)), "scan.PNG", "image/png"))
    assert (scan.content_type, scan.extension, scan.width, scan.height) == ("image/png", "png", 40, 20)
    assert Image.open(io.BytesIO(scan.content)).mode == "RGBA"  # transparency kept


def test_type_comes_from_the_content_not_the_name():
    clean = inspect_upload(upload(jpeg_bytes(), "comprobante.pdf", "application/pdf"))
    assert clean.content_type == "image/jpeg"
    assert clean.original_name == "comprobante.jpg"


def test_real_pdf_keeps_its_text():
    from weasyprint import HTML

    original = HTML(string="<h1>Comprobante de domicilio</h1><p>Calle Reforma 10, Colima</p>").write_pdf()
    clean = inspect_upload(upload(original, "domicilio.pdf"))
    text = PdfReader(io.BytesIO(clean.content)).pages[0].extract_text()
    assert "Comprobante de domicilio" in text
    assert "Reforma 10" in text


def test_pdf_that_only_restricts_printing_is_accepted_and_stored_open():
    clean = inspect_upload(upload(pdf_bytes(owner_only=True)))
    assert not PdfReader(io.BytesIO(clean.content)).is_encrypted


def test_a_big_upload_goes_to_a_temporary_file_and_is_inspected_from_there():
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE < settings.APPLICATIONS_MAX_FILE_BYTES
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.add_attachment("fotos.bin", os.urandom(3 * MB))  # incompressible: the PDF really weighs 3 MB
    out = io.BytesIO()
    writer.write(out)
    big_pdf = out.getvalue()
    assert len(big_pdf) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    request = RequestFactory().post("/", {"archivo": SimpleUploadedFile("grande.pdf", big_pdf)})
    received = request.FILES["archivo"]
    assert isinstance(received, TemporaryUploadedFile)
    assert inspect_upload(received).pages == 2


# --- Metadata --------------------------------------------------------------------------------------------------------


def test_jpeg_loses_gps_exif_comment_and_xmp_but_keeps_its_orientation():
    original = jpeg_bytes(
        (64, 32), exif=_gps_exif(orientation=6), comment=b"Lucia Mendez", xmp=b"<x:xmpmeta>GPS</x:xmpmeta>"
    )
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    clean = inspect_upload(upload(original, "ine.jpg", "image/jpeg"))
    image = Image.open(io.BytesIO(clean.content))
    assert not image.getexif()
    assert "exif" not in image.info and "comment" not in image.info and "xmp" not in image.info
    assert b"Lucia" not in clean.content and b"xmpmeta" not in clean.content and b"Modelo X" not in clean.content
    # Orientation 6 means "rotate 90° clockwise to view": the stored picture is already upright (32 × 64).
    assert image.size == (32, 64)
    assert (clean.width, clean.height) == (32, 64)
    assert image.getpixel((16, 2))[2] > 150  # the blue half is now on top


def test_upright_jpeg_loses_its_exif_without_growing():
    original = jpeg_bytes((400, 300), exif=_gps_exif(), comment=b"Lucia Mendez")
    clean = inspect_upload(upload(original, "acta.jpg", "image/jpeg"))
    image = Image.open(io.BytesIO(clean.content))
    assert not image.getexif() and "comment" not in image.info
    assert b"Lucia" not in clean.content and b"Modelo X" not in clean.content
    assert image.size == (400, 300)
    assert clean.size <= len(original)


def test_png_loses_exif_and_text_chunks():
    original = png_bytes(exif=_gps_exif(), text={"Author": "Lucía Méndez", "Comment": "Calle Reforma 10"})
    assert Image.open(io.BytesIO(original)).text
    clean = inspect_upload(upload(original, "curp.png", "image/png"))
    image = Image.open(io.BytesIO(clean.content))
    assert not image.getexif()
    assert not image.text
    assert b"Reforma" not in clean.content and b"eXIf" not in clean.content


def test_jpeg_keeps_its_colour_profile():
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "JPEG", icc_profile=profile)
    clean = inspect_upload(upload(out.getvalue(), "foto.jpg"))
    assert Image.open(io.BytesIO(clean.content)).info.get("icc_profile") == profile


def test_pdf_loses_author_and_xmp_and_keeps_its_pages():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(pages=2))))
    writer.xmp_metadata = b'<?xpacket?><x:xmpmeta xmlns:x="adobe:ns:meta/">Lucia Mendez</x:xmpmeta>'
    out = io.BytesIO()
    writer.write(out)
    original = out.getvalue()
    assert PdfReader(io.BytesIO(original)).metadata["/Author"] == "Lucía Méndez Ruiz"
    clean = inspect_upload(upload(original, "acta.pdf"))
    reader = PdfReader(io.BytesIO(clean.content))
    assert not reader.metadata or "/Author" not in reader.metadata
    assert reader.xmp_metadata is None
    assert "/Metadata" not in reader.trailer["/Root"]
    assert len(reader.pages) == 2
    assert b"Lucia Mendez" not in clean.content and "Méndez".encode("utf-16-be") not in clean.content


def test_pdf_loses_document_javascript_and_embedded_files():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(pages=1))))
    writer.add_attachment("virus.exe", b"MZ....")
    from pypdf.actions import JavaScript

    writer.add_open_action(JavaScript("app.alert('hola');"))
    out = io.BytesIO()
    writer.write(out)
    clean = inspect_upload(upload(out.getvalue(), "con-script.pdf"))
    reader = PdfReader(io.BytesIO(clean.content))
    root = reader.trailer["/Root"]
    names = root.get("/Names")
    names = names.get_object() if names is not None else {}
    assert "/JavaScript" not in names and "/EmbeddedFiles" not in names
    assert "/OpenAction" not in root
    assert not reader.attachments


# --- Refused files ---------------------------------------------------------------------------------------------------


def test_empty_file_is_refused():
    refused = rejection(b"")
    assert refused.code == "empty"
    assert "vacío" in refused.messages[0]


def test_file_over_the_limit_says_its_size_and_the_limit():
    refused = rejection(b"%PDF-1.7\n" + b"0" * int(12.35 * MB))
    assert refused.code == "too_big"
    assert refused.messages[0] == "El archivo pesa 12.4 MB; el máximo es 10 MB."


def test_file_just_over_the_limit_never_reads_as_equal_to_it():
    refused = rejection(b"%PDF-1.7\n" + b"0" * (10 * MB))
    assert "pesa 10.1 MB" in refused.messages[0]


@pytest.mark.parametrize(
    ("content", "name", "says"),
    [
        (docx_bytes(), "solicitud.pdf", "parece un documento de Word (.docx), aunque su nombre termina en «.pdf»"),
        (zip_bytes({"acta.pdf": b"%PDF-1.7"}), "acta.pdf", "parece un archivo comprimido ZIP"),
        (b"MZ\x90\x00\x03" + b"\x00" * 200, "acta.pdf", "parece un programa de Windows (.exe)"),
        (zip_bytes({"xl/workbook.xml": b"<x/>"}), "cuentas.xlsx", "parece una hoja de cálculo de Excel (.xlsx)."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "carta.doc", "un documento de Office antiguo"),
        (b"GIF89a" + b"\x00" * 50, "foto.jpg", "parece una imagen GIF"),
        (b"\x00\x00\x00\x18ftypheic" + b"\x00" * 50, "IMG_0001.HEIC", "una foto HEIC"),
        (b"<!DOCTYPE html><html><body>hola</body></html>", "pagina.pdf", "una página web (HTML)"),
    ],
)
def test_other_types_are_refused_naming_what_they_really_are(content, name, says):
    refused = rejection(content, name)
    assert refused.code == "type"
    assert refused.messages[0].startswith("El archivo no es PDF, JPG ni PNG")
    assert says in refused.messages[0]


def test_unknown_bytes_are_refused_without_guessing_a_type():
    refused = rejection(b"solo texto, nada de documento", "nota.txt")
    assert refused.code == "type"
    assert "parece" not in refused.messages[0]


@pytest.mark.parametrize(
    ("content", "label"),
    [
        (png_bytes()[:-30], "PNG"),
        (jpeg_bytes((300, 300))[:400], "JPG"),
        (b"\x89PNG\r\n\x1a\n" + b"basura" * 20, "PNG"),
        (b"\xff\xd8\xff\xe0" + b"basura" * 20, "JPG"),
        (b"%PDF-1.7\n" + b"basura" * 20, "PDF"),
        (pdf_bytes()[:200], "PDF"),
    ],
)
def test_corrupt_files_are_refused(content, label):
    refused = rejection(content, "archivo")
    assert refused.code == "corrupt"
    assert f"no se pudo abrir como {label}" in refused.messages[0]


def test_password_protected_pdf_is_refused_with_a_specific_message():
    refused = rejection(pdf_bytes(password="secreto"))
    assert refused.code == "encrypted"
    assert "está protegido con contraseña" in refused.messages[0]


def test_image_with_absurd_dimensions_is_refused_before_decoding():
    refused = rejection(png_with_header_only(50_000, 40_000), "bomba.png")
    assert refused.code == "too_many_pixels"
    refused = rejection(png_with_header_only(8_000, 6_000), "grande.png")
    assert refused.code == "too_many_pixels"
    assert "8000 × 6000 píxeles" in refused.messages[0]
    assert "40 megapíxeles" in refused.messages[0]


def test_pixel_limit_comes_from_settings(settings):
    settings.APPLICATIONS_MAX_IMAGE_PIXELS = 1_000_000
    assert inspect_upload(upload(jpeg_bytes((1000, 1000)), "ok.jpg"))
    assert rejection(jpeg_bytes((1001, 1000)), "grande.jpg").code == "too_many_pixels"


HEADERS = [b"", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"%PDF-1.4\n", b"PK\x03\x04", b"MZ"]


@hypothesis_settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(HEADERS), st.binary(max_size=2048), st.text(max_size=40))
def test_any_bytes_give_a_clean_file_or_a_clear_refusal(header, body, name):
    try:
        clean = inspect_upload(RawUpload(header + body, name))
    except UploadRejected as refused:
        assert refused.code in {"empty", "too_big", "type", "corrupt", "encrypted", "too_many_pixels"}
        assert refused.messages and all(refused.messages)
    else:
        assert clean.content_type in {"application/pdf", "image/jpeg", "image/png"}
        assert clean.original_name.endswith(f".{clean.extension}")


@hypothesis_settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=3000))
def test_any_truncation_of_a_real_file_gives_a_clean_file_or_a_clear_refusal(cut):
    for original in (jpeg_bytes((120, 80)), png_bytes((60, 60)), pdf_bytes(pages=1)):
        try:
            inspect_upload(upload(original[: min(cut, len(original))], "recorte"))
        except UploadRejected as refused:
            assert refused.code in {"empty", "type", "corrupt"}


# --- Names -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "extension", "expected"),
    [
        ("../../etc/passwd", "pdf", "passwd.pdf"),
        ("C:\\Users\\Lucía\\Escritorio\\acta final.PDF", "pdf", "acta final.pdf"),
        ("comprobante.pdf", "jpg", "comprobante.jpg"),
        ("  .pdf", "pdf", "archivo.pdf"),
        ("", "png", "archivo.png"),
        ("a\x00b\u202ec<d>.jpeg", "jpg", "a b c d.jpg"),
        ("acta.de.nacimiento.pdf", "pdf", "acta.de.nacimiento.pdf"),
    ],
)
def test_names_are_cleaned_and_get_the_real_extension(name, extension, expected):
    assert sanitize_name(name, extension) == expected


@given(st.text(max_size=300))
def test_any_name_becomes_a_short_plain_file_name(name):
    cleaned = sanitize_name(name, "pdf")
    assert cleaned.endswith(".pdf")
    assert "/" not in cleaned and "\\" not in cleaned and "\x00" not in cleaned
    assert len(cleaned) <= 124
    assert cleaned[:-4].strip()


# --- Totals ----------------------------------------------------------------------------------------------------------


def test_total_over_the_limit_says_what_it_would_reach():
    with pytest.raises(UploadRejected) as raised:
        check_total_size(25 * MB, int(6.15 * MB))
    assert raised.value.code == "total_too_big"
    assert raised.value.messages[0].startswith(
        "Con este archivo la solicitud sumaría 31.2 MB; el máximo es 30 MB. Quite algún archivo"
    )


def test_total_up_to_the_limit_is_accepted_and_accepts_lists_of_sizes_or_files():
    check_total_size(20 * MB, 10 * MB)
    clean = inspect_upload(upload(pdf_bytes()))
    check_total_size([10 * MB, 10 * MB], [clean])
    with pytest.raises(UploadRejected):
        check_total_size([15 * MB, 15 * MB], [clean])


def test_limits_come_from_settings(settings):
    settings.APPLICATIONS_MAX_FILE_BYTES = 1000
    assert rejection(pdf_bytes() + b"\n" * 1000).code == "too_big"
    settings.APPLICATIONS_MAX_TOTAL_BYTES = 5000
    with pytest.raises(UploadRejected):
        check_total_size(4000, 1001)


# --- Storage and serving ---------------------------------------------------------------------------------------------


def test_private_storage_is_outside_the_web_root():
    location = Path(settings.STORAGES["private"]["OPTIONS"]["location"]).resolve()
    for public in (Path(settings.MEDIA_ROOT).resolve(), Path(settings.STATIC_ROOT).resolve()):
        assert public != location and public not in location.parents


def test_stored_file_has_an_unguessable_name_under_its_prefix(private_dir):
    clean = inspect_upload(upload(pdf_bytes(), "Acta de Lucía.pdf"))
    first = store_clean_file(clean, "solicitudes/abc")
    second = store_clean_file(clean, "solicitudes/abc/")
    assert first != second
    for name in (first, second):
        prefix, stored = name.rsplit("/", 1)
        assert prefix == "solicitudes/abc"
        assert stored.endswith(".pdf") and "Luc" not in stored and len(stored) == 36 + 4
        assert (private_dir / name).read_bytes() == clean.content
    with uploads.open_private(first) as handle:
        assert handle.read() == clean.content


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_file_response_is_a_private_download_that_nothing_may_sniff_or_run(private_dir):
    clean = inspect_upload(upload(pdf_bytes(), "acta.pdf"))
    name = store_clean_file(clean, "solicitudes/x")
    response = private_file_response(name, clean.content_type, "Acta de nacimiento – Lucía.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert _body(response) == clean.content


def test_inline_is_only_for_images(private_dir):
    photo = inspect_upload(upload(jpeg_bytes(), "foto.jpg"))
    pdf = inspect_upload(upload(pdf_bytes(), "acta.pdf"))
    photo_response = private_file_response(store_clean_file(photo, "p"), photo.content_type, "foto.jpg", inline=True)
    assert photo_response["Content-Disposition"].startswith("inline;")
    pdf_response = private_file_response(store_clean_file(pdf, "p"), pdf.content_type, "acta.pdf", inline=True)
    assert pdf_response["Content-Disposition"].startswith("attachment;")


def test_missing_stored_file_is_a_404_not_a_500(private_dir):
    with pytest.raises(Http404):
        private_file_response("solicitudes/no-existe.pdf", "application/pdf", "acta.pdf")


def test_clean_file_repr_does_not_dump_the_content():
    clean = CleanFile(b"x" * 100, "application/pdf", "pdf", 100, "0" * 64, "a.pdf")
    assert "xxxx" not in repr(clean)
