"""Cart operations: add, change, remove, summarise by producer, merge at login.

Prices and stock are always read when the cart is shown, prices through
storefront.pricing (the same function checkout and placement use); nothing about a
price is stored in the cart. Callers commit; these only flush.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import joinedload, selectinload

from storefront.cart.models import Cart, CartLine
from storefront.catalog.models import Producer, Product, ProductPhoto, Variant
from storefront.errors import DomainError
from storefront.extensions import Session
from storefront.i18n import N_
from storefront.pricing import PackPrice, PriceContext, price_variants
from storefront.timeutil import utcnow

MAX_LINE_QUANTITY = 999


class CartError(DomainError):
    """A cart change the shop refuses."""


@dataclass(frozen=True)
class CartChange:
    """What happened to a line: the quantity now in the cart and whether it was cut
    down to the stock (or to the per-line maximum)."""

    variant_id: int
    product_name: str
    quantity: int
    requested: int
    available: int

    @property
    def capped(self) -> bool:
        return self.quantity < self.requested


@dataclass(frozen=True)
class CartItem:
    line_id: int
    variant: Variant
    product: Product
    quantity: int
    price: PackPrice  # what the pack costs now (storefront.pricing)

    @property
    def unit_price_vnd(self) -> int:
        return self.price.unit_vnd

    @property
    def photo(self) -> ProductPhoto | None:
        """The product's first photo: the card picture."""
        return self.product.photos[0] if self.product.photos else None

    @property
    def line_total_vnd(self) -> int:
        return self.unit_price_vnd * self.quantity

    @property
    def weight_grams(self) -> int:
        return self.variant.weight_grams * self.quantity

    @property
    def purchasable(self) -> bool:
        return is_purchasable(self.variant, self.product, self.product.producer)

    @property
    def short_by(self) -> int:
        """How many more than the stock the line asks for (0 when it fits)."""
        return max(0, self.quantity - self.variant.stock)


@dataclass
class ProducerGroup:
    """The cart's lines from one producer: one parcel, one shipping fee."""

    producer: Producer
    items: list[CartItem] = field(default_factory=list)

    @property
    def items_total_vnd(self) -> int:
        return sum(item.line_total_vnd for item in self.items)

    @property
    def weight_grams(self) -> int:
        return sum(item.weight_grams for item in self.items)


@dataclass
class CartSummary:
    cart: Cart | None
    groups: list[ProducerGroup]

    @property
    def items(self) -> list[CartItem]:
        return [item for group in self.groups for item in group.items]

    @property
    def is_empty(self) -> bool:
        return not self.groups

    @property
    def item_count(self) -> int:
        return sum(item.quantity for item in self.items)

    @property
    def items_total_vnd(self) -> int:
        return sum(group.items_total_vnd for group in self.groups)

    @property
    def problems(self) -> list[CartItem]:
        """Lines that cannot be ordered as they are: no longer sold, or more than the stock."""
        return [item for item in self.items if not item.purchasable or item.short_by]


def is_purchasable(variant: Variant, product: Product, producer: Producer) -> bool:
    """Whether a buyer may order this variant at all (stock aside)."""
    return variant.is_active and product.is_published and producer.is_active


def find_cart(
    session: Session, *, user_id: int | None = None, token: str | None = None
) -> Cart | None:
    """The signed-in buyer's cart, or the guest cart holding this token, if any."""
    if user_id is not None:
        query = select(Cart).where(Cart.user_id == user_id)
    elif token:
        query = select(Cart).where(Cart.token == token, Cart.user_id.is_(None))
    else:
        return None
    return session.execute(query).scalar_one_or_none()


def get_or_create_cart(
    session: Session, *, user_id: int | None = None, token: str | None = None
) -> Cart:
    """The buyer's cart, made on first use (a guest's new cart gets a fresh token)."""
    cart = find_cart(session, user_id=user_id, token=token)
    if cart is None:
        cart = Cart(user_id=user_id)
        session.add(cart)
        session.flush()
    return cart


def item_count(session: Session, *, user_id: int | None = None, token: str | None = None) -> int:
    """The number of items in the cart (for the header), in one query."""
    query = select(func.coalesce(func.sum(CartLine.quantity), 0)).join(Cart)
    if user_id is not None:
        query = query.where(Cart.user_id == user_id)
    elif token:
        query = query.where(Cart.token == token, Cart.user_id.is_(None))
    else:
        return 0
    return int(session.execute(query).scalar_one())


def _load_variant(session: Session, variant_id: int) -> Variant:
    variant = session.execute(
        select(Variant)
        .options(joinedload(Variant.product).joinedload(Product.producer))
        .where(Variant.id == variant_id)
    ).scalar_one_or_none()
    if variant is None or not is_purchasable(variant, variant.product, variant.product.producer):
        raise CartError(N_("Sản phẩm này không còn được bán."))
    return variant


def _line(session: Session, cart: Cart, variant_id: int) -> CartLine | None:
    return session.execute(
        select(CartLine).where(CartLine.cart_id == cart.id, CartLine.variant_id == variant_id)
    ).scalar_one_or_none()


def _check_quantity(quantity: int, minimum: int) -> None:
    if not isinstance(quantity, int) or quantity < minimum:
        raise CartError(N_("Số lượng phải là số nguyên từ 1 trở lên."))


