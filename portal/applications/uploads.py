"""Files people send with an application: checked by their content, cleaned of metadata, kept out of the web root.

What comes in
    ``inspect_upload`` reads the upload (Django streams anything over ``FILE_UPLOAD_MAX_MEMORY_SIZE``, 2.5 MB, to a
    temporary file, so a 10 MB file never sits whole in a request's memory before this point), refuses it with a
    specific Spanish message (``UploadRejected``) or returns a ``CleanFile``:

    - the type is decided by the first bytes, never by the name or the browser's ``Content-Type``: PDF, JPEG and PNG
      are accepted; for anything else the message names what the file really is when it can tell (a Word document, a
      ZIP, a program...), especially when its name pretends otherwise;
    - empty files and files over ``APPLICATIONS_MAX_FILE_BYTES`` are refused before any parsing;
    - images are decoded completely by Pillow (``verify()``, then ``load()`` on a fresh handle) and refused when
      corrupt or when their pixel count is absurd (``APPLICATIONS_MAX_IMAGE_PIXELS``, well under Pillow's own
      decompression-bomb limit, which is also enforced);
    - PDFs are opened by pypdf; one that needs a password to open is refused ("está protegido con contraseña"), one
      that only restricts printing or copying (empty user password) is accepted and stored without the restriction.

What is kept
    - JPEG and PNG are re-encoded: orientation applied first (``ImageOps.exif_transpose``) so the picture looks as
      the person saw it, then saved with no EXIF (GPS, camera, date), no XMP, no comments and no PNG text chunks.
      The ICC colour profile and the resolution (dpi) are kept: they carry no personal data and a scanned document
      keeps its colours and printed size. An upright JPEG keeps its own quantisation tables (``quality="keep"``);
      a rotated one is saved at quality 90.
    - PDFs are rewritten by pypdf with the content untouched but without the document information dictionary
      (/Author, /Creator, /Producer, dates...), the XMP metadata stream (document and pages), document-level
      JavaScript, embedded files, and open or additional actions.
    - ``original_name`` is the base name the person gave, cleaned of paths and control characters, with the
      extension of the real type (``foto.pdf`` that is a JPEG becomes ``foto.jpg``).

Where it goes
    ``store_clean_file`` saves under an unguessable name (``<prefix>/<uuid4>.<ext>``) in ``STORAGES["private"]``, a
    storage outside ``STATIC_ROOT`` and ``MEDIA_ROOT`` that no URL serves (django-storages can replace it: see
    docs/applications.md). ``private_file_response`` is the only way out, and it does **not** check who asks:
    the view must call an ``access_*`` helper first.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import math
import os
import re
import unicodedata
import uuid
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage, storages
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

logger = logging.getLogger(__name__)

MB = 1024 * 1024
PRIVATE_STORAGE = "private"
DEFAULT_MAX_FILE_BYTES = 10 * MB
DEFAULT_MAX_TOTAL_BYTES = 30 * MB
# 40 megapixels: more than any phone or scanner gives for a document at 600 dpi (A4 at 600 dpi is 35 MP), and a
# decoded RGB image of that size is 120 MB of memory.
DEFAULT_MAX_IMAGE_PIXELS = 40_000_000
# Headers may sit a little after the start of a PDF (the specification tolerates garbage before "%PDF-").
PDF_HEADER_WINDOW = 1024
ORIENTATION_TAG = 0x0112
JPEG_MODES = ("L", "RGB", "CMYK")


class UploadRejected(ValidationError):
    """A file that cannot be accepted; ``messages`` say why, in Spanish, for the person who sent it."""


@dataclass(frozen=True)
class CleanFile:
    """A file that passed the checks, as it will be stored: cleaned content and what was learned from it."""

    content: bytes = field(repr=False)
    content_type: str
    extension: str
    size: int
    sha256: str
    original_name: str
    pages: int | None = None
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class _Kind:
    content_type: str
    extension: str
    label: str


PDF = _Kind("application/pdf", "pdf", "PDF")
JPEG = _Kind("image/jpeg", "jpg", "JPG")
PNG = _Kind("image/png", "png", "PNG")
ACCEPTED_EXTENSIONS = {"pdf": PDF, "jpg": JPEG, "jpeg": JPEG, "png": PNG}


def max_file_bytes() -> int:
    return int(getattr(settings, "APPLICATIONS_MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES))


def max_total_bytes() -> int:
    return int(getattr(settings, "APPLICATIONS_MAX_TOTAL_BYTES", DEFAULT_MAX_TOTAL_BYTES))


def max_image_pixels() -> int:
    return int(getattr(settings, "APPLICATIONS_MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS))


def format_megabytes(size: int, *, round_up: bool = True) -> str:
    """``12.4 MB``: one decimal, rounded up so that a file just over a limit never reads as equal to it."""
    value = size / MB
    value = math.ceil(value * 10) / 10 if round_up else round(value, 1)
    text = f"{value:.1f}".removesuffix(".0")
    return f"{text} MB"


# --- Type detection ---------------------------------------------------------------------------------------------------


def _zip_kind(data: bytes) -> str:
    """Office documents are ZIP files: look inside (only the names of the members) to say which one."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()[:2000]
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except Exception:  # noqa: BLE001 - a damaged ZIP is still a ZIP for the message
        names, mimetype = [], b""
    if any(name.startswith("word/") for name in names):
        return _("un documento de Word (.docx)")
    if any(name.startswith("xl/") for name in names):
        return _("una hoja de cálculo de Excel (.xlsx)")
    if any(name.startswith("ppt/") for name in names):
        return _("una presentación de PowerPoint (.pptx)")
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        return _("un documento de LibreOffice u OpenOffice (.odt, .ods)")
    return _("un archivo comprimido ZIP")


