"""Forgiving search: the words a buyer meant when the words typed are not the catalogue's.

Buyers type fast on phones, without diacritics, and glue or split words: "mat ongg",
"matong", "caphe", "maatj ong" (telex left over), "ma65t ong" (VNI). correct() maps such
words onto the catalogue's own vocabulary; the search then ranks products matching the
corrected words after those matching the words as typed (see catalog.search).

The vocabulary is the `search_term` table: every folded word of the listed products'
search text with how many products hold it, and every pair of adjacent words in product
names ("mat ong") with the way names write it ("mật ong") and, for the pairs common in the
search text as a whole ("kon tum", an old province name), how many products' text holds
them (for estimating how many products a search matches). rebuild_search_terms() fills it
from the search index's own statistics (FTS5's vocabulary table on SQLite, ts_stat on
PostgreSQL); note_search_text() tops it up whenever a product's search text changes.
Each process keeps a copy in memory for VOCABULARY_SECONDS, so a search costs no query
for it, and corrections are computed here, the same way on both databases.
"""

from __future__ import annotations

import re
import time
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import cast

from rapidfuzz import process
from rapidfuzz.distance import OSA
from sqlalchemy import Integer, Table, bindparam, case, delete, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from storefront.catalog.models import Producer, Product, SearchTerm
from storefront.extensions import Session
from storefront.places.services import all_provinces
from storefront.text import fold

VOCABULARY_SECONDS = 300
TEXT_PAIR_MIN = 100  # products whose search text holds a pair, for it to be kept
MAX_TERM_LENGTH = 40
_TERM = re.compile(r"[a-z0-9]+")
_WORD = re.compile(r"[^\W_]+")
_VOWELS = frozenset("aeiouy")
# Telex marks typed on a keyboard without a Vietnamese input method: "maatj" is mật.
# Order matters: "uw", "ow" before the lone "w" (ư), "dd" before anything else.
_TELEX_MARKS = (("dd", "d"), ("uw", "u"), ("ow", "o"), ("aw", "a"),
                ("aa", "a"), ("ee", "e"), ("oo", "o"), ("w", "u"))  # fmt: skip
_TELEX_TONES = frozenset("sfrxj")
# Letters Vietnamese spells otherwise, as buyers type loanwords and teen code.
_SOUNDS = (("f", "ph"), ("z", "d"), ("j", "gi"), ("k", "c"))


