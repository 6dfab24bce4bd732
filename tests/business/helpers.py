"""Business buyers for tests: an account with a business profile, made through the service."""

from __future__ import annotations

from sqlalchemy.orm import Session

from storefront.accounts.models import User
from storefront.business import services
from storefront.business.models import BusinessProfile
from tests.accounts.helpers import make_user
from tests.factories import DIEN_BIEN, DIEN_BIEN_WARD

VALID_TAX_CODE = "0100233488"  # python-stdnum's example, check digit right


def profile_data(**changes: object) -> services.BusinessProfileData:
    values: dict[str, object] = {
        "name": "Công ty TNHH Đặc sản Tây Bắc",
        "tax_code": VALID_TAX_CODE,
        "province_code": DIEN_BIEN,
        "ward_code": DIEN_BIEN_WARD,
        "address_line": "Số 12, đường Võ Nguyên Giáp",
        "contact_name": "Nguyễn Văn Hùng",
        "contact_phone": "0912 345 678",
        "buys": "Mật ong, gạo nếp, thịt lợn khô",
    }
    values.update(changes)
    return services.BusinessProfileData(**values)  # type: ignore[arg-type]


def make_business_buyer(session: Session, **changes: object) -> tuple[User, BusinessProfile]:
    """A buyer account holding a business profile."""
    email = changes.pop("email", None)
    user = make_user(session, email=email)  # type: ignore[arg-type]
    profile = services.save_business_profile(session, user.id, profile_data(**changes))
    return user, profile
