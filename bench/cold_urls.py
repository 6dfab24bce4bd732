"""Catalogue URLs that never repeat, for bench/catalogue.py's cold rows.

A fragment cache only helps a URL asked for twice; the long tail of searches and filter
combinations never is. These lists are what that tail looks like: searches as buyers
type them (with and without diacritics, one to three words, unfinished words of one to
three letters, typos, glued words, telex leftovers, old province names) and filter
combinations, made from the same word lists `flask demo generate` names products from,
so most of them find something. Deterministic for a seed; every URL is distinct.
"""

from __future__ import annotations

import random
import unicodedata
from urllib.parse import urlencode

from storefront.catalog.groups import PRODUCT_GROUPS
from storefront.demo import vocabulary
from storefront.places import all_provinces
from storefront.places.services import alias_names
from storefront.text import fold

SORTS = ("newest", "price_asc", "price_desc", "stars")
PRICES = (None, 50_000, 100_000, 200_000, 500_000, 1_000_000)
# Telex for the vowels and đ that folding drops: what a phone without a Vietnamese
# keyboard leaves behind ("maatj ong").
_TELEX = {"â": "aa", "ă": "aw", "ê": "ee", "ô": "oo", "ơ": "ow", "ư": "uw", "đ": "dd"}
_TONES = {"\u0301": "s", "\u0300": "f", "\u0309": "r", "\u0303": "x", "\u0323": "j"}


def _telex(word: str) -> str:
    out, tone = [], ""
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in _TONES:
            tone = _TONES[ch]
        elif unicodedata.combining(ch):
            out[-1] = _TELEX.get(unicodedata.normalize("NFC", out[-1] + ch), out[-1])
        else:
            out.append(_TELEX.get(ch, ch))
    return "".join(out) + tone


def _typo(word: str, rng: random.Random) -> str:
    """One edit: a letter dropped, doubled, swapped with the next or hit beside."""
    if len(word) < 4:
        return word + word[-1]
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i] + word[i:]
    if kind == 2:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice("qwertyuiopasdfghjklzxcvbnm") + word[i + 1 :]


def _places() -> list[str]:
    names = []
    for province in all_provinces():
        names.append(province.short_name)
        names += alias_names(province.code)  # Trà Vinh, Bạc Liêu, Long An…
    return names


def searches(seed: int = 13) -> list[str]:
    """Distinct search box entries, shuffled: about two thousand."""
    rng = random.Random(seed)
    kinds = vocabulary.KINDS
    places = _places()
    found: dict[str, None] = {}

    def add(q: str) -> None:
        q = " ".join(q.split())
        if q:
            found.setdefault(q, None)

    for kind in kinds:
        base = kind.base
        add(base)
        add(fold(base))
        add(fold(base).replace(" ", ""))  # glued: "matong"
        add(" ".join(_telex(w) for w in base.split()))  # telex: "maatj ong"
        for qualifier in kind.qualifiers:
            add(f"{base} {qualifier}")
            add(fold(f"{base} {qualifier}"))
            words = fold(f"{base} {qualifier}").split()
            add(" ".join(words[:-1] + [_typo(words[-1], rng)]))
        for word in fold(base).split():
            for n in (1, 2, 3):
                add(word[:n])  # unfinished: "m", "ma", "mat"
            add(_typo(word, rng))
        for place in rng.sample(places, 12):
            add(f"{base} {place}")
            add(fold(f"{base} {place}"))
            add(f"{fold(base)} {fold(place).split()[0][:2]}")  # "mat ong di"
        for qualifier in kind.qualifiers[:3]:
            for place in rng.sample(places, 4):
                add(fold(f"{base} {qualifier} {place}"))
    for place in places:
        add(place)
        add(fold(place))
        add(_typo(fold(place), rng))
    for trade in vocabulary.PRODUCER_TRADES:
        add(fold(trade))
    qs = list(found)
    rng.shuffle(qs)
    return qs


def search_urls(seed: int = 13) -> list[str]:
    return ["/products?" + urlencode({"q": q}) for q in searches(seed)]


def filter_urls(seed: int = 17) -> list[str]:
    """Distinct filtered listings (group, stars, province, price range, sort), shuffled."""
    rng = random.Random(seed)
    provinces = [p.slug for p in all_provinces()]
    groups = [g.code for g in PRODUCT_GROUPS]
    seen: dict[str, None] = {}
    while len(seen) < 5000:
        args: dict[str, str] = {}
        if rng.random() < 0.5:
            args["group"] = rng.choice(groups)
        if rng.random() < 0.5:
            args["stars"] = str(rng.choice((3, 4, 5)))
        if rng.random() < 0.6:
            args["province"] = rng.choice(provinces)
        low, high = sorted(rng.sample(PRICES, 2), key=lambda p: p or 0)
        if low and rng.random() < 0.3:
            args["min_price"] = str(low)
        if high and rng.random() < 0.3:
            args["max_price"] = str(high)
        if rng.random() < 0.2:
            args["sort"] = rng.choice(SORTS)
        if len(args) >= 2:
            seen.setdefault("/products?" + urlencode(args), None)
    return list(seen)


def listing_urls(pages: int = 3000, resorted: int = 10) -> list[str]:
    """The unfiltered listing's pages 2 to `pages` newest first, and its first
    `resorted` pages in each other order (buyers who re-sort rarely page far), shuffled."""
    rng = random.Random(19)
    urls = [f"/products?page={n}" for n in range(2, pages + 1)]
    urls += [
        "/products?" + urlencode({"sort": s, **({"page": n} if n > 1 else {})})
        for s in SORTS[1:]
        for n in range(1, resorted + 1)
    ]
    rng.shuffle(urls)
    return urls
