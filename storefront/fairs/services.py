"""Running fairs: create and edit them, exhibitors and booths, featured products with fair
prices, and the home page's curated products. Only flushes; views commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import joinedload, selectinload

from storefront.accounts.models import Role, User
from storefront.catalog.models import Product, Variant
from storefront.errors import DomainError, NotFound
from storefront.extensions import Session
from storefront.fairs.models import (
    BoothProduct,
    ExhibitorStatus,
    Fair,
    FairExhibitor,
    FairFeature,
    FairState,
    HomeFeature,
)
from storefront.i18n import N_
from storefront.media import Store, store_photo
from storefront.money import vnd
from storefront.places import get_province
from storefront.text import slugify
from storefront.timeutil import VIETNAM_TZ

MAX_BOOTH_PRODUCTS = 24
MAX_FEATURES = 48


class FairError(DomainError):
    """A fair change the shop refuses; `field` names the form field at fault, if any."""

    def __init__(self, message: str, field: str | None = None, **params: object) -> None:
        super().__init__(message, **params)
        self.field = field


@dataclass(frozen=True)
class FairData:
    """A fair as the organiser enters it; `opens_local`/`closes_local` are naive Vietnam
    wall-clock times."""

    name: str
    description: str
    venue: str
    province_code: int
    starts_on: date
    ends_on: date
    opens_local: datetime
    closes_local: datetime


def vietnam_to_utc(local: datetime) -> datetime:
    """A naive Asia/Ho_Chi_Minh wall-clock time as an aware UTC datetime."""
    return local.replace(tzinfo=VIETNAM_TZ).astimezone(UTC)


def can_manage(user: User, fair: Fair) -> bool:
    """Admins manage every fair; organisers the fairs they organise."""
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.ORGANISER and fair.organiser_id == user.id


def _checked(data: FairData) -> FairData:
    name = " ".join(data.name.split())
    if not name or len(name) > 200:
        raise FairError(N_("Vui lòng nhập tên hội chợ (tối đa 200 ký tự)."), field="name")
    venue = " ".join(data.venue.split())
    if not venue or len(venue) > 300:
        raise FairError(N_("Vui lòng nhập địa điểm tổ chức."), field="venue")
    if get_province(data.province_code) is None:
        raise FairError(N_("Vui lòng chọn tỉnh, thành phố."), field="province_code")
    if data.ends_on < data.starts_on:
        raise FairError(N_("Ngày kết thúc phải sau ngày bắt đầu."), field="ends_on")
    if data.closes_local <= data.opens_local:
        raise FairError(N_("Giờ đóng cửa trực tuyến phải sau giờ mở cửa."), field="closes_local")
    if len(data.description) > 10_000:
        raise FairError(N_("Mô tả tối đa 10.000 ký tự."), field="description")
    return FairData(
        name,
        data.description.strip(),
        venue,
        data.province_code,
        data.starts_on,
        data.ends_on,
        data.opens_local,
        data.closes_local,
    )


def _unique_slug(session: Session, name: str) -> str:
    base = slugify(name)[:100] or "hoi-cho"
    taken = set(
        session.execute(
            select(Fair.slug).where((Fair.slug == base) | Fair.slug.startswith(base + "-"))
        ).scalars()
    )
    slug, suffix = base, 2
    while slug in taken:
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def create_fair(session: Session, organiser: User, data: FairData) -> Fair:
    """A new draft fair run by `organiser`; its slug never changes afterwards."""
    data = _checked(data)
    fair = Fair(
        slug=_unique_slug(session, data.name),
        organiser_id=organiser.id,
        state=FairState.DRAFT,
    )
    _apply(fair, data)
    session.add(fair)
    session.flush()
    return fair


def _apply(fair: Fair, data: FairData) -> None:
    fair.name = data.name
    fair.description = data.description
    fair.venue = data.venue
    fair.province_code = data.province_code
    fair.starts_on = data.starts_on
    fair.ends_on = data.ends_on
    fair.opens_at = vietnam_to_utc(data.opens_local)
    fair.closes_at = vietnam_to_utc(data.closes_local)


def update_fair(session: Session, fair: Fair, data: FairData) -> Fair:
    """Change a fair's details and schedule."""
    _apply(fair, _checked(data))
    session.flush()
    return fair


def set_state(session: Session, fair: Fair, state: FairState | str) -> Fair:
    """Publish, close or return a fair to draft."""
    try:
        fair.state = FairState(state)
    except ValueError as exc:
        raise FairError(N_("Trạng thái không hợp lệ.")) from exc
    session.flush()
    return fair


def set_banner(session: Session, fair: Fair, media_root: Store, data: bytes) -> Fair:
    """Check, re-encode and store an uploaded banner image (raises UploadRefused)."""
    stored = store_photo(media_root, data, folder="fairs")
    fair.banner_path = stored.path
    session.flush()
    return fair


def get_fair(session: Session, fair_id: int) -> Fair:
    fair = session.get(Fair, fair_id)
    if fair is None:
        raise NotFound(N_("Không tìm thấy hội chợ."))
    return fair


