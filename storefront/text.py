"""Text helpers for Vietnamese: diacritic folding for search and ASCII slugs."""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def strip_diacritics(text: str) -> str:
    """Vietnamese letters without their marks, case kept: ``"Điện Biên" → "Dien Bien"``.

    NFD does not decompose đ/Đ, so they are mapped to d/D by hand."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Fold Vietnamese text for search: no diacritics, lowercase, single spaces:
    ``fold("Điện  Biên") == "dien bien"``."""
    return " ".join(strip_diacritics(text).lower().split())


def slugify(text: str) -> str:
    """Turn text into an ASCII slug: ``slugify("Lạc đỏ Na Son") == "lac-do-na-son"``."""
    return _NON_ALNUM.sub("-", fold(text)).strip("-")


# C0 controls but tab, line feed and carriage return; DEL; the C1 controls. PostgreSQL
# text cannot hold NUL, and none of them belongs in a name, a note or a search.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def strip_controls(text: str) -> str:
    """Drop control characters, keeping tabs and line breaks: ``"Mật\\x00 ong"`` → ``"Mật ong"``."""
    return _CONTROLS.sub("", text)


def has_controls(text: str) -> bool:
    """Whether `text` holds a character `strip_controls` drops."""
    return _CONTROLS.search(text) is not None