def describe_content(data: bytes) -> str | None:
    """What a file that is not PDF, JPEG or PNG seems to be, in words, or None when the bytes say nothing."""
    head = data[:64]
    start = data[:512].lstrip().lower()
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    signatures = [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", _("un documento de Office antiguo (.doc, .xls o .ppt)")),
        (b"MZ", _("un programa de Windows (.exe)")),
        (b"\x7fELF", _("un programa")),
        (b"Rar!\x1a\x07", _("un archivo comprimido RAR")),
        (b"7z\xbc\xaf\x27\x1c", _("un archivo comprimido 7-Zip")),
        (b"\x1f\x8b", _("un archivo comprimido GZIP")),
        (b"GIF87a", _("una imagen GIF")),
        (b"GIF89a", _("una imagen GIF")),
        (b"II*\x00", _("una imagen TIFF")),
        (b"MM\x00*", _("una imagen TIFF")),
        (b"{\\rtf", _("un documento RTF")),
        (b"%!PS", _("un archivo PostScript")),
    ]
    for signature, label in signatures:
        if head.startswith(signature):
            return label
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return _("una imagen WebP")
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in {b"heic", b"heix", b"mif1", b"msf1", b"heim", b"heis", b"hevc"}:
            return _("una foto HEIC (el formato de los iPhone)")
        if brand == b"avif":
            return _("una imagen AVIF")
        return _("un video")
    if start.startswith((b"<!doctype html", b"<html")):
        return _("una página web (HTML)")
    if start.startswith(b"<svg") or (start.startswith(b"<?xml") and b"<svg" in start):
        return _("una imagen SVG")
    return None


def detect_kind(data: bytes) -> _Kind | None:
    """PDF, JPEG or PNG judged by the bytes themselves; None for anything else.

    A PDF header a little after the start is tolerated only when the start is not the signature of another type
    (a ZIP whose first member is a PDF is a ZIP).
    """
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"%PDF-"):
        return PDF
    if b"%PDF-" in data[:PDF_HEADER_WINDOW] and describe_content(data) is None:
        return PDF
    return None


