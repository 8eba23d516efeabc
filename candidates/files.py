"""Checks on uploaded document files: PDF, JPEG or PNG by content (never by name), at most 5 MB.

A scan of a KTP or passport is personal data that staff and officials will open on office PCs, so
anything that is not plainly one of the three formats is refused: a script renamed .pdf, HTML, SVG
(which can carry script), or a PDF with embedded JavaScript.
"""

import re
import struct
import unicodedata
import uuid
import zlib
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
MAX_IMAGE_SIDE = 30_000

ALLOWED = {
    # detected MIME type → extension used for the stored file and the download name
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
}


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int


def check_document_file(upload: UploadedFile) -> CheckedFile:
    """Raise ValidationError unless the upload is a sane PDF, JPEG or PNG of at most 5 MB."""
    if upload.size is None or upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("The file is %(size).1f MB; at most 5 MB is accepted.") % {"size": upload.size / 1024 / 1024},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    kind = filetype.guess(data[:8192])
    mime = kind.mime if kind else None
    if mime not in ALLOWED:
        raise ValidationError(
            _("Only PDF, JPEG and PNG files are accepted; this file is none of them (checked by its content)."),
            code="type",
        )
    checker = {"application/pdf": _check_pdf, "image/jpeg": _check_jpeg, "image/png": _check_png}[mime]
    if not checker(data):
        raise ValidationError(_("The file looks damaged or is not a genuine PDF, JPEG or PNG."), code="damaged")
    return CheckedFile(content_type=mime, extension=ALLOWED[mime], size=len(data))


def _check_pdf(data: bytes) -> bool:
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        return False
    # Active content has no place in a scanned certificate.
    return not re.search(rb"/(JavaScript|JS|Launch|EmbeddedFile)\b", data)


def _check_png(data: bytes) -> bool:
    if not data.startswith(b"\x89PNG\r\n\x1a\n") or len(data) < 8 + 25 + 12:
        return False
    length, chunk_type = struct.unpack(">I4s", data[8:16])
    if chunk_type != b"IHDR" or length != 13:
        return False
    ihdr = data[16:29]
    (crc,) = struct.unpack(">I", data[29:33])
    if zlib.crc32(b"IHDR" + ihdr) & 0xFFFFFFFF != crc:
        return False
    width, height, depth, colour = struct.unpack(">IIBB", ihdr[:10])
    return (
        0 < width <= MAX_IMAGE_SIDE
        and 0 < height <= MAX_IMAGE_SIDE
        and depth in (1, 2, 4, 8, 16)
        and colour in (0, 2, 3, 4, 6)
        and b"IEND" in data[-64:]
    )


# Start-of-frame markers carry the image size; C4 (DHT), C8 (JPG) and CC (DAC) are not frames.
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _check_jpeg(data: bytes) -> bool:
    """Walk the JPEG segments up to the scan: a frame header with a sane size, then an end marker."""
    if not data.startswith(b"\xff\xd8\xff"):
        return False
    pos, size_ok = 2, False
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return False
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if length < 2:
            return False
        if marker in _SOF and pos + 9 <= len(data):
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            size_ok = 0 < width <= MAX_IMAGE_SIDE and 0 < height <= MAX_IMAGE_SIDE
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            return size_ok and data.rfind(b"\xff\xd9") > pos
        pos += 2 + length
    return False


_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"/\\|?*]+")


def safe_original_name(name: str, extension: str) -> str:
    """The user's file name reduced to a harmless display name: no folders, no control characters,
    and the extension of what the file really is ("scan.php.pdf" of a PNG becomes "scan.php.png")."""
    base = re.split(r"[/\\]", name or "")[-1]
    base = unicodedata.normalize("NFC", base)
    stem = base.rsplit(".", 1)[0] if "." in base.lstrip(".") else base
    stem = _UNSAFE.sub("_", stem).strip(" ._")[:100] or "document"
    return f"{stem}.{extension}"


def random_storage_name(extension: str) -> str:
    """A server-side name that reveals nothing about the person or the user's file name."""
    return f"{uuid.uuid4().hex}.{extension}"
