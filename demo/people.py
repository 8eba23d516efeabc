"""Synthetic people shared by seed_demo and seed_bench: NIKs, names that fit their sex, end reasons."""

import random
from collections.abc import Callable
from datetime import date

from faker.providers.person.id_ID import Provider as PersonProvider

from core.models import Municipality

# Why placements end early, one list per early end (both seeders draw from it).
END_REASONS = {
    "withdrawn": ["Mengundurkan diri: alasan keluarga.", "Mengundurkan diri: mendapat pekerjaan lain."],
    "failed": ["Tidak lulus pelatihan bahasa.", "Tidak lulus uji kompetensi."],
    "medically_unfit": ["Tidak memenuhi syarat kesehatan (medical check-up)."],
    "absconded": ["Meninggalkan tempat kerja tanpa izin."],
    "repatriated": ["Dipulangkan: kontrak diakhiri pemberi kerja.", "Dipulangkan karena sakit."],
}


def nik_for(municipality: Municipality, kecamatan_code: str, birth_date: date, sex: str, serial: int) -> str:
    """A NIK with the structure Dukcapil issues: PPKKCC DDMMYY SSSS, day + 40 for women."""
    day = birth_date.day + (40 if sex == "F" else 0)
    return f"{municipality.nik_prefix}{kecamatan_code[-2:]}{day:02d}{birth_date:%m%y}{serial:04d}"


def name_maker(rng: random.Random) -> Callable[[str], str]:
    """name(sex): an Indonesian name from Faker's id_ID lists for that sex, one to three words.

    No academic titles: a title says what schooling someone finished, which a random name cannot know.
    """
    P = PersonProvider
    first = {"M": list(P.first_names_male), "F": list(P.first_names_female)}
    last = {"M": list(P.last_names_male), "F": list(P.last_names_female)}

    def name(sex: str) -> str:
        firsts, lasts = first[sex], last[sex]
        shape = rng.random()
        if shape < 0.1:
            return rng.choice(firsts)
        if shape < 0.3:
            return f"{rng.choice(firsts)} {rng.choice(firsts)}"
        if shape < 0.7:
            return f"{rng.choice(firsts)} {rng.choice(lasts)}"
        return f"{rng.choice(firsts)} {rng.choice(firsts)} {rng.choice(lasts)}"

    return name


# Indonesian mobile prefixes in use (Telkomsel, Indosat, XL, Axis, Smartfren, Tri), so that every
# generated number is one core.phones accepts.
MOBILE_PREFIXES = [
    "811", "812", "813", "821", "822", "823", "851", "852", "853", "814", "815", "816", "855", "856", "857",
    "858", "817", "818", "819", "859", "877", "878", "831", "832", "833", "838", "881", "882", "883", "895",
    "896", "897", "898", "899",
]  # fmt: skip


def mobile_number(rng: random.Random) -> str:
    """A valid Indonesian mobile number in the +62 form."""
    return f"+62{rng.choice(MOBILE_PREFIXES)}{rng.randint(10**7, 10**8 - 1)}"