# --- Names ------------------------------------------------------------------------------------------------------------

_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


def _name_extension(name: str) -> str:
    return os.path.splitext(name)[1].lstrip(".").lower()


def sanitize_name(name: str, extension: str) -> str:
    """The person's file name without any path, control or reserved characters, ending in the real extension."""
    base = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    stem = os.path.splitext(base)[0] if _name_extension(base) else base
    stem = _UNSAFE_NAME.sub(" ", stem)
    # Control and format characters (a right-to-left override can make "gpj.exe" read as "exe.jpg").
    stem = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in stem)
    stem = " ".join(stem.split()).strip(" .")[:120] or _("archivo")
    return f"{stem}.{extension}"


# --- Inspection -------------------------------------------------------------------------------------------------------


def _read(uploaded_file, limit: int) -> tuple[bytes, int]:
    """Read at most ``limit + 1`` bytes (enough to know it is too big) and the size the upload claims."""
    with contextlib.suppress(AttributeError, OSError, ValueError):
        uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1) or b""
    size = getattr(uploaded_file, "size", None)
    if not isinstance(size, int) or size < len(data):
        size = len(data)
    return data, size


def inspect_upload(uploaded_file, *, keep_metadata: bool = False) -> CleanFile:
    """Check one uploaded file by its content and return it cleaned, or raise ``UploadRejected`` saying why.

    ``keep_metadata`` keeps the bytes as they came once the checks pass (an image still decoded whole, a PDF still
    opened): evidence of a report of corruption may need its metadata to prove where and when (portal.reports).
    """
    limit = max_file_bytes()
    name = getattr(uploaded_file, "name", "") or ""
    data, size = _read(uploaded_file, limit)
    if size == 0 or not data:
        raise UploadRejected(_("El archivo está vacío. Revise que sea el documento correcto."), code="empty")
    if size > limit or len(data) > limit:
        raise UploadRejected(
            _("El archivo pesa %(size)s; el máximo es %(max)s.")
            % {"size": format_megabytes(max(size, len(data))), "max": format_megabytes(limit, round_up=False)},
            code="too_big",
        )
    kind = detect_kind(data)
    if kind is None:
        raise UploadRejected(_type_message(data, name), code="type")
    if kind is PDF:
        content, pages = _clean_pdf(data)
        width = height = None
    else:
        content, width, height = _clean_image(data, kind)
        pages = None
    if keep_metadata:
        content = data
    return CleanFile(
        content=content,
        content_type=kind.content_type,
        extension=kind.extension,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        original_name=sanitize_name(name, kind.extension),
        pages=pages,
        width=width,
        height=height,
    )


def _type_message(data: bytes, name: str) -> str:
    described = describe_content(data)
    claimed = _name_extension(name)
    if described and claimed in ACCEPTED_EXTENSIONS:
        return _(
            "El archivo no es PDF, JPG ni PNG: parece %(what)s, aunque su nombre termina en «.%(extension)s». "
            "Guárdelo como PDF (o tómele una foto JPG o PNG) y vuelva a subirlo."
        ) % {"what": described, "extension": claimed}
    if described:
        return _(
            "El archivo no es PDF, JPG ni PNG: parece %(what)s. Guárdelo como PDF (o tómele una foto JPG o PNG) "
            "y vuelva a subirlo."
        ) % {"what": described}
    return _(
        "El archivo no es PDF, JPG ni PNG, o está dañado. Guárdelo como PDF (o tómele una foto JPG o PNG) y vuelva a "
        "subirlo."
    )


def _corrupt(kind: _Kind) -> UploadRejected:
    return UploadRejected(
        _(
            "El archivo parece dañado: no se pudo abrir como %(kind)s. Vuelva a guardarlo o escanearlo y súbalo de "
            "nuevo."
        )
        % {"kind": kind.label},
        code="corrupt",
    )


