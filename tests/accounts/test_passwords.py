"""Password rules and argon2id hashing."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from storefront.accounts import passwords, services
from storefront.accounts.passwords import WeakPassword, check_new_password
from tests.accounts.helpers import make_user


def test_the_shipped_list_holds_the_usual_suspects():
    common = passwords.common_passwords()
    assert len(common) > 1000
    for password in ("123456789", "matkhau", "anhyeuem", "emyeuanh", "password", "qwerty123"):
        assert password in common


@pytest.mark.parametrize(
    "password",
    [
        "123456789",
        "MatKhau123",  # a listed word with digits around it
        "Anhyeuem@2025",
        "  iloveyou  ",
        "P@ssw0rd",
        "12345678",  # a run
        "abcdefgh",
        "98765432",
        "aaaaaaaaaa",  # one character
        "abababab",
        "15081990",  # a birthday, ddmmyyyy
        "19900815",
    ],
)
def test_easily_guessed_passwords_are_refused(password):
    with pytest.raises(WeakPassword):
        check_new_password(password)


def test_short_passwords_are_refused():
    with pytest.raises(WeakPassword, match="ít nhất"):
        check_new_password("Tâyb3c!")


def test_the_email_or_name_is_not_a_password():
    with pytest.raises(WeakPassword):
        check_new_password("honghanh2025", email="honghanh2025@example.vn")
    with pytest.raises(WeakPassword):
        check_new_password("Lò Văn Páo", full_name="Lò Văn Páo")


@pytest.mark.parametrize(
    "password",
    [
        "mật ong hoa ban Điện Biên",
        "correct horse battery staple",
        "Na-Son-lac-do-2025",
        "x" * 3 + "q7#Lm2v",
        "một câu rất dài " * 40,  # long passphrases are fine
    ],
)
def test_reasonable_passwords_are_accepted(password):
    check_new_password(password, email="someone@example.vn", full_name="Someone")


def test_absurdly_long_passwords_are_refused():
    with pytest.raises(WeakPassword):
        check_new_password("a1" * 600)


def test_hashes_are_argon2id_and_verify():
    hashed = passwords.hash_password("mật ong hoa ban")
    assert hashed.startswith("$argon2id$")
    assert passwords.verify_password(hashed, "mật ong hoa ban") == (True, False)
    assert passwords.verify_password(hashed, "mat ong hoa ban")[0] is False
    assert passwords.verify_password("not a hash", "anything") == (False, False)


def test_login_rehashes_a_hash_made_with_other_parameters(session):
    user = make_user(session, email="old@example.vn")
    old = PasswordHasher(time_cost=2, memory_cost=4096, parallelism=2).hash("mật ong hoa ban")
    user.password_hash = old
    session.commit()
    assert services.authenticate(session, "old@example.vn", "mật ong hoa ban") is user
    assert user.password_hash != old
    assert "m=4096,t=2,p=2" in old and "m=4096,t=2,p=2" not in user.password_hash
    assert passwords.verify_password(user.password_hash, "mật ong hoa ban") == (True, False)


def test_a_wrong_password_does_not_rehash(session):
    user = make_user(session, email="old@example.vn")
    old = PasswordHasher(time_cost=2, memory_cost=4096, parallelism=2).hash("mật ong hoa ban")
    user.password_hash = old
    session.commit()
    assert services.authenticate(session, "old@example.vn", "wrong password") is None
    assert user.password_hash == old
