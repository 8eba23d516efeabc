"""Fail when the Indonesian catalogue lacks a translation. Standard library only.

Usage: python scripts/check_translations.py [path/to/django.po]
`make i18n-check` first runs makemessages, so strings added to the code count too.
"""

import re
import sys
from pathlib import Path

DEFAULT = Path(__file__).resolve().parent.parent / "locale" / "id" / "LC_MESSAGES" / "django.po"


def _unquote(lines: list[str]) -> str:
    return "".join(re.sub(r"^(msgid|msgid_plural|msgstr(\[\d+\])?)\s*", "", line).strip()[1:-1] for line in lines)


def untranslated(path: Path) -> list[str]:
    """msgids whose translation is empty or marked fuzzy (the header excluded)."""
    problems = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        body = [line for line in lines if not line.startswith("#")]
        if not body:
            continue
        fields: dict[str, list[str]] = {}
        key = None
        for line in body:
            match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(\[\d+\])?)\s", line)
            if match:
                key = match.group(1)
            fields.setdefault(key, []).append(line)
        msgid = _unquote(fields.get("msgid", []))
        if not msgid:
            continue  # the header
        translations = [_unquote(v) for k, v in fields.items() if k and k.startswith("msgstr")]
        if fuzzy or not translations or not all(translations):
            problems.append(msgid)
    return problems


if __name__ == "__main__":
    po = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    missing = untranslated(po)
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    print(f"{len(missing)} untranslated in {po}")
    sys.exit(1 if missing else 0)