def _too_many_pixels(width: int | None, height: int | None) -> UploadRejected:
    limit = max_image_pixels() // 1_000_000
    if width and height:
        message = _(
            "La imagen mide %(width)d × %(height)d píxeles, demasiado para procesarla (el máximo es %(max)d "
            "megapíxeles). Redúzcala o tómela con menos resolución y vuelva a subirla."
        ) % {"width": width, "height": height, "max": limit}
    else:
        message = _(
            "La imagen tiene demasiados píxeles para procesarla (el máximo es %(max)d megapíxeles). Redúzcala o "
            "tómela con menos resolución y vuelva a subirla."
        ) % {"max": limit}
    return UploadRejected(message, code="too_many_pixels")


def _clean_image(data: bytes, kind: _Kind) -> tuple[bytes, int, int]:
    pil_format = "PNG" if kind is PNG else "JPEG"
    width = height = None
    try:
        with warnings.catch_warnings():
            # Over Pillow's MAX_IMAGE_PIXELS it only warns (and raises over twice that): refuse both.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[pil_format]) as probe:
                width, height = probe.size
                if width * height > max_image_pixels():
                    raise _too_many_pixels(width, height)
                probe.verify()
            with Image.open(io.BytesIO(data), formats=[pil_format]) as image:
                image.load()
                kept = {key: image.info[key] for key in ("icc_profile", "dpi") if image.info.get(key)}
                if kind is PNG and "transparency" in image.info:
                    kept["transparency"] = image.info["transparency"]
                try:
                    orientation = image.getexif().get(ORIENTATION_TAG, 1)
                except Exception:  # noqa: BLE001 - a damaged EXIF block does not damage the picture
                    orientation = 1
                options: dict = {}
                upright: Image.Image
                if kind is JPEG and orientation == 1 and image.format == "JPEG" and image.mode in JPEG_MODES:
                    # Upright already: re-encode with the original quantisation, so the file neither grows nor
                    # loses more quality than one more pass costs.
                    upright, options = image, {"quality": "keep"}
                else:
                    try:
                        upright = ImageOps.exif_transpose(image) if orientation != 1 else image.copy()
                    except Exception:  # noqa: BLE001 - an unusable orientation: keep the picture as stored
                        upright = image.copy()
                    options = {"quality": 90} if kind is JPEG else {}
                # Everything else in ``info`` (EXIF, XMP, comments, text chunks) must not reach the new file:
                # Pillow copies some of it (the JPEG comment, for one) unless told otherwise.
                upright.info = {}
                output = io.BytesIO()
                if kind is JPEG:
                    if upright.mode not in JPEG_MODES:
                        upright = upright.convert("RGB")
                    upright.save(output, "JPEG", **options, **kept)
                else:
                    upright.save(output, "PNG", **kept)
                width, height = upright.size
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(width, height) from None
    except Exception:  # noqa: BLE001 - whatever a hostile or damaged image makes the decoder raise, it is corrupt
        raise _corrupt(kind) from None
    return output.getvalue(), width, height


def _clean_pdf(data: bytes) -> tuple[bytes, int]:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            opened: int  # A PasswordType (an IntEnum), or 0.
            try:
                opened = reader.decrypt("")
            except Exception:  # noqa: BLE001 - an unknown cipher is as closed as a password
                opened = 0
            if not opened:
                raise UploadRejected(
                    _(
                        "El PDF está protegido con contraseña y la institución no podría abrirlo. Guárdelo sin "
                        "contraseña y vuelva a subirlo."
                    ),
                    code="encrypted",
                )
        pages = len(reader.pages)
        if pages == 0:
            raise _corrupt(PDF)
        writer = PdfWriter(clone_from=reader)
        writer.metadata = None
        writer.xmp_metadata = None
        root = writer.root_object
        for key in ("/OpenAction", "/AA"):
            root.pop(NameObject(key), None)
        names = root.get("/Names")
        if names is not None:
            names = names.get_object()
            for key in ("/JavaScript", "/EmbeddedFiles"):
                names.pop(NameObject(key), None)
        for page in writer.pages:
            page.pop(NameObject("/Metadata"), None)
            page.pop(NameObject("/AA"), None)
        # What was cut off above is still in the file as unreferenced objects until they are dropped.
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
        output = io.BytesIO()
        writer.write(output)
    except UploadRejected:
        raise
    except Exception:  # noqa: BLE001 - whatever a damaged PDF makes the parser raise, it is corrupt
        raise _corrupt(PDF) from None
    return output.getvalue(), pages


