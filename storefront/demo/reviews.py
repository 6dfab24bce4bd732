"""Demo reviews: a few buyers' delivered orders of demo products, their reviews in
Vietnamese, and some producers' replies, all through the reviews services.

Idempotent: each demo order is keyed by its checkout token ("demo-review-…"), and an
order already there is left as it is with its review, so loading twice adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from storefront import media
from storefront.accounts import services as accounts
from storefront.accounts.models import User
from storefront.catalog.models import Product, Variant
from storefront.extensions import Session
from storefront.orders.models import (
    Order,
    OrderLine,
    OrderPart,
    OrderStatusChange,
    PartStatus,
    PaymentStatus,
)
from storefront.orders.placement import new_order_number
from storefront.orders.stock import count_sold
from storefront.reviews import services as reviews
from storefront.text import slugify
from storefront.timeutil import utcnow

HA_NOI, HA_NOI_WARD = 1, 9877  # Xã An Khánh
SHIPPING_FEE = 30_000
# Demo buyers who write the reviews (password: the demo accounts' password).
REVIEWERS = (
    ("lan.nguyen@ocop.test", "Nguyễn Thị Lan"),
    ("minh.tran@ocop.test", "Trần Quang Minh"),
    ("hoa.le@ocop.test", "Lê Thu Hoa"),
    ("tuan.pham@ocop.test", "Phạm Anh Tuấn"),
)


@dataclass(frozen=True)
class DemoReview:
    product: str  # the demo product's name
    reviewer: int  # index into REVIEWERS
    stars: int
    body: str
    pack: int = 0  # index of the variant bought
    days_ago: int = 10
    reply: str = ""


DEMO_REVIEWS = (
    DemoReview(
        "Mật ong hoa Ban",
        0,
        5,
        "Mật ong thơm mùi hoa rừng, vị ngọt thanh chứ không gắt. Chai đóng rất chắc, "
        "bọc xốp cẩn thận nên ship ra Hà Nội không rỉ giọt nào. Sẽ mua thêm làm quà Tết.",
        pack=1,
        days_ago=21,
        reply="Cảm ơn chị Lan đã tin dùng mật ong hoa Ban của HTX! Chúc gia đình chị một "
        "mùa Tết ấm áp.",
    ),
    DemoReview(
        "Mật ong hoa Ban",
        1,
        4,
        "Mật đặc, màu vàng nhạt đúng như mô tả. Giao hàng mất 4 ngày, hơi lâu nhưng "
        "chấp nhận được vì hàng từ Điện Biên.",
        pack=0,
        days_ago=12,
    ),
    DemoReview(
        "Mật ong hoa Ban",
        2,
        5,
        "Mua lần thứ hai. Pha nước ấm với chanh buổi sáng rất dễ uống, con nhỏ cũng thích.",
        pack=1,
        days_ago=3,
    ),
    DemoReview(
        "Lạc đỏ Na Son",
        3,
        5,
        "Lạc hạt nhỏ, vỏ đỏ sẫm, rang lên giòn và béo hơn hẳn lạc ngoài chợ. Đóng túi hút "
        "chân không sạch sẽ.",
        pack=1,
        days_ago=15,
        reply="HTX cảm ơn anh Tuấn. Lạc vụ mới sẽ có vào tháng sau, mời anh ghé lại ạ!",
    ),
    DemoReview(
        "Lạc đỏ Na Son",
        0,
        4,
        "Lạc ngon, chỉ có vài hạt lép. Giá hợp lý cho hàng OCOP.",
        days_ago=6,
    ),
    DemoReview(
        "Yến sào Chư Sê",
        2,
        5,
        "Tổ yến sạch, ít lông, ngâm nở đều. Hộp có tem truy xuất nguồn gốc, quét mã ra đúng "
        "lô sản xuất nên rất yên tâm.",
        days_ago=30,
        reply="Cảm ơn chị Hoa đã quét tem kiểm tra! Chúc chị và gia đình luôn mạnh khoẻ.",
    ),
    DemoReview(
        "Thịt lợn khô Điện Biên Đông",
        1,
        3,
        "Thịt thơm mùi mắc khén, nhưng hơi mặn so với khẩu vị nhà mình. Gói hàng ổn.",
        days_ago=9,
    ),
    DemoReview(
        "Chè Shan tuyết cổ thụ Tủa Chùa",
        3,
        5,
        "Chè có lớp lông tơ trắng, nước vàng sánh, hậu ngọt lâu. Đúng chè Shan tuyết vùng cao.",
        pack=1,
        days_ago=18,
    ),
    DemoReview(
        "Bí xanh Tìa Dình",
        2,
        4,
        "Quả bí to, ruột đặc, nấu canh ngọt. Trừ một sao vì quả hơi trầy vỏ khi nhận.",
        days_ago=5,
        reply="Xin lỗi chị vì vết trầy khi vận chuyển, lần sau HTX sẽ bọc thêm lớp lưới.",
    ),
)


def _reviewers(session: Session, password: str) -> list[User]:
    users = []
    for email, name in REVIEWERS:
        user = accounts.find_user_by_email(session, email)
        if user is None:
            user = accounts.register_user(
                session, accounts.Registration(email=email, password=password, full_name=name)
            )
        users.append(user)
    return users


def _delivered_order(
    session: Session, token: str, user: User, variant: Variant, product: Product, days_ago: int
) -> OrderPart:
    """A delivered, cash-paid order of one pack, as placed `days_ago` days ago."""
    placed = utcnow() - timedelta(days=days_ago + 4)
    order = Order(
        number=new_order_number(),
        checkout_token=token,
        user_id=user.id,
        contact_name=user.full_name,
        phone="0912345678",
        email=user.email,
        province_code=HA_NOI,
        ward_code=HA_NOI_WARD,
        street="12 Phố Huế",
        payment_method="cod",
        payment_status=PaymentStatus.ON_DELIVERY,
        items_total_vnd=variant.price_vnd,
        shipping_total_vnd=SHIPPING_FEE,
        total_vnd=variant.price_vnd + SHIPPING_FEE,
        placed_at=placed,
    )
    session.add(order)
    session.flush()
    part = OrderPart(
        order_id=order.id,
        producer_id=product.producer_id,
        producer_name=product.producer.name,
        origin_province_code=product.producer.province_code,
        status=PartStatus.DELIVERED,
        items_total_vnd=variant.price_vnd,
        shipping_fee_vnd=SHIPPING_FEE,
        weight_grams=variant.weight_grams,
    )
    session.add(part)
    session.flush()
    session.add(
        OrderLine(
            part_id=part.id,
            variant_id=variant.id,
            product_id=product.id,
            product_name=product.name,
            variant_label=variant.label,
            sku=variant.sku,
            unit_price_vnd=variant.price_vnd,
            unit_weight_grams=variant.weight_grams,
            quantity=1,
        )
    )
    session.add_all(
        OrderStatusChange(
            part_id=part.id,
            from_status=before,
            to_status=after,
            actor="system",
            note="demo",
            changed_at=placed + timedelta(days=n),
        )
        for n, (before, after) in enumerate(
            [
                (None, PartStatus.PLACED),
                (PartStatus.PLACED, PartStatus.CONFIRMED),
                (PartStatus.CONFIRMED, PartStatus.SHIPPED),
                (PartStatus.SHIPPED, PartStatus.DELIVERED),
            ]
        )
    )
    session.flush()
    count_sold(session, {product.id: 1})
    return part


def load_demo_reviews(session: Session, media_root: media.Store, password: str) -> int:
    """Add the demo reviews not there yet (their products must exist); returns how many
    were added. Flushes only; the caller commits."""
    users = _reviewers(session, password)
    tokens = {f"demo-review-{slugify(r.product)}-{r.reviewer}": r for r in DEMO_REVIEWS}
    done = set(
        session.execute(
            select(Order.checkout_token).where(Order.checkout_token.in_(list(tokens)))
        ).scalars()
    )
    products = {
        p.slug: p
        for p in session.execute(
            select(Product)
            .where(Product.slug.in_({slugify(r.product) for r in DEMO_REVIEWS}))
            .options(selectinload(Product.variants), selectinload(Product.producer))
        ).scalars()
    }
    added = 0
    for token, demo in tokens.items():
        product = products.get(slugify(demo.product))
        if token in done or product is None or not product.variants:
            continue
        user = users[demo.reviewer]
        variant = product.variants[min(demo.pack, len(product.variants) - 1)]
        part = _delivered_order(session, token, user, variant, product, demo.days_ago)
        reviewable = reviews.reviewable_for_buyer(session, user.id, part.id, product.id)
        review = reviews.write_review(
            session,
            media_root,
            reviewable,
            reviews.ReviewDraft(stars=demo.stars, body=demo.body),
            user.full_name,
            user_id=user.id,
        )
        review.created_at = utcnow() - timedelta(days=demo.days_ago)
        if demo.reply:
            reviews.reply_to_review(session, review.id, product.producer_id, None, demo.reply)
        added += 1
    session.flush()
    return added
