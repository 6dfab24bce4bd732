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
