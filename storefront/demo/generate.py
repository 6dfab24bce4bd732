"""A synthetic catalogue of any size for benchmarks (`flask demo generate`).

Rows go in with bulk INSERTs in batches, bypassing the per-row services for speed, so
this module recomputes what the services would keep: search text (with the same
function the app uses), `price_from`, certificate expiry. Slugs and SKUs end in the
row's own id, so a generated catalogue never collides with the demo load or with an
earlier run. On PostgreSQL the rows go in with COPY.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import accumulate
from typing import Any

from sqlalchemy import func, insert, select, text

from storefront import media
from storefront.catalog.groups import PRODUCT_GROUPS
from storefront.catalog.models import (
    CertificateStatus,
    OcopCertificate,
    Producer,
    ProducerKind,
    Product,
    ProductPhoto,
    Variant,
)
from storefront.catalog.search import search_fields
from storefront.catalog.stars import stars_in_force
from storefront.demo import images, vocabulary
from storefront.demo.load import issuing_body
from storefront.extensions import Session
from storefront.places import Province, Ward, all_provinces, wards_of
from storefront.text import slugify
from storefront.timeutil import add_months, utcnow

BATCH_SIZE = 2000
PRODUCTS_PER_PRODUCER = 25
PHOTOS_PER_GROUP = 2
LOGOS = 6
_KIND_WEIGHTS = list(accumulate(kind.weight for kind in vocabulary.KINDS))
_PRODUCER_PREFIX = {
    ProducerKind.COOPERATIVE: "HTX",
    ProducerKind.ENTERPRISE: "Công ty TNHH",
    ProducerKind.HOUSEHOLD: "Hộ kinh doanh",
    ProducerKind.GROUP: "Tổ hợp tác",
}
_WARD_PREFIXES = ("Phường ", "Xã ", "Đặc khu ")


@dataclass
class GenerateSummary:
    producers: int = 0
    products: int = 0
    variants: int = 0
    certificates: int = 0


@dataclass(frozen=True)
class _Maker:
    id: int
    name: str
    province: Province
    ward: Ward


def _place_name(ward: Ward) -> str:
    for prefix in _WARD_PREFIXES:
        if ward.name.startswith(prefix):
            return ward.name.removeprefix(prefix)
    return ward.name


def _in_sentence(place: str) -> str:
    """A place name as written inside a sentence: "xã Mường Phăng", "thành phố Huế"."""
    for prefix in ("Thành phố ", "Tỉnh ", *_WARD_PREFIXES):
        if place.startswith(prefix):
            return prefix.lower() + place.removeprefix(prefix)
    return place


def _photo_pool(media_root: media.Store) -> dict[str, list[str]]:
    """A few pictures per product group, shared by every generated product."""
    pool: dict[str, list[str]] = {}
    for group in PRODUCT_GROUPS:
        titles = list(group.subgroups.values())[:PHOTOS_PER_GROUP]
        pool[group.code] = [
            images.store_photo(media_root, images.product_picture(title, "OCOP", group.code))
            for title in titles
        ]
    return pool


def _logo_pool(media_root: media.Store) -> list[str]:
    names = [
        f"{prefix} {trade}"
        for prefix, trade in zip(
            _PRODUCER_PREFIX.values(), vocabulary.PRODUCER_TRADES, strict=False
        )
    ]
    names += list(vocabulary.PRODUCER_TRADES[: LOGOS - len(names)])
    return [
        images.store_media(media_root, "producers", images.producer_logo(name), "png")
        for name in names
    ]


def _reserve_ids(session: Session, model: type[Producer] | type[Product], count: int) -> list[int]:
    """Primary keys for `count` new rows, so children can point at them without RETURNING:
    drawn from the sequence on PostgreSQL, above the largest id on SQLite (whose writer
    holds the database lock until the command commits)."""
    table = model.__tablename__
    if session.get_bind().dialect.name == "postgresql":
        stmt = text(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "  # noqa: S608 - fixed names
            "FROM generate_series(1, :n)"
        )
        return list(session.execute(stmt, {"n": count}).scalars())
    first = (session.execute(select(func.max(model.id))).scalar_one() or 0) + 1
    return list(range(first, first + count))


def _write(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    """Insert many rows: COPY on PostgreSQL (psycopg would otherwise parse a huge statement
    or send one per row), an executemany INSERT elsewhere."""
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        session.execute(insert(model), rows)
        return
    columns = list(rows[0])
    driver: Any = session.connection().connection.driver_connection  # a psycopg Connection
    with (
        driver.cursor() as cursor,
        cursor.copy(f"COPY {model.__tablename__} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row([_plain(row[column]) for column in columns])


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def _random_phone(rng: random.Random) -> str:
    return rng.choice(vocabulary.PHONE_PREFIXES) + f"{rng.randrange(10**7):07d}"


def _insert_producers(
    session: Session, rng: random.Random, count: int, logos: Sequence[str]
) -> list[_Maker]:
    provinces = all_provinces()
    kinds = list(ProducerKind)
    rows: list[dict[str, Any]] = []
    makers: list[_Maker] = []
    now = utcnow()
    for i, producer_id in enumerate(_reserve_ids(session, Producer, count)):
        province = provinces[i % len(provinces)]
        ward = rng.choice(wards_of(province.code))
        kind = rng.choices(kinds, weights=(50, 20, 25, 5))[0]
        if kind == ProducerKind.HOUSEHOLD:
            owner = f"{rng.choice(vocabulary.FAMILY_NAMES)} {rng.choice(vocabulary.GIVEN_NAMES)}"
            name = f"{_PRODUCER_PREFIX[kind]} {owner}"
        else:
            trade = rng.choice(vocabulary.PRODUCER_TRADES)
            name = f"{_PRODUCER_PREFIX[kind]} {trade} {_place_name(ward)}"
        village = f"{rng.choice(vocabulary.PLACE_WORDS)} {rng.choice(vocabulary.VILLAGE_NAMES)}"
        rows.append(
            {
                "id": producer_id,
                "slug": f"{slugify(name)[:100]}-p{producer_id}",
                "name": name,
                "kind": kind,
                "province_code": province.code,
                "ward_code": ward.code,
                "address": f"{village}, {_in_sentence(ward.name)}",
                "phone": _random_phone(rng),
                "story": f"{name} sản xuất đặc sản của {province.short_name}.",
                "logo_path": rng.choice(logos),
                "is_active": True,
                "created_at": now,
            }
        )
        makers.append(_Maker(producer_id, name, province, ward))
    _write(session, Producer, rows)
    return makers


def _certificate(
    rng: random.Random, product_id: int, maker: _Maker, today: date, now: datetime
) -> dict[str, Any] | None:
    """~70% a verified certificate in force, ~8% expired, ~5% awaiting checks, else none."""
    roll = rng.random()
    if roll >= 0.83:
        return None
    status = CertificateStatus.PENDING if roll >= 0.78 else CertificateStatus.VERIFIED
    if roll < 0.70:  # in force: 36 months are at least 1095 days
        age_days = rng.randint(1, 1070)
    elif roll < 0.78:  # expired
        age_days = rng.randint(1100, 2000)
    else:
        age_days = rng.randint(1, 300)
    decided = today - timedelta(days=age_days)
    stars = rng.choices((3, 4, 5), weights=(60, 32, 8))[0]
    level, body = issuing_body(stars, maker.province)
    suffix = "QĐ-BNNMT" if stars == 5 else "QĐ-UBND"
    return {
        "product_id": product_id,
        "stars": stars,
        "level": level,
        "decision_number": f"{rng.randint(100, 4999)}/{suffix}",
        "decision_date": decided,
        "issuing_body": body,
        "expires_on": add_months(decided, 36),
        "status": status,
        "scan_path": None,
        "rejection_reason": "",
        "created_at": now,
        "verified_at": now if status == CertificateStatus.VERIFIED else None,
    }


def _variants(rng: random.Random, kind: vocabulary.Kind, product_id: int) -> list[dict[str, Any]]:
    count = min(len(kind.packs), rng.choices((1, 2, 3), weights=(40, 40, 20))[0])
    packs = [kind.packs[i] for i in sorted(rng.sample(range(len(kind.packs)), count))]
    rows = []
    for position, pack in enumerate(packs):
        roll = rng.random()
        stock = 0 if roll < 0.07 else rng.randint(1, 5) if roll < 0.15 else rng.randint(6, 200)
        rows.append(
            {
                "product_id": product_id,
                "sku": f"G{product_id}-{position + 1}",
                "label": pack.label,
                "price_vnd": round(rng.randint(pack.price_low, pack.price_high), -3),
                "weight_grams": pack.grams,
                "stock": stock,
                "low_stock_threshold": 5,
                "is_active": True,
                "position": position,
            }
        )
    return rows


def _insert_products(
    session: Session,
    rng: random.Random,
    makers: Sequence[_Maker],
    count: int,
    photos: dict[str, list[str]],
    today: date,
    summary: GenerateSummary,
) -> None:
    now = utcnow()
    kinds = rng.choices(vocabulary.KINDS, cum_weights=_KIND_WEIGHTS, k=count)
    products: list[dict[str, Any]] = []
    variants: list[dict[str, Any]] = []
    certificates: list[dict[str, Any]] = []
    photo_rows: list[dict[str, Any]] = []
    for product_id, kind in zip(_reserve_ids(session, Product, count), kinds, strict=True):
        maker = makers[rng.randrange(len(makers))]
        place = maker.province.short_name if rng.random() < 0.7 else _place_name(maker.ward)
        name = " ".join(f"{kind.base} {rng.choice(kind.qualifiers)} {place}".split())
        description = (
            f"{kind.blurb} Sản xuất tại {_in_sentence(maker.ward.name)}, "
            f"{_in_sentence(maker.province.name)}, bởi {maker.name}."
        )
        search_name, search_text = search_fields(
            name=name,
            name_en="",
            group_code=kind.group,
            subgroup_code=kind.subgroup,
            description=description,
            producer_name=maker.name,
            province_code=maker.province.code,
            ward_code=maker.ward.code,
        )
        product_variants = _variants(rng, kind, product_id)
        created = now - timedelta(seconds=rng.randrange(2 * 365 * 86400))
        products.append(
            {
                "id": product_id,
                "producer_id": maker.id,
                "slug": f"{slugify(name)[:140]}-g{product_id}",
                "name": name,
                "name_en": "",
                "group_code": kind.group,
                "subgroup_code": kind.subgroup,
                "description": description,
                "description_en": "",
                "is_published": True,
                "price_from": min(v["price_vnd"] for v in product_variants),
                "search_name": search_name,
                "search_text": search_text,
                "stars": 0,
                "stars_until": None,
                "created_at": created,
                "updated_at": created,
            }
        )
        variants += product_variants
        certificate = _certificate(rng, product_id, maker, today, now)
        if certificate:
            certificates.append(certificate)
            if certificate["status"] == CertificateStatus.VERIFIED:
                held = (
                    certificate["stars"],
                    certificate["decision_date"],
                    certificate["expires_on"],
                )
                products[-1]["stars"], products[-1]["stars_until"] = stars_in_force([held], today)
        photo_rows.append(
            {
                "product_id": product_id,
                "path": rng.choice(photos[kind.group]),
                "alt": name,
                "width": images.PHOTO_SIZE[0],
                "height": images.PHOTO_SIZE[1],
                "position": 0,
            }
        )
    _write(session, Product, products)
    _write(session, Variant, variants)
    _write(session, OcopCertificate, certificates)
    _write(session, ProductPhoto, photo_rows)
    summary.products += len(products)
    summary.variants += len(variants)
    summary.certificates += len(certificates)


def generate_catalogue(
    session: Session,
    count: int,
    seed: int,
    media_root: media.Store,
    today: date,
    progress: Callable[[int], object] | None = None,
) -> GenerateSummary:
    """Insert `count` synthetic products (with producers spread over all provinces,
    1–3 variants, a shared photo and mostly a certificate each). Only flushes; the
    caller commits. `progress` is called with the number of products of each batch."""
    rng = random.Random(seed)  # noqa: S311 - test data, not security
    summary = GenerateSummary()
    if count <= 0:
        return summary
    photos, logos = _photo_pool(media_root), _logo_pool(media_root)
    producer_count = max(min(count, len(all_provinces())), count // PRODUCTS_PER_PRODUCER)
    makers = _insert_producers(session, rng, producer_count, logos)
    summary.producers = len(makers)
    for start in range(0, count, BATCH_SIZE):
        size = min(BATCH_SIZE, count - start)
        _insert_products(session, rng, makers, size, photos, today, summary)
        if progress:
            progress(size)
    return summary