@dataclass
class Vocabulary:
    """The catalogue's words, their counts and name pairs, for correcting searches."""

    words: dict[str, tuple[int, int]] = field(default_factory=dict)  # (products, in_names)
    glued: dict[str, tuple[str, str]] = field(default_factory=dict)  # "matong": ("mat", "ong")
    pairs: dict[tuple[str, str], int] = field(default_factory=dict)  # name pairs, counted
    text_pairs: dict[tuple[str, str], int] = field(default_factory=dict)  # in search texts
    follows: dict[str, list[str]] = field(default_factory=dict)  # "mat": ["ong", …]
    display: dict[str, str] = field(default_factory=dict)  # "mat ong": "mật ong"
    ordered: list[str] = field(default_factory=list)  # words, sorted, for prefix look-ups
    choices: list[str] = field(default_factory=list)  # words fuzzy matching may pick
    glued_choices: list[str] = field(default_factory=list)  # and glued pairs, if none

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, int, int, str]]) -> Vocabulary:
        vocabulary = cls()
        for term, products, in_names, display in rows:
            if display:
                vocabulary.display[term] = display
            first, _, second = term.partition(" ")
            if second:
                if in_names > 0:
                    vocabulary.pairs[(first, second)] = in_names
                    vocabulary.follows.setdefault(first, []).append(second)
                    vocabulary.glued.setdefault(first + second, (first, second))
                if products > 0:
                    vocabulary.text_pairs[(first, second)] = products
            elif products > 0 or in_names > 0:
                vocabulary.words[term] = (products, in_names)
        vocabulary.ordered = sorted(vocabulary.words)
        vocabulary.choices = [w for w in vocabulary.ordered if len(w) > 1]
        vocabulary.glued_choices = [g for g in vocabulary.glued if g not in vocabulary.words]
        return vocabulary

    @cached_property
    def listed(self) -> int:
        """About how many products are listed: as many as hold the commonest word."""
        return max((products for products, _ in self.words.values()), default=0)

    def knows(self, word: str, as_prefix: bool = False) -> bool:
        """Whether the catalogue holds `word` (or, as_prefix, a word beginning with it)."""
        if word in self.words:
            return True
        if not as_prefix:
            return False
        at = bisect_left(self.ordered, word)
        return at < len(self.ordered) and self.ordered[at].startswith(word)

    def matches(self, words: Sequence[str], in_names: bool, last_is_prefix: bool) -> int:
        """About how many products hold every word (in their names, or anywhere), for
        choosing how to read an index. Words that follow each other (in names, or in the
        search text) far more often than chance would have them count as one ("mat ong",
        "ninh binh", "kon tum"); other words are taken as independent of each other."""
        listed = self.listed
        if not listed or not words:
            return 0
        pairs = self.pairs if in_names else self.text_pairs
        estimate = float(listed)
        unit: int | None = None  # how many products hold the run of words being read
        for i, word in enumerate(words):
            prefix = last_is_prefix and i == len(words) - 1
            count = self._holding(word, in_names, prefix)
            pair = pairs.get((words[i - 1], word), 0) if i else 0
            # A pair's count is a floor for the products holding both words: it chains
            # when it is most of the rarer word's, or well above what chance would give.
            chained = (
                unit is not None
                and pair
                and (pair >= min(unit, count) / 2 or pair >= 2 * unit * count / listed)
            )
            if any(w.startswith(word) if prefix else w == word for w in words[:i]):
                if chained:
                    continue  # said twice, in the same run: no narrower
                # Said twice, perhaps starting another run ("ho tieu" then "ho chi
                # minh"): the run so far ends here; the word itself narrows nothing more,
                # the words that pair up with it do.
                if unit is not None:
                    estimate *= unit / listed
                unit = listed
                continue
            if chained and unit is not None:
                unit = min(unit, count, pair)
                continue
            if unit is not None:
                estimate *= unit / listed
            unit = count
        return round(estimate * (unit or 0) / listed)

    def _holding(self, word: str, in_names: bool, as_prefix: bool) -> int:
        if not as_prefix:
            return self.words.get(word, (0, 0))[1 if in_names else 0]
        total = 0
        for held in self.ordered[bisect_left(self.ordered, word) :]:
            if not held.startswith(word):
                break
            total += self.words[held][1 if in_names else 0]
        return total

    def pairs_with(self, word: str, before: str | None, after: str | None) -> int:
        """How many product names hold `word` next to its neighbours."""
        count = self.pairs.get((before, word), 0) if before else 0
        return count + (self.pairs.get((word, after), 0) if after else 0)

    def weight(self, word: str) -> tuple[int, int]:
        """How strongly the catalogue vouches for a word: (in names, in any text)."""
        products, in_names = self.words.get(word, (0, 0))
        return in_names, products


@dataclass(frozen=True)
class Correction:
    terms: tuple[str, ...]  # folded, as the search uses them
    display: str  # as the page offers it: "mật ong"


def correct(terms: Sequence[str], vocabulary: Vocabulary) -> Correction | None:
    """The words the buyer most likely meant, or None when every word is the catalogue's.

    The last word may be unfinished, so it counts as known when a word begins with it.
    An unknown word is, in this order: telex or VNI input undone ("maatj" → "mat"),
    respelled ("cafe" → "caphe"), split where glued ("matong" → "mat ong"), completed
    where unfinished before a word it pairs with in names ("ma ong"), or replaced by the
    nearest word within one edit (up to four letters) or two (longer),
    preferring one that forms a product-name pair with its neighbour, then the
    commonest. A word with nothing near is dropped while other words remain. A known
    word that never follows the word before it in product names, when a word one edit
    away does, becomes that word ("gao nang thon" → "gao nang thom").
    """
    if not vocabulary.words:
        return None
    out: list[str] = []
    changed = False
    for i, term in enumerate(terms):
        last = i == len(terms) - 1
        if vocabulary.knows(term, as_prefix=last):
            fitting = _fitting_neighbour(term, out[-1], last, vocabulary) if out else None
            changed = changed or fitting is not None
            out.append(fitting or term)
            continue
        following = terms[i + 1] if not last else None
        replacement = _replace(term, last, out[-1] if out else None, following, vocabulary)
        changed = True
        out.extend(replacement)
    if not changed or not out:
        return None
    return Correction(terms=tuple(out), display=_display(out, vocabulary))


