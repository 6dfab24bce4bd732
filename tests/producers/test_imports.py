"""CSV import and export: all rows or none, a row-by-row report, the same from the CLI."""

from __future__ import annotations

import csv
import io

from sqlalchemy import func, select

from storefront.catalog.models import Product, StockMovement, StockReason, Variant
from storefront.producers import imports
from tests.factories import make_producer, make_product
from tests.orders.helpers import stock_of, variant_of

HEADER = "sku,product_name,variant_label,price_vnd,weight_grams,stock,group,subgroup,published\n"


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return (header + "\n".join(rows) + "\n").encode("utf-8")


def _count(session, model) -> int:
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_import_creates_products_and_variants_with_their_stock(session):
    producer = make_producer(session)
    data = _csv(
        'MO-250,Mật ong hoa Ban,Hũ 250 g,"85.000",350,12,thuc-pham,thuc-pham-che-bien,1',
        "MO-500,Mật ong hoa Ban,Hũ 500 g,150000,650,8,,,",
        "LD-1,Lạc đỏ Na Son,Túi 1 kg,120.000,1050,,thuc-pham,nong-san-so-che,",
    )
    report = imports.import_products(session, producer, data, actor_id=None)
    assert report.ok, [(e.line, str(e.error)) for e in report.errors]
    assert (report.rows, report.products_created, report.variants_created) == (3, 2, 3)
    honey = session.execute(select(Product).where(Product.name == "Mật ong hoa Ban")).scalar_one()
    peanuts = session.execute(select(Product).where(Product.name == "Lạc đỏ Na Son")).scalar_one()
    assert honey.is_published and not peanuts.is_published  # new products stay hidden unless 1
    assert honey.price_from == 85_000
    skus = {v.sku: v for v in session.execute(select(Variant)).scalars()}
    assert (stock_of(session, skus["MO-250"].id), stock_of(session, skus["LD-1"].id)) == (12, 0)
    movements = session.execute(select(StockMovement.delta, StockMovement.reason)).all()
    assert sorted(movements) == [(8, StockReason.DELIVERY), (12, StockReason.DELIVERY)]


def test_one_bad_row_imports_nothing_and_every_bad_row_is_reported(session):
    producer, other = make_producer(session), make_producer(session)
    taken = variant_of(session, make_product(session, other)).sku
    session.commit()
    data = _csv(
        "OK-1,Chè Shan Tuyết,Gói 200 g,95.000,250,10,thuc-pham,che-tra,1",
        "OK-2,Chè Shan Tuyết,Gói 500 g,mười nghìn,550,10,,,",
        "OK-3,Chè Shan Tuyết,Gói 1 kg,300000,1050,10,do-uong,do-uong-khong-con,",
        f"{taken},Chè Shan Tuyết,Hộp,100000,300,1,,,",
        "OK-1,Chè Shan Tuyết,Trùng,100000,300,1,,,",
        ",Chè Shan Tuyết,Không mã,100000,300,1,,,",
        "OK-6,Chè Shan Tuyết,Gói,100.000,0,1,,,",
    )
    report = imports.import_products(session, producer, data, actor_id=None)
    assert not report.ok
    reasons = {e.line: str(e.error) for e in report.errors}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8]
    assert "Giá" in reasons[3]
    assert "khác với dòng 2" in reasons[4]
    assert "chủ thể khác" in reasons[5]
    assert "lặp lại" in reasons[6]
    assert "SKU" in reasons[7]
    assert "Khối lượng" in reasons[8]
    session.rollback()
    assert _count(session, Product) == 1  # only the other producer's
    assert _count(session, StockMovement) == 0


def test_export_then_import_updates_in_place(session):
    producer = make_producer(session)
    product = make_product(session, producer, name="Khoai sọ Phì Nhừ", price=45_000, stock=10)
    product.description = '=HYPERLINK("http://evil")'  # a spreadsheet formula
    session.flush()
    exported = imports.export_products(session, producer.id)
    assert exported.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(exported.lstrip("\ufeff"))))
    assert list(rows[0]) == list(imports.COLUMNS)
    assert rows[0]["description"].startswith("'=")  # neutralised for spreadsheets
    rows[0]["price_vnd"] = "50.000"
    rows[0]["stock"] = "4"  # counted: 6 broke
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=imports.COLUMNS, delimiter=";")  # Excel's VN default
    writer.writeheader()
    writer.writerows(rows)
    report = imports.import_products(session, producer, out.getvalue().encode("utf-8-sig"), None)
    assert report.ok, [str(e.error) for e in report.errors]
    assert (report.products_updated, report.variants_updated, report.stock_changes) == (1, 1, 1)
    variant = variant_of(session, product)
    session.refresh(product)
    assert (variant.price_vnd, stock_of(session, variant.id)) == (50_000, 4)
    assert product.description == '=HYPERLINK("http://evil")'  # round trip
    [movement] = session.execute(select(StockMovement)).scalars()
    assert (movement.delta, movement.reason) == (-6, StockReason.CORRECTION)


def test_columns_left_out_keep_what_is_there(session):
    producer = make_producer(session)
    product = make_product(session, producer, name="Bí xanh Tìa Dình", description="Bí sạch.")
    sku = variant_of(session, product).sku
    data = _csv(
        f"{sku},Bí xanh Tìa Dình,Quả 2 kg,40000,2000,thuc-pham,nong-san-tuoi",
        header="sku,product_name,variant_label,price_vnd,weight_grams,group,subgroup\n",
    )
    report = imports.import_products(session, producer, data, None)
    assert report.ok
    session.refresh(product)
    assert product.description == "Bí sạch." and product.is_published
    assert stock_of(session, variant_of(session, product).id) == 10


def test_unreadable_files_are_refused_whole(session):
    producer = make_producer(session)
    for data, message in [
        (b"sku,product_name\nA,B\n", "thiếu cột"),
        ("Mật ong".encode("utf-16"), "UTF-8"),
        (b"x" * (imports.MAX_BYTES + 1), "2 MB"),
    ]:
        try:
            imports.import_products(session, producer, data, None)
        except imports.ImportError_ as error:
            assert message.lower() in str(error).lower()
        else:
            raise AssertionError(f"{message} not refused")


def test_cli_imports_with_a_progress_bar_and_reports_refusals(runner, session, tmp_path):
    producer = make_producer(session, name="HTX Mật ong Mường Phăng")
    session.commit()
    good = tmp_path / "good.csv"
    good.write_bytes(
        _csv("MO-1,Mật ong hoa Ban,Hũ 250 g,85.000,350,5,thuc-pham,thuc-pham-che-bien,1")
    )
    result = runner.invoke(
        args=["producers", "import-products", "--producer", producer.slug, str(good)]
    )
    assert result.exit_code == 0, result.output
    assert "Imported 1 row(s): 1 product(s) created" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv("MO-2,Mật ong hoa Ban,Hũ 1 kg,abc,1200,5,,,"))
    result = runner.invoke(
        args=["producers", "import-products", "--producer", producer.slug, str(bad)]
    )
    assert result.exit_code == 1
    assert "line 2 (MO-2)" in result.output and "Giá" in result.output
    session.expire_all()
    assert _count(session, Variant) == 1
    result = runner.invoke(args=["producers", "import-products", "--producer", "nope", str(good)])
    assert result.exit_code != 0 and "No producer" in result.output