def managed_fairs(session: Session, user: User) -> list[Fair]:
    """The fairs `user` may manage, newest opening first."""
    query = select(Fair).order_by(Fair.opens_at.desc(), Fair.id.desc())
    if user.role != Role.ADMIN:
        query = query.where(Fair.organiser_id == user.id)
    return list(session.execute(query).scalars())


# Exhibitors and booths ------------------------------------------------------------------


def _exhibitor(session: Session, fair_id: int, producer_id: int) -> FairExhibitor | None:
    return session.execute(
        select(FairExhibitor).where(
            FairExhibitor.fair_id == fair_id, FairExhibitor.producer_id == producer_id
        )
    ).scalar_one_or_none()


def invite_exhibitor(session: Session, fair: Fair, producer_id: int) -> FairExhibitor:
    """Invite a producer; a producer that already asked to exhibit is accepted."""
    from storefront.catalog.models import Producer

    producer = session.get(Producer, producer_id)
    if producer is None or not producer.is_active:
        raise FairError(N_("Không tìm thấy chủ thể này."), field="producer_id")
    existing = _exhibitor(session, fair.id, producer_id)
    if existing is not None:
        if existing.status == ExhibitorStatus.REQUESTED:
            existing.status = ExhibitorStatus.ACCEPTED
            session.flush()
        return existing
    exhibitor = FairExhibitor(
        fair_id=fair.id, producer_id=producer_id, status=ExhibitorStatus.INVITED
    )
    session.add(exhibitor)
    session.flush()
    return exhibitor


def request_to_exhibit(session: Session, fair: Fair, producer_id: int) -> FairExhibitor:
    """A producer asks for a booth at a published fair; an invited producer is accepted."""
    if fair.state != FairState.PUBLISHED:
        raise FairError(N_("Hội chợ này không nhận đăng ký gian hàng."))
    existing = _exhibitor(session, fair.id, producer_id)
    if existing is not None:
        if existing.status == ExhibitorStatus.INVITED:
            existing.status = ExhibitorStatus.ACCEPTED
            session.flush()
        return existing
    exhibitor = FairExhibitor(
        fair_id=fair.id, producer_id=producer_id, status=ExhibitorStatus.REQUESTED
    )
    session.add(exhibitor)
    session.flush()
    return exhibitor


def accept_request(session: Session, exhibitor: FairExhibitor) -> FairExhibitor:
    """The organiser accepts a producer's request to exhibit."""
    if exhibitor.status != ExhibitorStatus.REQUESTED:
        raise FairError(N_("Chỉ duyệt được chủ thể đang chờ duyệt."))
    exhibitor.status = ExhibitorStatus.ACCEPTED
    session.flush()
    return exhibitor


def accept_invitation(session: Session, exhibitor: FairExhibitor) -> FairExhibitor:
    """The producer accepts the organiser's invitation, which opens its booth."""
    if exhibitor.status != ExhibitorStatus.INVITED:
        raise FairError(N_("Không có lời mời nào đang chờ."))
    exhibitor.status = ExhibitorStatus.ACCEPTED
    session.flush()
    return exhibitor


def remove_exhibitor(session: Session, exhibitor: FairExhibitor) -> None:
    """Take a producer off the fair, with its booth and its featured products."""
    variant_ids = (
        select(Variant.id).join(Product).where(Product.producer_id == exhibitor.producer_id)
    )
    for feature in session.execute(
        select(FairFeature).where(
            FairFeature.fair_id == exhibitor.fair_id, FairFeature.variant_id.in_(variant_ids)
        )
    ).scalars():
        session.delete(feature)
    session.execute(delete(BoothProduct).where(BoothProduct.exhibitor_id == exhibitor.id))
    session.delete(exhibitor)
    session.flush()


def get_exhibitor(session: Session, exhibitor_id: int) -> FairExhibitor:
    exhibitor = session.execute(
        select(FairExhibitor)
        .options(
            joinedload(FairExhibitor.fair),
            joinedload(FairExhibitor.producer),
            selectinload(FairExhibitor.booth_products),
        )
        .where(FairExhibitor.id == exhibitor_id)
    ).scalar_one_or_none()
    if exhibitor is None:
        raise NotFound(N_("Không tìm thấy gian hàng."))
    return exhibitor


def update_booth(
    session: Session, exhibitor: FairExhibitor, description: str, product_ids: Sequence[int]
) -> FairExhibitor:
    """Set the booth's description and the exhibitor's own products it shows, in order."""
    if exhibitor.status != ExhibitorStatus.ACCEPTED:
        raise FairError(N_("Gian hàng chỉ mở khi chủ thể đã tham gia hội chợ."))
    if len(description) > 5_000:
        raise FairError(N_("Mô tả tối đa 5.000 ký tự."), field="description")
    wanted = list(dict.fromkeys(product_ids))
    if len(wanted) > MAX_BOOTH_PRODUCTS:
        raise FairError(N_("Một gian hàng có tối đa %(n)s sản phẩm."), n=MAX_BOOTH_PRODUCTS)
    own = set(
        session.execute(
            select(Product.id).where(
                Product.producer_id == exhibitor.producer_id, Product.id.in_(wanted)
            )
        ).scalars()
    )
    if own != set(wanted):
        raise FairError(N_("Chỉ trưng bày được sản phẩm của chủ thể mình."), field="products")
    exhibitor.booth_description = description.strip()
    session.execute(delete(BoothProduct).where(BoothProduct.exhibitor_id == exhibitor.id))
    session.add_all(
        BoothProduct(exhibitor_id=exhibitor.id, product_id=pid, position=i)
        for i, pid in enumerate(wanted)
    )
    session.flush()
    session.expire(exhibitor, ["booth_products"])
    return exhibitor