def _fitting_neighbour(term: str, before: str, last: bool, vocabulary: Vocabulary) -> str | None:
    """A word one edit from a known `term` that follows `before` in product names when
    `term` never does: "nang thon" is most likely "nang thom" (gạo nàng thơm)."""
    followers = vocabulary.follows.get(before)
    if len(term) < 3 or not followers or (before, term) in vocabulary.pairs:
        return None
    if last and any(word.startswith(term) for word in followers):
        return None  # still being typed
    near = process.extract(term, followers, scorer=OSA.distance, score_cutoff=1, limit=None)
    if not near:
        return None
    return max(near, key=lambda match: (vocabulary.pairs[(before, match[0])], match[0]))[0]


def _replace(
    term: str, last: bool, before: str | None, after: str | None, vocabulary: Vocabulary
) -> list[str]:
    spellings = _respellings(term)
    known = [s for s in spellings if s != term and vocabulary.knows(s, as_prefix=last)]
    if known:
        return [max(known, key=vocabulary.weight)]
    for spelling in spellings:
        if spelling in vocabulary.glued:
            return list(vocabulary.glued[spelling])
    for spelling in spellings:
        parts = _segment(spelling, vocabulary)
        if parts:
            return parts
    completed = _completed(term, before, after, vocabulary)
    if completed:
        return [completed]
    return _nearest(term, before, after, vocabulary)


def _completed(
    term: str, before: str | None, after: str | None, vocabulary: Vocabulary
) -> str | None:
    """An unfinished word completed to one that forms a product-name pair with its
    neighbour: "ma" before "ong" is "mat"."""
    at = bisect_left(vocabulary.ordered, term)
    fitting = []
    for word in vocabulary.ordered[at:]:
        if not word.startswith(term):
            break
        pairs = vocabulary.pairs_with(word, before, after)
        if pairs:
            fitting.append((pairs, vocabulary.weight(word), word))
    return max(fitting)[2] if fitting else None


def _respellings(term: str) -> list[str]:
    """The word as typed, with telex or VNI marks undone and sounds respelled."""
    found = [term]
    if any(ch.isdigit() for ch in term) and any(ch.isalpha() for ch in term):
        found.append("".join(ch for ch in term if not ch.isdigit()))  # VNI: ma65t
    unmarked = term
    for marked, plain in _TELEX_MARKS:
        unmarked = unmarked.replace(marked, plain)
    found.append(unmarked)
    for i, ch in enumerate(unmarked):  # a tone key after the first vowel: matj, masst
        if ch in _TELEX_TONES and _VOWELS.intersection(unmarked[:i]):
            found.append(unmarked[:i] + unmarked[i + 1 :])
    toneless = "".join(
        ch
        for i, ch in enumerate(unmarked)
        if not (ch in _TELEX_TONES and _VOWELS.intersection(unmarked[:i]))
    )
    found.append(toneless)
    for spelling in list(found):
        for typed, spelled in _SOUNDS:
            if typed in spelling:
                found.append(spelling.replace(typed, spelled))
    return list(dict.fromkeys(s for s in found if s))


def _segment(word: str, vocabulary: Vocabulary, parts: int = 3) -> list[str] | None:
    """`word` as two or three known words of two letters or more, the likeliest split."""
    best: tuple[tuple[int, int], list[str]] | None = None
    for cut in range(2, len(word) - 1):
        head, tail = word[:cut], word[cut:]
        if not vocabulary.knows(head):
            continue
        rest = [tail] if vocabulary.knows(tail) else None
        if rest is None and parts > 2:
            rest = _segment(tail, vocabulary, parts - 1)
        if rest is None:
            continue
        split = [head, *rest]
        score = (
            sum(vocabulary.pairs.get(pair, 0) > 0 for pair in zip(split, split[1:], strict=False)),
            min(vocabulary.weight(w)[1] for w in split),
        )
        if best is None or (-len(split), *score) > (-len(best[1]), *best[0]):
            best = (score, split)
    return best[1] if best else None


def _nearest(term: str, before: str | None, after: str | None, vocabulary: Vocabulary) -> list[str]:
    if len(term) < 3:
        return []
    # Two edits only on longer words: on a five-letter word they reach another word
    # altogether ("khoai" would become "hoa").
    edits = 1 if len(term) <= 5 else 2
    # Words first; the far longer list of glued name pairs only when no word is near.
    for choices in (vocabulary.choices, vocabulary.glued_choices):
        found = process.extract(term, choices, scorer=OSA.distance, score_cutoff=edits, limit=None)
        if found:
            break
    else:
        return []

    def likelihood(match: tuple[str, int, int]) -> tuple[int, int, int, int]:
        word, distance = match[0], match[1]
        if word in vocabulary.words:
            fits = vocabulary.pairs_with(word, before, after) > 0
            in_names, products = vocabulary.weight(word)
        else:  # a glued name pair
            fits, in_names = False, vocabulary.pairs[vocabulary.glued[word]]
            products = in_names
        return (-distance, int(fits), in_names, products)

    word = max(found, key=likelihood)[0]
    return [word] if word in vocabulary.words else list(vocabulary.glued[word])


