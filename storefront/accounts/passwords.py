"""Password hashing (argon2id) and the rules a new password must meet."""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from importlib.resources import files

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context

from storefront.errors import DomainError
from storefront.i18n import N_

MIN_LENGTH = 8
MAX_LENGTH = 1024  # long passphrases are welcome; this only stops absurd payloads

_DEFAULT_HASHER = PasswordHasher()  # argon2id, RFC 9106 low-memory profile
_AFFIXES = re.compile(r"^[\W\d_]+|[\W\d_]+$")


class WeakPassword(DomainError):
    """A new password the shop refuses."""


def make_hasher(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    """An argon2id hasher with this cost; create_app keeps one per app (see accounts.init_app).
    Stored hashes made with other parameters are rehashed at their next successful login."""
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)


def _hasher() -> PasswordHasher:
    if has_app_context():
        hasher = current_app.extensions.get("password_hasher")
        if isinstance(hasher, PasswordHasher):
            return hasher
    return _DEFAULT_HASHER


def hash_password(password: str) -> str:
    """An argon2id hash of `password` with the configured cost."""
    return _hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> tuple[bool, bool]:
    """Check `password` against a stored hash: (matches, needs a rehash)."""
    hasher = _hasher()
    try:
        hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False, False
    return True, hasher.check_needs_rehash(stored_hash)


_DUMMY_HASHES: dict[tuple[int, int, int], str] = {}


def spend_verify_time(password: str) -> None:
    """Verify against a throwaway hash so that an unknown email takes as long as a wrong
    password: response times must not tell whether an address has an account."""
    hasher = _hasher()
    cost = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    if cost not in _DUMMY_HASHES:
        _DUMMY_HASHES[cost] = hasher.hash("not-a-real-password")
    verify_password(_DUMMY_HASHES[cost], password)


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of very common passwords, lower-cased (storefront/data)."""
    text = files("storefront").joinpath("data/common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def check_new_password(password: str, *, email: str = "", full_name: str = "") -> None:
    """Raise WeakPassword unless `password` is long enough and not easily guessed:
    not a common password (ignoring case and digits or symbols around it), not one
    repeated character or a run like 12345678, not a date such as a birthday, not
    the account's email address or name."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(N_("Mật khẩu cần ít nhất %(n)s ký tự."), n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        raise WeakPassword(N_("Mật khẩu dài quá %(n)s ký tự."), n=MAX_LENGTH)
    lowered = password.strip().lower()
    squeezed = re.sub(r"\s+", "", lowered)
    core = _AFFIXES.sub("", squeezed)
    common = common_passwords()
    if lowered in common or squeezed in common or (core and core in common):
        raise WeakPassword(N_("Mật khẩu này quá phổ biến, dễ bị đoán. Hãy chọn mật khẩu khác."))
    if len(set(squeezed)) <= 2 or _is_run(squeezed) or _is_date(squeezed):
        raise WeakPassword(N_("Mật khẩu này quá dễ đoán. Hãy chọn mật khẩu khác."))
    context = {
        email.lower(),
        email.lower().partition("@")[0],
        re.sub(r"\s+", "", full_name.lower()),
    }
    if squeezed in context - {""} or core in context - {""}:
        raise WeakPassword(N_("Mật khẩu không được trùng với email hoặc tên của bạn."))


def _is_run(text: str) -> bool:
    """Every character one step from the previous, in one direction: abcdefgh, 98765432."""
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)}
    return steps in ({1}, {-1})


def _is_date(text: str) -> bool:
    """Eight digits that read as a date (ddmmyyyy, yyyymmdd or mmddyyyy): birthdays."""
    if len(text) != 8 or not text.isdigit():
        return False
    candidates = (
        (text[4:], text[2:4], text[:2]),
        (text[:4], text[4:6], text[6:]),
        (text[4:], text[:2], text[2:4]),
    )
    for year, month, day in candidates:
        try:
            if 1900 <= int(year) <= 2100:
                date(int(year), int(month), int(day))
                return True
        except ValueError:
            continue
    return False
