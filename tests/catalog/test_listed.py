"""The listed flag (published, of an active producer) that the catalogue's queries read
from the product row: the database keeps it whatever changes the product or producer."""

from __future__ import annotations

from sqlalchemy import insert, select, text, update

from storefront.catalog import services
from storefront.catalog.models import Producer, Product
from storefront.catalog.queries import home_shelves, parse_filters, search_catalog
from storefront.timeutil import today_in_vietnam, utcnow
from tests.factories import make_producer, make_product


def flags(session) -> dict[str, bool]:
    rows = session.execute(select(Product.name, Product.listed())).all()
    return {name: bool(listed) for name, listed in rows}


def shown(session, **args: str) -> list[str]:
    page = search_catalog(session, parse_filters(args), today_in_vietnam(), per_page=24)
    return sorted(card.product.name for card in page.cards)


def test_a_new_product_is_listed_only_when_published(session):
    producer = make_producer(session)
    make_product(session, producer, name="Mật ong đăng")
    make_product(session, producer, name="Mật ong nháp", published=False)
    session.commit()
    assert flags(session) == {"Mật ong đăng": True, "Mật ong nháp": False}
    assert shown(session) == ["Mật ong đăng"]


def test_unpublishing_and_publishing_again_follow_on_every_page(session):
    honey = make_product(session, name="Mật ong hoa Ban")
    session.commit()
    services.set_published(session, honey, False)
    session.commit()
    assert flags(session) == {"Mật ong hoa Ban": False}
    assert shown(session) == [] and shown(session, q="mat ong") == []
    assert shown(session, group="thuc-pham", stars="4", sort="price_asc") == []
    services.set_published(session, honey, True)
    session.commit()
    assert shown(session) == shown(session, q="mat ong") == ["Mật ong hoa Ban"]


def test_deactivating_a_producer_unlists_its_products_and_only_its(session):
    closed = make_producer(session)
    open_ = make_producer(session)
    make_product(session, closed, name="Trà của HTX đóng cửa")
    make_product(session, closed, name="Nháp của HTX đóng cửa", published=False)
    make_product(session, open_, name="Trà của HTX còn bán")
    session.commit()
    closed.is_active = False
    session.commit()
    assert flags(session) == {
        "Trà của HTX đóng cửa": False,
        "Nháp của HTX đóng cửa": False,
        "Trà của HTX còn bán": True,
    }
    assert shown(session) == shown(session, q="tra") == ["Trà của HTX còn bán"]
    since = utcnow().replace(year=2000)
    shelves = home_shelves(session, today_in_vietnam(), since, newest=8, best=8)
    assert [card.product.name for card in shelves.newest] == ["Trà của HTX còn bán"]
    closed.is_active = True
    session.commit()
    # Back on sale: the published product returns, the draft stays a draft.
    assert shown(session) == ["Trà của HTX còn bán", "Trà của HTX đóng cửa"]
    assert flags(session)["Nháp của HTX đóng cửa"] is False


def test_moving_a_product_to_an_inactive_producer_unlists_it(session):
    closed = make_producer(session)
    product = make_product(session, name="Bánh tráng")
    closed.is_active = False
    session.commit()
    product.producer_id = closed.id
    session.commit()
    assert flags(session) == {"Bánh tráng": False}
    assert shown(session) == []


def test_a_direct_write_of_the_flag_is_recomputed(session):
    make_product(session, name="Nháp", published=False)
    session.commit()
    session.execute(text("UPDATE product SET is_listed = :flag"), {"flag": True})
    session.commit()
    assert flags(session) == {"Nháp": False}
    assert shown(session) == []


def test_rows_inserted_in_bulk_get_the_flag_too(session):
    active = make_producer(session)
    closed = make_producer(session)
    session.execute(update(Producer).where(Producer.id == closed.id).values(is_active=False))
    rows = [
        {"producer": active, "name": "Khô cá lóc", "published": True},
        {"producer": active, "name": "Khô cá nháp", "published": False},
        {"producer": closed, "name": "Khô cá đóng cửa", "published": True},
    ]
    session.execute(
        insert(Product),
        [
            {
                "producer_id": row["producer"].id,
                "slug": f"kho-ca-{i}",
                "name": row["name"],
                "group_code": "thuc-pham",
                "subgroup_code": "thuc-pham-che-bien",
                "is_published": row["published"],
                "price_from": 90_000,
            }
            for i, row in enumerate(rows)
        ],
    )
    session.commit()
    assert flags(session) == {
        "Khô cá lóc": True,
        "Khô cá nháp": False,
        "Khô cá đóng cửa": False,
    }
