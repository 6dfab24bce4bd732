"""Account operations: register, authenticate, passwords, profile, roles. Callers commit."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select

from storefront.accounts import passwords
from storefront.accounts.models import OfficerProvince, Role, User, new_session_token
from storefront.email_policy import InvalidEmail
from storefront.email_policy import normalize_email as policy_email
from storefront.errors import DomainError
from storefront.extensions import Session
from storefront.i18n import N_
from storefront.places import get_province, normalize_vn_phone
from storefront.timeutil import utcnow

LANGUAGES = ("vi", "en")


class AccountError(DomainError):
    """An account change the shop refuses."""


class EmailTaken(AccountError):
    """The address already has an account (callers must not show this to visitors)."""


@dataclass(frozen=True)
class Registration:
    email: str
    password: str
    full_name: str = ""
    language: str = "vi"


@dataclass(frozen=True)
class Profile:
    full_name: str
    phone: str
    language: str


def normalize_email(raw: str) -> str:
    """The shop's one spelling of an address (storefront.email_policy). Raises
    AccountError."""
    try:
        return policy_email(raw)
    except InvalidEmail as exc:
        raise AccountError(exc.message) from exc


def find_user_by_email(session: Session, email: str) -> User | None:
    """The account with this address, or None (also None for an invalid address)."""
    try:
        normalized = normalize_email(email)
    except AccountError:
        return None
    return session.execute(select(User).where(User.email == normalized)).scalar_one_or_none()


def register_user(session: Session, data: Registration, role: Role = Role.BUYER) -> User:
    """Open an account. Raises EmailTaken if the address has one, WeakPassword or
    AccountError for bad input."""
    email = normalize_email(data.email)
    passwords.check_new_password(data.password, email=email, full_name=data.full_name)
    if session.execute(select(User.id).where(User.email == email)).first():
        raise EmailTaken(N_("Email này đã có tài khoản."))
    user = User(
        email=email,
        password_hash=passwords.hash_password(data.password),
        full_name=data.full_name.strip()[:120],
        role=Role(role),
        language=data.language if data.language in LANGUAGES else "vi",
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active account these credentials open, or None. A hash made with older argon2
    parameters is replaced by one with the current parameters."""
    user = find_user_by_email(session, email)
    if user is None or not password:
        passwords.spend_verify_time(password or "-")
        return None
    ok, needs_rehash = passwords.verify_password(user.password_hash, password)
    if not ok or not user.is_active:
        return None
    if needs_rehash:
        user.password_hash = passwords.hash_password(password)
    user.last_login_at = utcnow()
    session.flush()
    return user


def set_password(session: Session, user: User, new_password: str) -> None:
    """Give the account a new password and sign it out everywhere else."""
    passwords.check_new_password(new_password, email=user.email, full_name=user.full_name)
    user.password_hash = passwords.hash_password(new_password)
    user.session_token = new_session_token()
    session.flush()


def end_sessions(session: Session, user: User) -> None:
    """Sign the account out on every device: its session token, which every session and
    remember-me cookie carries (Flask-Login's alternative id), is replaced, so no copy of
    an old cookie signs in again."""
    user.session_token = new_session_token()
    session.flush()


def change_password(session: Session, user: User, current: str, new_password: str) -> None:
    """Change the password after checking the current one."""
    if not passwords.verify_password(user.password_hash, current)[0]:
        raise AccountError(N_("Mật khẩu hiện tại không đúng."))
    set_password(session, user, new_password)


def update_profile(session: Session, user: User, data: Profile) -> None:
    """Change name, phone (Vietnamese format, optional) and preferred language."""
    phone = ""
    if data.phone.strip():
        phone = normalize_vn_phone(data.phone) or ""
        if not phone:
            raise AccountError(N_("Số điện thoại không hợp lệ."))
    if data.language not in LANGUAGES:
        raise AccountError(N_("Ngôn ngữ không hợp lệ."))
    user.full_name = data.full_name.strip()[:120]
    user.phone = phone
    user.language = data.language
    session.flush()


def set_role(
    session: Session,
    user: User,
    role: Role | str,
    acting: User | None = None,
    provinces: list[int] | None = None,
) -> None:
    """Grant `role` to `user` (admins grant organiser and admin). An admin cannot take
    the admin role away from themselves, so the shop never locks its last door. A province
    officer needs one or more `provinces` (codes): the dashboards it may read; any other
    role leaves no provinces behind."""
    try:
        new_role = Role(role)
    except ValueError as exc:
        raise AccountError(N_("Vai trò không hợp lệ.")) from exc
    if acting is not None and acting.id == user.id and new_role != Role.ADMIN:
        raise AccountError(N_("Bạn không thể tự bỏ quyền quản trị của mình."))
    codes = sorted(set(provinces or []))
    if new_role == Role.OFFICER:
        if not codes:
            raise AccountError(N_("Cán bộ OCOP tỉnh cần ít nhất một tỉnh/thành phố."))
        if any(get_province(code) is None for code in codes):
            raise AccountError(N_("Tỉnh/thành phố không hợp lệ."))
    else:
        codes = []
    if codes != officer_provinces(session, user.id):
        session.execute(delete(OfficerProvince).where(OfficerProvince.user_id == user.id))
        session.add_all(OfficerProvince(user_id=user.id, province_code=code) for code in codes)
    user.role = new_role
    session.flush()


def officer_provinces(session: Session, user_id: int) -> list[int]:
    """Codes of the provinces whose dashboard this account may read as an officer."""
    return list(
        session.execute(
            select(OfficerProvince.province_code)
            .where(OfficerProvince.user_id == user_id)
            .order_by(OfficerProvince.province_code)
        ).scalars()
    )


def role_snapshot(session: Session, user: User) -> dict[str, object]:
    """What the audit log keeps of an account's role: the role, and an officer's provinces."""
    snapshot: dict[str, object] = {"role": user.role}
    if codes := officer_provinces(session, user.id):
        snapshot["provinces"] = codes
    return snapshot


def officer_provinces_of(session: Session, user_ids: list[int]) -> dict[int, list[int]]:
    """{user id: province codes} for many accounts in one query (the admin's user list)."""
    found: dict[int, list[int]] = {user_id: [] for user_id in user_ids}
    if not user_ids:
        return found
    rows = session.execute(
        select(OfficerProvince.user_id, OfficerProvince.province_code)
        .where(OfficerProvince.user_id.in_(user_ids))
        .order_by(OfficerProvince.user_id, OfficerProvince.province_code)
    )
    for user_id, code in rows:
        found[user_id].append(code)
    return found


def set_active(session: Session, user: User, active: bool, acting: User | None = None) -> None:
    """Lock or unlock an account; a locked account cannot sign in and is signed out."""
    if acting is not None and acting.id == user.id and not active:
        raise AccountError(N_("Bạn không thể tự khóa tài khoản của mình."))
    user.is_active = active
    if not active:
        user.session_token = new_session_token()
    session.flush()


def search_users(session: Session, query: str = "", limit: int = 50) -> list[User]:
    """Accounts whose email or name contains `query`, newest first."""
    statement = select(User).order_by(User.created_at.desc(), User.id.desc()).limit(limit)
    text = query.strip().lower()
    if text:
        pattern = "%" + text.replace("\\", "").replace("%", "").replace("_", "") + "%"
        statement = statement.where(
            User.email.like(pattern) | func.lower(User.full_name).like(pattern)
        )
    return list(session.execute(statement).scalars())
