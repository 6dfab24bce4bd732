"""What waits for the producer sits at the top of the area and the workspace's lists
(issue 11, producer area on a phone): parts to confirm, parts to ship and packs running
low, counted in a fixed number of statements, each linking to the list showing them."""

from __future__ import annotations

from sqlalchemy import update

from storefront.catalog.models import Variant
from storefront.orders.fulfilment import confirm_part, ship_part
from storefront.producers import services
from tests.accounts.helpers import log_in, make_member
from tests.factories import make_producer, make_product
from tests.orders.helpers import place, variant_of
from tests.producers.helpers import part_id_of


def _busy_producer(session, name: str):  # type: ignore[no-untyped-def]
    """Two parts to confirm, one to ship, one shipped; two packs low or out of stock,
    one plenty, one low but no longer sold."""
    producer = make_producer(session, name=name)
    honey = variant_of(session, make_product(session, producer, "Mật ong hoa Ban", stock=50))
    low = variant_of(session, make_product(session, producer, "Lạc đỏ Na Son", stock=3))
    out = variant_of(session, make_product(session, producer, "Khoai sọ Phì Nhừ", stock=0))
    gone = variant_of(session, make_product(session, producer, "Bí xanh Tìa Dình", stock=1))
    session.execute(update(Variant).where(Variant.id == gone.id).values(is_active=False))
    orders = [place(session, [(honey.id, 1)]) for _ in range(4)]
    parts = [part_id_of(session, order.id) for order in orders]
    confirm_part(session, parts[2])
    confirm_part(session, parts[3])
    ship_part(session, parts[3], "Viettel Post", "VTP123456")
    session.commit()
    return producer, (low, out)


def test_the_counts_say_what_waits(session):
    producer, _ = _busy_producer(session, "HTX Mường Phăng")
    quiet = make_producer(session, name="HTX Yên Tĩnh")
    session.commit()
    counts = services.action_counts(session, [producer.id, quiet.id])
    assert counts[producer.id] == services.ActionCounts(to_confirm=2, to_ship=1, low_stock=2)
    assert counts[quiet.id] == services.ActionCounts() and not counts[quiet.id].any
    assert services.action_counts(session, []) == {}


def test_the_counts_take_two_statements_however_many_producers(session, count_queries):
    first, _ = _busy_producer(session, "HTX Một")
    ids = [first.id, *(_busy_producer(session, f"HTX Thêm {n}")[0].id for n in range(3))]
    with count_queries() as one:
        services.action_counts(session, ids[:1])
    with count_queries() as four:
        counted = services.action_counts(session, ids)
    assert all(c.to_confirm == 2 and c.low_stock == 2 for c in counted.values())
    assert one.count == four.count == 2


def test_the_area_and_the_lists_lead_with_the_counts_linking_to_filtered_lists(
    client, session, count_queries
):  # type: ignore[no-untyped-def]
    producer, (low, out) = _busy_producer(session, "HTX Mường Phăng")
    make_member(session, producer, email="htx@example.vn")
    session.commit()
    log_in(client, "htx@example.vn")
    base = f"/producer/{producer.id}"
    for path in ("/producer/", f"{base}/orders", f"{base}/products"):
        html = client.get(path).text
        counts = html.split('class="action-counts"', 1)[1].split("</nav>", 1)[0]
        assert f'href="{base}/orders?status=placed"><strong>2</strong> đơn chờ xác nhận' in counts
        assert f'href="{base}/orders?status=confirmed"><strong>1</strong> đơn chờ gửi' in counts
        assert f'href="{base}/products?stock=low"><strong>2</strong> quy cách sắp hết' in counts
        # right under the producer's name on the area, above the title on the lists
        where = html.index('class="action-counts"')
        if path == "/producer/":
            assert html.index("<h2", html.index("<main")) < where < html.index('class="chips"')
        else:
            assert where < html.index("<h1", html.index("<main"))
    low_list = client.get(f"{base}/products?stock=low").text
    assert "Lạc đỏ Na Son" in low_list and "Khoai sọ Phì Nhừ" in low_list
    assert "Mật ong hoa Ban" not in low_list.split("<h1", 1)[1]
    assert "Chỉ hiện sản phẩm có quy cách sắp hết" in low_list

    # a second busy producer adds no statement to the area page
    with count_queries() as alone:
        assert client.get("/producer/").status_code == 200
    other, _ = _busy_producer(session, "HTX Thứ Hai")
    from storefront.accounts.models import ProducerMember, User

    user_id = session.query(User.id).filter_by(email="htx@example.vn").scalar()
    session.add(ProducerMember(producer_id=other.id, user_id=user_id, is_owner=False))
    session.commit()
    with count_queries() as both:
        assert "HTX Thứ Hai" in client.get("/producer/").text
    assert both.count == alone.count