def add_item(session: Session, cart: Cart, variant_id: int, quantity: int = 1) -> CartChange:
    """Put `quantity` more of a variant in the cart, capped by its stock and by the
    per-line maximum. Refuses variants no longer sold or out of stock."""
    _check_quantity(quantity, 1)
    variant = _load_variant(session, variant_id)
    if variant.stock <= 0:
        raise CartError(
            N_("%(name)s (%(label)s) đã hết hàng."),
            name=variant.product.name,
            label=variant.label,
        )
    line = _line(session, cart, variant_id)
    requested = (line.quantity if line else 0) + min(quantity, 10 * MAX_LINE_QUANTITY)
    new_quantity = min(requested, variant.stock, MAX_LINE_QUANTITY)
    if line is None:
        line = CartLine(cart_id=cart.id, variant_id=variant_id, quantity=new_quantity)
        session.add(line)
    else:
        line.quantity = new_quantity
    _touch(cart)
    session.flush()
    return CartChange(variant_id, variant.product.name, new_quantity, requested, variant.stock)


def set_quantity(session: Session, cart: Cart, variant_id: int, quantity: int) -> CartChange:
    """Change a line to `quantity` (0 removes it), capped by the stock. Only lines already
    in this cart can be changed."""
    _check_quantity(quantity, 0)
    line = _line(session, cart, variant_id)
    if line is None:
        raise CartError(N_("Sản phẩm này không có trong giỏ hàng."))
    if quantity == 0:
        session.delete(line)
        _touch(cart)
        session.flush()
        return CartChange(variant_id, "", 0, 0, 0)
    variant = _load_variant(session, variant_id)
    requested = min(quantity, 10 * MAX_LINE_QUANTITY)
    new_quantity = min(requested, variant.stock, MAX_LINE_QUANTITY)
    if new_quantity <= 0:
        session.delete(line)
    else:
        line.quantity = new_quantity
    _touch(cart)
    session.flush()
    return CartChange(variant_id, variant.product.name, new_quantity, requested, variant.stock)


def remove_item(session: Session, cart: Cart, variant_id: int) -> None:
    """Take a variant out of the cart (nothing happens if it is not there)."""
    session.execute(
        delete(CartLine).where(CartLine.cart_id == cart.id, CartLine.variant_id == variant_id)
    )
    _touch(cart)
    session.flush()


def clear_cart(session: Session, cart: Cart) -> None:
    """Empty the cart and forget the checkout draft (after an order is placed from it)."""
    session.execute(delete(CartLine).where(CartLine.cart_id == cart.id))
    cart.checkout_draft = None
    session.flush()


def keep_checkout_draft(session: Session, cart: Cart, draft: dict[str, Any] | None) -> None:
    """Keep what the buyer typed at checkout on the cart (checkout decides its shape)."""
    cart.checkout_draft = draft
    session.flush()


def checkout_province_code(cart: Cart | None) -> int | None:
    """The province the buyer last chose at checkout, as typed (checkout/draft.py keeps
    it under values.province_code); the caller checks it is a province."""
    draft = cart.checkout_draft if cart is not None else None
    values = draft.get("values") if isinstance(draft, dict) else None
    code = values.get("province_code") if isinstance(values, dict) else None
    return int(code) if isinstance(code, str) and code.isdigit() and len(code) < 6 else None


def summarize(session: Session, cart: Cart | None, pricing: PriceContext) -> CartSummary:
    """The cart's lines with their price now (storefront.pricing, given the buyer's
    moment and channel; the cart adds the quantities) and stock, grouped by producer.
    A fixed number of queries: lines with packs, products and producers; photos; one
    per pricing source."""
    if cart is None:
        return CartSummary(cart=None, groups=[])
    lines = list(
        session.execute(
            select(CartLine)
            .options(
                joinedload(CartLine.variant)
                .joinedload(Variant.product)
                .options(joinedload(Product.producer), selectinload(Product.photos))
            )
            .where(CartLine.cart_id == cart.id)
            .order_by(CartLine.id)
        )
        .unique()
        .scalars()
    )
    context = replace(pricing, quantities={line.variant_id: line.quantity for line in lines})
    prices = price_variants(session, [line.variant for line in lines], context)
    groups: dict[int, ProducerGroup] = {}
    for line in lines:
        product = line.variant.product
        group = groups.setdefault(product.producer_id, ProducerGroup(producer=product.producer))
        group.items.append(
            CartItem(line.id, line.variant, product, line.quantity, prices[line.variant_id])
        )
    return CartSummary(cart=cart, groups=list(groups.values()))


def merge_guest_cart(session: Session, guest_token: str, user_id: int) -> Cart | None:
    """Move a guest's cart into the account's cart at login: quantities of the same
    variant add up (capped by stock); the guest cart is then deleted. Returns the
    account's cart, or None when there was no guest cart."""
    guest = find_cart(session, token=guest_token)
    if guest is None:
        return None
    own = find_cart(session, user_id=user_id)
    if own is None:
        guest.user_id = user_id
        session.flush()
        return guest
    guest_lines = session.execute(
        select(CartLine).options(joinedload(CartLine.variant)).where(CartLine.cart_id == guest.id)
    ).scalars()
    current = {
        line.variant_id: line
        for line in session.execute(select(CartLine).where(CartLine.cart_id == own.id)).scalars()
    }
    for guest_line in guest_lines:
        limit = min(guest_line.variant.stock, MAX_LINE_QUANTITY)
        existing = current.get(guest_line.variant_id)
        if existing is not None:
            existing.quantity = max(
                existing.quantity, min(existing.quantity + guest_line.quantity, limit)
            )
        elif limit > 0:
            session.add(
                CartLine(
                    cart_id=own.id,
                    variant_id=guest_line.variant_id,
                    quantity=min(guest_line.quantity, limit),
                )
            )
    session.flush()
    session.execute(delete(CartLine).where(CartLine.cart_id == guest.id))
    session.delete(guest)
    _touch(own)
    session.flush()
    return own


def _touch(cart: Cart) -> None:
    cart.updated_at = utcnow()