def _display(terms: Sequence[str], vocabulary: Vocabulary) -> str:
    """The corrected words as product names write them: "mật ong"."""
    shown: list[str] = []
    i = 0
    while i < len(terms):
        if i + 1 < len(terms) and f"{terms[i]} {terms[i + 1]}" in vocabulary.display:
            shown.append(vocabulary.display[f"{terms[i]} {terms[i + 1]}"])
            i += 2
        else:
            shown.append(vocabulary.display.get(terms[i], terms[i]))
            i += 1
    return " ".join(shown)


# ---------------------------------------------------------------- the stored vocabulary

_loaded: dict[str, tuple[float, Vocabulary]] = {}


def vocabulary(session: Session) -> Vocabulary:
    """This process's copy of the vocabulary, read again after VOCABULARY_SECONDS."""
    key = str(session.get_bind().engine.url)
    now = time.monotonic()
    held = _loaded.get(key)
    if held is None or now - held[0] > VOCABULARY_SECONDS:
        rows = session.execute(
            select(SearchTerm.term, SearchTerm.products, SearchTerm.in_names, SearchTerm.display)
        ).tuples()
        held = (now, Vocabulary.from_rows(rows))
        _loaded[key] = held
    return held[1]


def forget_vocabulary() -> None:
    """Read the vocabulary again on the next search (this process only)."""
    _loaded.clear()


def _name_words(name: str) -> list[tuple[str, str]]:
    """(folded, as written) for each word of a name, lower case: ("mat", "mật")."""
    words = []
    for raw in _WORD.findall(name.lower()):
        folded = _TERM.findall(fold(raw))
        if len(folded) == 1:
            words.append((folded[0], raw))
        else:
            words += [(part, part) for part in folded]
    return [(f, w) for f, w in words if len(f) <= MAX_TERM_LENGTH]


def _name_terms(name: str) -> dict[str, str]:
    """The words and adjacent word pairs of a name, folded, with how the name writes them."""
    words = _name_words(name)
    terms = {folded: written for folded, written in words}
    for (a, wa), (b, wb) in zip(words, words[1:], strict=False):
        terms.setdefault(f"{a} {b}", f"{wa} {wb}")
    return terms


def _text_terms(search_text: str) -> set[str]:
    """The words of a search text and its pairs of adjacent words."""
    words = _TERM.findall(search_text)
    return {*words, *(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))}


def _index_word_counts(session: Session) -> dict[str, int]:
    """Every word of the listed products' search text, with how many products hold it,
    from the search index's own statistics."""
    if session.get_bind().dialect.name == "postgresql":
        rows = session.execute(
            text(
                "SELECT word, ndoc FROM ts_stat($$SELECT p.search_tsv FROM product p "
                "JOIN producer r ON r.id = p.producer_id "
                "WHERE p.is_published AND r.is_active$$)"
            )
        )
    else:  # only listed products are in product_fts
        rows = session.execute(text("SELECT term, doc FROM product_fts_vocab"))
    return {
        word: int(count)
        for word, count in rows
        if len(word) <= MAX_TERM_LENGTH and _TERM.fullmatch(word)
    }


def _common_text_pairs(session: Session) -> dict[str, int]:
    """The pairs of adjacent words that at least TEXT_PAIR_MIN listed products' search
    texts hold, with how many hold them (rarer pairs cannot change how a search is read,
    catalog.search.PG_WALK_FROM, and would only swell the vocabulary)."""
    texts = session.execute(
        select(Product.search_text)
        .join(Product.producer)
        .where(Product.is_published.is_(True), Producer.is_active.is_(True))
        .execution_options(yield_per=5_000)
    ).scalars()
    counts: Counter[str] = Counter()
    for search_text in texts:
        counts.update(term for term in _text_terms(search_text or "") if " " in term)
    return {pair: n for pair, n in counts.items() if n >= TEXT_PAIR_MIN and len(pair) <= 100}


