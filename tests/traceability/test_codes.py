"""Batch codes: random, typable, and a check character that catches every single typo."""

from __future__ import annotations

import itertools
import random

import pytest

from storefront.traceability import codes
from storefront.traceability.codes import ALPHABET, CodeStatus

SAMPLE = 300


@pytest.fixture(scope="module")
def sample() -> list[str]:
    return [codes.new_code() for _ in range(SAMPLE)]


def test_the_field_tables_cover_every_nonzero_symbol() -> None:
    assert sorted(codes._EXP) == list(range(1, 32))  # alpha generates GF(32)*


def test_new_codes_are_well_formed_and_distinct(sample: list[str]) -> None:
    assert len(set(sample)) == SAMPLE
    for code in sample:
        assert len(code) == codes.CODE_LENGTH == 11
        assert set(code) <= set(ALPHABET)
        assert codes.is_valid(code)
    assert not set("ILOU") & set(ALPHABET)
    assert len(ALPHABET) == 32


def test_codes_use_the_whole_alphabet_in_every_random_position(sample: list[str]) -> None:
    for position in range(codes.RANDOM_LENGTH):
        seen = {code[position] for code in sample}
        assert len(seen) >= 28, (position, seen)  # 300 draws from 32 symbols


def test_known_check_characters() -> None:
    assert codes.check_character("0000000000") == "0"
    # "1" at position 0 weighs alpha**1 = 2; at position 1, alpha**2 = 4
    assert codes.check_character("1000000000") == "2"
    assert codes.check_character("0100000000") == "4"
    # alpha**5 = alpha**2 + 1 = 5 for x^5 + x^2 + 1
    assert codes.check_character("0000100000") == "5"


def test_every_single_substitution_is_caught(sample: list[str]) -> None:
    for code in sample:
        for position, original in enumerate(code):
            for replacement in ALPHABET:
                if replacement == original:
                    continue
                typo = code[:position] + replacement + code[position + 1 :]
                assert not codes.is_valid(typo), (code, typo)
                assert codes.parse(typo).status is CodeStatus.MISTYPED


def test_every_transposition_is_caught(sample: list[str]) -> None:
    for code in sample:
        for first, second in itertools.combinations(range(len(code)), 2):
            if code[first] == code[second]:
                continue
            chars = list(code)
            chars[first], chars[second] = chars[second], chars[first]
            assert not codes.is_valid("".join(chars)), (code, first, second)


def test_a_missing_or_extra_character_reads_as_mistyped(sample: list[str]) -> None:
    code = sample[0]
    assert codes.parse(code[:-1]).status is CodeStatus.MISTYPED
    assert codes.parse(code[1:]).status is CodeStatus.MISTYPED
    assert codes.parse(code + "7").status is CodeStatus.MISTYPED


def test_display_groups_in_fours() -> None:
    assert codes.display("7K3F9QXM2AB") == "7K3F-9QXM-2AB"


def test_lookup_ignores_case_separators_and_look_alike_letters(sample: list[str]) -> None:
    code = next(c for c in sample if "0" in c or "1" in c)
    typed = codes.display(code).lower().replace("-", " - ")
    typed = typed.replace("0", "o").replace("1", random.choice("iIlL"))
    assert codes.parse(typed) == codes.ParsedCode(CodeStatus.VALID, code)
    assert codes.parse("\u00a0" + code.lower() + "\u2013").code == code  # NBSP, en dash
    assert codes.parse(code.lower().replace("", " ")).code == code
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in code)  # as some phone keyboards type
    assert codes.parse(fullwidth).status is CodeStatus.VALID


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "hello",
        "U" * 11,  # U is not in the alphabet
        "7K3F9QXM2A!",
        "Mật ong hoa Ban",
        "😀" * 11,
        "X" * 5000,
        "\x00" * 11,
        "../../etc/passwd",
    ],
    ids=["empty", "word", "u", "punctuation", "vietnamese", "emoji", "long", "nul", "path"],
)
def test_anything_else_is_invalid(raw: str) -> None:
    assert codes.parse(raw).status is CodeStatus.INVALID