# Featured products -----------------------------------------------------------------------


def feature_variant(
    session: Session, fair: Fair, variant_id: int, position: int, fair_price: int | None
) -> FairFeature:
    """Feature an accepted exhibitor's pack at `position`, with an optional fair price that
    must be below its normal price. Featuring the same pack again updates it."""
    variant = session.execute(
        select(Variant).options(joinedload(Variant.product)).where(Variant.id == variant_id)
    ).scalar_one_or_none()
    if variant is None or not variant.is_active:
        raise FairError(N_("Không tìm thấy sản phẩm này."), field="variant_id")
    exhibitor = _exhibitor(session, fair.id, variant.product.producer_id)
    if exhibitor is None or exhibitor.status != ExhibitorStatus.ACCEPTED:
        raise FairError(
            N_("Chỉ chọn được sản phẩm của chủ thể đã tham gia hội chợ."), field="variant_id"
        )
    if fair_price is not None and not 0 < fair_price < variant.price_vnd:
        raise FairError(
            N_("Giá hội chợ phải lớn hơn 0 và thấp hơn giá thường (%(price)s)."),
            field="fair_price",
            price=vnd(variant.price_vnd),
        )
    if not 0 <= position <= 9999:
        raise FairError(N_("Thứ tự phải từ 0 đến 9999."), field="position")
    feature = session.execute(
        select(FairFeature).where(
            FairFeature.fair_id == fair.id, FairFeature.variant_id == variant_id
        )
    ).scalar_one_or_none()
    if feature is None:
        count = session.execute(
            select(func.count()).where(FairFeature.fair_id == fair.id)
        ).scalar_one()
        if count >= MAX_FEATURES:
            raise FairError(N_("Mỗi hội chợ có tối đa %(n)s sản phẩm nổi bật."), n=MAX_FEATURES)
        feature = FairFeature(fair_id=fair.id, variant_id=variant_id)
        session.add(feature)
    feature.position = position
    feature.fair_price_vnd = fair_price
    session.flush()
    return feature


def remove_feature(session: Session, fair: Fair, feature_id: int) -> FairFeature:
    feature = session.get(FairFeature, feature_id)
    if feature is None or feature.fair_id != fair.id:
        raise NotFound(N_("Không tìm thấy sản phẩm nổi bật."))
    session.delete(feature)
    session.flush()
    return feature


def featurable_variants(session: Session, fair: Fair) -> list[Variant]:
    """Active packs of the accepted exhibitors' published products, for the organiser's form."""
    return list(
        session.execute(
            select(Variant)
            .join(Product)
            .join(FairExhibitor, FairExhibitor.producer_id == Product.producer_id)
            .options(joinedload(Variant.product).joinedload(Product.producer))
            .where(
                FairExhibitor.fair_id == fair.id,
                FairExhibitor.status == ExhibitorStatus.ACCEPTED,
                Variant.is_active.is_(True),
                Product.is_published.is_(True),
            )
            .order_by(Product.name, Variant.position, Variant.id)
        ).scalars()
    )


# Home page features ----------------------------------------------------------------------


def add_home_feature(
    session: Session, user: User, product_id: int, position: int, starts_on: date, ends_on: date
) -> HomeFeature:
    """Put a published product on the home page between two dates (inclusive)."""
    product = session.get(Product, product_id)
    if product is None or not product.is_published:
        raise FairError(N_("Không tìm thấy sản phẩm này."), field="product_id")
    if ends_on < starts_on:
        raise FairError(N_("Ngày kết thúc phải sau ngày bắt đầu."), field="ends_on")
    if not 0 <= position <= 9999:
        raise FairError(N_("Thứ tự phải từ 0 đến 9999."), field="position")
    feature = HomeFeature(
        product_id=product_id,
        position=position,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by_id=user.id,
    )
    session.add(feature)
    session.flush()
    return feature


def remove_home_feature(session: Session, feature_id: int) -> HomeFeature:
    feature = session.get(HomeFeature, feature_id)
    if feature is None:
        raise NotFound(N_("Không tìm thấy sản phẩm nổi bật."))
    session.delete(feature)
    session.flush()
    return feature


def home_feature_list(session: Session) -> list[HomeFeature]:
    """Every home feature, for the organisers' page: current and future first."""
    return list(
        session.execute(
            select(HomeFeature)
            .options(joinedload(HomeFeature.product))
            .order_by(HomeFeature.ends_on.desc(), HomeFeature.position, HomeFeature.id)
        ).scalars()
    )
