"""Every Vietnamese string in the code and templates has an English translation."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
ENGLISH_PO = ROOT / "storefront" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
# The same keywords as the documented command: pybabel extract -k N_ -k _l
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "_l": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _extract_source_messages() -> dict[str | tuple[str, ...], list[str]]:
    """msgid -> where it is used, extracted from the working tree as babel.cfg says."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[str | tuple[str, ...], list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS
    ):
        key = message if isinstance(message, str) else tuple(message)
        found.setdefault(key, []).append(f"{filename}:{lineno}")
    return found


def _english() -> Catalog:
    with open(ENGLISH_PO, "rb") as po:
        return read_po(po)


def _translated(entry: Message | None, plural: bool) -> bool:
    if entry is None or entry.fuzzy:
        return False
    strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
    if plural and len(strings) < 2:
        return False
    return all(s.strip() for s in strings)


def test_extraction_finds_the_catalogue_strings():
    messages = _extract_source_messages()
    assert "Tất cả sản phẩm" in messages  # templates/base.html
    assert "Thực phẩm" in messages  # N_ in storefront/catalog/groups.py
    assert ("%(num)s sản phẩm", "%(num)s sản phẩm") in messages  # ngettext


def test_every_message_has_an_english_translation():
    catalog = _english()
    missing = [
        f"{msgid!r} ({', '.join(places[:2])})"
        for msgid, places in _extract_source_messages().items()
        if not _translated(catalog.get(msgid), plural=isinstance(msgid, tuple))
    ]
    assert not missing, (
        "untranslated or fuzzy in en/messages.po; run pybabel extract/update, translate, "
        "and drop the fuzzy flags:\n" + "\n".join(missing)
    )


def test_translations_keep_the_placeholders():
    wrong = []
    for entry in _english():
        if not entry.id or not entry.string:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        expected = set(PLACEHOLDER.findall(" ".join(ids)))
        for text in strings:
            if set(PLACEHOLDER.findall(text)) - expected or (
                expected - set(PLACEHOLDER.findall(text)) - {"num"}
            ):
                wrong.append(f"{entry.id!r} -> {text!r}")
    assert not wrong, "placeholders differ between msgid and msgstr:\n" + "\n".join(wrong)