# --- Limits per application -------------------------------------------------------------------------------------------


def _total(value: int | CleanFile | Iterable[int | CleanFile]) -> int:
    if isinstance(value, int):
        return value
    if isinstance(value, CleanFile):
        return value.size
    return sum(_total(item) for item in value)


def check_total_size(
    existing_bytes: int | Iterable[int | CleanFile], new_bytes: int | CleanFile | Iterable[int | CleanFile]
) -> None:
    """Refuse a file that would take the application over ``APPLICATIONS_MAX_TOTAL_BYTES``.

    Either argument may be a number of bytes, a ``CleanFile`` or several of them (sizes or files).
    """
    limit = max_total_bytes()
    total = _total(existing_bytes) + _total(new_bytes)
    if total > limit:
        raise UploadRejected(
            _(
                "Con este archivo la solicitud sumaría %(total)s; el máximo es %(max)s. Quite algún archivo o "
                "reduzca su tamaño (por ejemplo, escanee en blanco y negro o a menor resolución)."
            )
            % {"total": format_megabytes(total), "max": format_megabytes(limit, round_up=False)},
            code="total_too_big",
        )


# --- Storage and serving ----------------------------------------------------------------------------------------------


def private_storage() -> Storage:
    return storages[PRIVATE_STORAGE]


def store_clean_file(clean: CleanFile, prefix: str) -> str:
    """Save the cleaned content under ``<prefix>/<uuid4>.<ext>`` in the private storage; return the stored name.

    The name says nothing about the person or the document and cannot be guessed. If the caller's transaction then
    fails, it should delete the file (``private_storage().delete(name)``).
    """
    prefix = prefix.strip("/")
    name = f"{prefix}/{uuid.uuid4()}.{clean.extension}" if prefix else f"{uuid.uuid4()}.{clean.extension}"
    return private_storage().save(name, ContentFile(clean.content))


def open_private(name: str) -> File:
    """Open a stored file for reading; ``FileNotFoundError`` if it is gone."""
    return private_storage().open(name, "rb")


# What a browser may do with a file a citizen sent: nothing active. The sandbox makes it an opaque origin even if
# some browser rendered it as a document; images may still show themselves.
FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
INLINE_TYPES = {JPEG.content_type, PNG.content_type}


def private_file_response(name: str, content_type: str, download_name: str, *, inline: bool = False) -> FileResponse:
    """Serve a stored file to someone the caller has ALREADY authorised (an ``access_*`` helper); 404 if it is gone.

    Files are downloads (``Content-Disposition: attachment``) by default: a PDF a citizen sent is opened by the
    reader's own program, never inside the portal's origin. ``inline=True`` is honoured only for JPEG and PNG, which
    were decoded and re-encoded on the way in, so they are exactly images. Never cached by browsers or proxies.
    """
    try:
        handle = open_private(name)
    except (FileNotFoundError, OSError):
        logger.warning("event=private_file_missing")
        raise Http404 from None
    as_inline = inline and content_type in INLINE_TYPES
    response = FileResponse(
        handle,
        as_attachment=not as_inline,
        filename=download_name or os.path.basename(name),
        content_type=content_type,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = FILE_CSP
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