def rebuild_search_terms(session: Session) -> int:
    """Replace the vocabulary with one counted afresh from the listed products (run after
    bulk loads, and now and then: `flask catalog search-terms`). Returns its size."""
    word_counts = _index_word_counts(session)
    names = session.execute(
        select(Product.name)
        .join(Product.producer)
        .where(Product.is_published.is_(True), Producer.is_active.is_(True))
    ).scalars()
    in_names: Counter[str] = Counter()
    written: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for name in names:
        terms = _name_terms(name)
        in_names.update(terms.keys())
        for term, form in terms.items():
            written[term][form] += 1
    # Places and producers lend their spelling to words that no product name holds.
    others = [p.name for p in all_provinces()]
    others += session.execute(select(Producer.name).where(Producer.is_active.is_(True))).scalars()
    for name in others:
        for folded, form in _name_words(name):
            if folded not in in_names:
                written[folded][form] += 1
    text_pairs = _common_text_pairs(session)
    rows = [
        {
            "term": term,
            "products": word_counts.get(term, max(count, text_pairs.get(term, 0))),
            "in_names": in_names.get(term, 0),
            "display": _most_written(written.get(term)),
        }
        for term, count in {**dict.fromkeys(text_pairs, 0), **word_counts, **in_names}.items()
    ]
    session.execute(delete(SearchTerm))
    if rows:
        session.execute(insert(SearchTerm), rows)
    session.flush()
    forget_vocabulary()
    return len(rows)


def _most_written(forms: Counter[str] | None) -> str:
    if not forms:
        return ""
    return max(forms.items(), key=lambda item: (item[1], item[0]))[0][:100]


def note_search_text(
    session: Session, before: tuple[str, str], after: tuple[str, str], name: str
) -> None:
    """Count a product's changed search text into the vocabulary. `before` and `after`
    are (search_name, search_text); `name` is the product name as written now. A pair of
    words only the search text holds counts on a pair the vocabulary already keeps (the
    common ones, rebuild_search_terms); it is not added."""
    old_text, new_text = _text_terms(before[1]), _text_terms(after[1])
    old_name = set(_name_terms(before[0]))
    new_name = _name_terms(name)
    delta: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
    for term in new_text - old_text:
        delta[term][0] += 1
    for term in old_text - new_text:
        delta[term][0] -= 1
    for term in new_name.keys() - old_name:
        delta[term][1] += 1
    for term in old_name - new_name.keys():
        delta[term][1] -= 1
    changes = {t: d for t, d in delta.items() if len(t) <= 100 and d != [0, 0]}
    added = {t: d for t, d in changes.items() if " " not in t or d[1] > 0}
    gains = [
        {"term": t, "products": max(d[0], 0), "in_names": max(d[1], 0),
         "display": new_name.get(t, "")[:100]}
        for t, d in added.items() if d[0] > 0 or d[1] > 0
    ]  # fmt: skip
    more_in_text = [{"t": t, "p": d[0]} for t, d in changes.items() if t not in added and d[0] > 0]
    losses = [
        {"t": t, "p": -min(d[0], 0), "n": -min(d[1], 0)}
        for t, d in changes.items()
        if d[0] < 0 or d[1] < 0
    ]
    table = cast(Table, SearchTerm.__table__)
    columns = table.c
    if gains:
        session.execute(_upsert(session), gains)
    if more_in_text:
        more = bindparam("p", type_=Integer)
        session.execute(
            update(table)
            .where(columns.term == bindparam("t"))
            .values(products=columns.products + more),
            more_in_text,
        )
    if losses:
        fewer_products, fewer_names = bindparam("p", type_=Integer), bindparam("n", type_=Integer)
        session.execute(
            update(table)
            .where(columns.term == bindparam("t"))
            .values(
                products=case(
                    (columns.products > fewer_products, columns.products - fewer_products),
                    else_=0,
                ),
                in_names=case(
                    (columns.in_names > fewer_names, columns.in_names - fewer_names), else_=0
                ),
            ),
            losses,
        )
    if changes:
        forget_vocabulary()


def _upsert(session: Session) -> postgresql.Insert | sqlite.Insert:
    # Both dialects spell the upsert alike but in two classes: pick the one of this bind.
    stmt: postgresql.Insert | sqlite.Insert
    if session.get_bind().dialect.name == "postgresql":
        stmt = postgresql.insert(SearchTerm)
    else:
        stmt = sqlite.insert(SearchTerm)
    current = SearchTerm.__table__.c
    return stmt.on_conflict_do_update(
        index_elements=[current.term],
        set_={
            "products": current.products + stmt.excluded.products,
            "in_names": current.in_names + stmt.excluded.in_names,
            "display": case((current.display == "", stmt.excluded.display), else_=current.display),
        },
    )
