"""Public batch codes: short, random, typable, with a check character.

A code is 10 random characters and 1 check character from Crockford's base-32 alphabet
without I, L, O and U (``0-9 A-Z`` less those four), shown grouped as ``7K3F-9QXM-2AB``.
Ten random characters give 50 bits from `secrets`, so codes cannot be guessed or
enumerated from one another.

The check character is one symbol of GF(32): ``c = sum(alpha**(i + 1) * x_i)`` over the
data characters ``x_0..x_9`` (addition is XOR), so a valid code satisfies
``sum(alpha**(i + 1) * x_i) + c = 0``. Changing one character changes that sum by
``alpha**k * e`` with ``e != 0``, never zero in a field: every single substitution is
caught. Swapping the characters at positions j and k changes it by
``(alpha**j + alpha**k) * (a + b)``, which is zero only when j and k differ by a multiple of
31, impossible in 11 characters: every transposition, adjacent or not, is caught too.
"""

from __future__ import annotations

import enum
import secrets
import unicodedata
from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
VALUES = {char: value for value, char in enumerate(ALPHABET)}
RANDOM_LENGTH = 10
CODE_LENGTH = RANDOM_LENGTH + 1
# Read as the character people mean: letters O, I and L look like 0 and 1.
CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
SEPARATORS = frozenset(" -_.\u2010\u2011\u2012\u2013\u2014\u2212")
MAX_INPUT_LENGTH = 64  # anything longer is not a code someone typed or scanned

# GF(32) with the primitive polynomial x^5 + x^2 + 1; alpha = 2 generates all 31 units.
_POLYNOMIAL = 0b100101
_EXP: list[int] = []
_value = 1
for _ in range(31):
    _EXP.append(_value)
    _value <<= 1
    if _value & 0b100000:
        _value ^= _POLYNOMIAL
_LOG = {value: power for power, value in enumerate(_EXP)}


def _times_alpha_power(value: int, power: int) -> int:
    """value * alpha**power in GF(32)."""
    if value == 0:
        return 0
    return _EXP[(_LOG[value] + power) % 31]


def check_character(body: str) -> str:
    """The check character for a body of alphabet characters (uppercase)."""
    total = 0
    for position, char in enumerate(body):
        total ^= _times_alpha_power(VALUES[char], position + 1)
    return ALPHABET[total]


def new_code() -> str:
    """A fresh random code in canonical form (11 characters, no separators)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return body + check_character(body)


def is_valid(code: str) -> bool:
    """Whether a canonical code has the right length, alphabet and check character."""
    if len(code) != CODE_LENGTH or any(char not in VALUES for char in code):
        return False
    return check_character(code[:-1]) == code[-1]


def normalize(raw: str) -> str:
    """What someone typed, as canonical characters: case, separators and look-alikes
    (O for 0, I and L for 1) do not matter. Characters outside the alphabet stay."""
    text = unicodedata.normalize("NFKC", raw).upper()
    return "".join(char for char in text if char not in SEPARATORS).translate(CONFUSABLE)


def display(code: str) -> str:
    """A canonical code grouped for reading and typing: 7K3F-9QXM-2AB."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


class CodeStatus(enum.Enum):
    VALID = "valid"  # well formed with a correct check character: look it up
    MISTYPED = "mistyped"  # looks like a code, but a character is wrong, missing or extra
    INVALID = "invalid"  # not a code at all


@dataclass(frozen=True)
class ParsedCode:
    status: CodeStatus
    code: str  # canonical characters (possibly wrong); empty when INVALID


def parse(raw: str) -> ParsedCode:
    """Tell a valid code from a mistyped one (bad check character, or one character too
    few or too many) and from anything else."""
    if not raw or len(raw) > MAX_INPUT_LENGTH:
        return ParsedCode(CodeStatus.INVALID, "")
    code = normalize(raw)
    if not code or any(char not in VALUES for char in code):
        return ParsedCode(CodeStatus.INVALID, "")
    if len(code) == CODE_LENGTH:
        status = CodeStatus.VALID if is_valid(code) else CodeStatus.MISTYPED
        return ParsedCode(status, code)
    if abs(len(code) - CODE_LENGTH) == 1:
        return ParsedCode(CodeStatus.MISTYPED, code)
    return ParsedCode(CodeStatus.INVALID, "")
