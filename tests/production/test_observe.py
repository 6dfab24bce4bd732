"""Request ids and JSON log lines without personal data, /metrics and who may read it,
/readyz, the proxy's headers trusted only when configured, and Sentry's scrubber."""

from __future__ import annotations

import json
import logging
import re

import pytest

from storefront import create_app
from storefront.config import ConfigError, load_config
from storefront.extensions import db
from storefront.ops.logs import JsonFormatter
from storefront.ops.readiness import schema_state
from storefront.ops.reporting import scrub
from tests.accounts.mail import smtp_inbox  # noqa: F401 - the fixture
from tests.checkout.test_checkout import cart  # noqa: F401 - the fixture
from tests.orders.helpers import checkout_form, delivery_fields


def request_lines(caplog) -> list[dict]:
    formatter = JsonFormatter()
    return [
        json.loads(formatter.format(r)) for r in caplog.records if r.name == "storefront.request"
    ]


def test_a_request_id_from_the_proxy_is_echoed_and_logged(client, caplog):
    with caplog.at_level(logging.INFO, logger="storefront.request"):
        response = client.get("/products", headers={"X-Request-ID": "nginx-4f2a9c01"})
    assert response.headers["X-Request-ID"] == "nginx-4f2a9c01"
    (line,) = request_lines(caplog)
    assert line["request_id"] == "nginx-4f2a9c01"
    assert line["route"] == "/products" and line["status"] == 200 and line["method"] == "GET"
    assert line["duration_ms"] >= 0 and line["user_id"] is None and line["level"] == "info"


@pytest.mark.parametrize(
    "offered", [None, "short", "bad id with spaces", "<script>alert(1)</script>", "x" * 200]
)
def test_a_missing_or_odd_request_id_is_replaced_by_a_fresh_one(client, offered):
    headers = {"X-Request-ID": offered} if offered else {}
    first = client.get("/healthz", headers=headers).headers["X-Request-ID"]
    second = client.get("/healthz", headers=headers).headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first) and first != second


def test_a_checkout_logs_no_phone_address_or_email(client, session, cart, caplog, smtp_inbox):  # noqa: F811
    """Mail goes to a real SMTP server as in production (without MAIL_SERVER, development
    writes whole emails to the log on purpose)."""
    before = _sample(client, "storefront_orders_placed_total")
    with caplog.at_level(logging.DEBUG):
        hidden = checkout_form(client)
        response = client.post("/checkout", data={**hidden, **delivery_fields()})
        client.get(response.headers["Location"])
    assert response.status_code == 303
    formatter = JsonFormatter()
    shop = [r for r in caplog.records if not r.name.startswith(("mail.", "asyncio"))]
    text = "\n".join(formatter.format(record) for record in shop)  # not aiosmtpd's log
    assert '"route": "/checkout"' in text  # the request lines are there
    for personal in ("0987", "654 321", "0987654321", "minh@example.vn", "Ngõ Huế", "Trần"):
        assert personal not in text
    assert _sample(client, "storefront_orders_placed_total") == before + 1
    assert smtp_inbox.messages  # the confirmation email was sent meanwhile


def _sample(client, name: str, labels: str = "") -> float:
    body = client.get("/metrics").get_data(as_text=True)
    match = re.search(rf"^{re.escape(name + labels)} (\S+)$", body, re.M)
    return float(match.group(1)) if match else 0.0


def test_metrics_count_requests_by_route_and_status(client):
    client.get("/products")
    client.get("/products/khong-co-san-pham-nay")
    body = client.get("/metrics").get_data(as_text=True)
    assert 'storefront_requests_total{method="GET",route="/products",status="200"}' in body
    assert re.search(r'route="/products/<slug>",status="404"\} [1-9]', body)
    assert 'storefront_request_seconds_bucket{le="0.5",route="/products"}' in body


def test_metrics_are_refused_to_other_addresses_and_wrong_tokens(app, client):
    far = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/metrics", environ_base=far).status_code == 404
    app.config["METRICS_TOKEN"] = "s3cret-scrape-token"
    try:
        wrong = {"Authorization": "Bearer guess"}
        assert client.get("/metrics", environ_base=far, headers=wrong).status_code == 404
        right = {"Authorization": "Bearer s3cret-scrape-token"}
        assert client.get("/metrics", environ_base=far, headers=right).status_code == 200
    finally:
        app.config["METRICS_TOKEN"] = ""
    assert client.get("/metrics").status_code == 200  # loopback, the default allow list


def _quiet(**overrides: object) -> dict[str, object]:
    """Overrides for a second app: the limiter is shared, and must stay off for the rest."""
    return {"SERVER_NAME": None, "RATELIMIT_ENABLED": False, **overrides}


def test_forwarded_addresses_count_only_behind_a_trusted_proxy(app):
    forwarded = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    direct = create_app(_quiet(TRUSTED_PROXIES=0)).test_client()
    assert direct.get("/metrics", headers=forwarded).status_code == 200  # header ignored
    proxied = create_app(_quiet(TRUSTED_PROXIES=1)).test_client()
    assert proxied.get("/metrics", headers=forwarded).status_code == 404  # the real client
    assert proxied.get("/metrics").status_code == 200


def test_bad_operations_settings_stop_the_start(tmp_path):
    with pytest.raises(ConfigError, match="METRICS_ALLOW"):
        load_config({"METRICS_ALLOW": "127.0.0.1,intranet"}, str(tmp_path))
    with pytest.raises(ConfigError, match="TRUSTED_PROXIES"):
        load_config({"TRUSTED_PROXIES": "-1"}, str(tmp_path))
    with pytest.raises(ConfigError, match="LOG_FORMAT"):
        load_config({"LOG_FORMAT": "xml"}, str(tmp_path))


def test_readyz_reports_the_database_and_migrations(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {
        "status": "ready",
        "database": "ok",
        "migrations": "ok",
        "redis": "off",
    }


@pytest.mark.parametrize(
    "database_url",
    [
        "postgresql+psycopg://postgres@127.0.0.1:1/nope",
        "sqlite:////nonexistent-folder-for-readyz/storefront.db",
    ],
)
def test_readyz_is_unready_without_a_database(database_url):
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SQLALCHEMY_ENGINE_OPTIONS": {},
            "SERVER_NAME": None,
            "RATELIMIT_ENABLED": False,
        }
    )
    response = app.test_client().get("/readyz")
    assert response.status_code == 503 and response.json["database"] == "unreachable"
    with app.app_context():
        db.engine.dispose()


def test_schema_states():
    heads, known = frozenset({"b"}), frozenset({"a", "b"})
    assert schema_state({"b"}, heads, known) == "ok"
    assert schema_state({"a"}, heads, known) == "behind"
    assert schema_state({"c"}, heads, known) == "ahead"  # the next release migrated
    assert schema_state(set(), heads, known) == "none"


def test_the_sentry_scrubber_drops_personal_data():
    event = {
        "request": {
            "url": "https://ocop.example/orders/lookup?email=minh@example.vn",
            "query_string": "email=minh@example.vn",
            "data": {"phone": "0987654321", "street": "5 Ngõ Huế"},
            "cookies": {"session": "abc"},
            "headers": {"User-Agent": "Firefox", "Cookie": "session=abc", "X-Real-IP": "1.2.3.4"},
            "env": {"REMOTE_ADDR": "1.2.3.4"},
        },
        "user": {"id": 7, "email": "minh@example.vn", "ip_address": "1.2.3.4"},
        "exception": {
            "values": [{"stacktrace": {"frames": [{"function": "f", "vars": {"p": "0987"}}]}}]
        },
        "extra": {"form": "0987654321"},
        "breadcrumbs": {"values": [{"message": "query", "data": {"email": "minh@example.vn"}}]},
    }
    scrubbed = json.dumps(scrub(event), ensure_ascii=False)
    for personal in ("minh@example.vn", "0987", "Ngõ Huế", "1.2.3.4", "session=abc"):
        assert personal not in scrubbed
    assert '"id": 7' in scrubbed and "Firefox" in scrubbed and "/orders/lookup" in scrubbed


def test_metrics_report_the_outbox_backlog_in_one_query(client, session, count_queries):
    """Emails waiting, retrying or being sent count as pending; the job lag is how long
    the longest-waiting due one has waited; sent and not-yet-due ones add no lag."""
    from datetime import timedelta

    from storefront.accounts.models import AccountEmail
    from storefront.outbox import FAILED, PENDING, SENDING, SENT
    from storefront.timeutil import utcnow
    from tests.accounts.helpers import make_user

    assert _sample(client, "storefront_emails_pending") == 0
    assert _sample(client, "storefront_job_lag_seconds") == 0
    user = make_user(session)
    now = utcnow()
    rows = [
        (PENDING, now - timedelta(minutes=10), None),  # due 10 minutes ago: the lag
        (PENDING, now + timedelta(minutes=30), None),  # retrying later: pending, no lag
        (SENDING, now - timedelta(hours=2), now + timedelta(minutes=4)),  # being sent
        (SENT, now - timedelta(days=1), None),
        (FAILED, now - timedelta(days=1), None),
    ]
    for n, (status, due, lease) in enumerate(rows):
        session.add(
            AccountEmail(
                key=f"test:{n}",
                user_id=user.id,
                kind="password_reset",
                status=status,
                next_attempt_at=due,
                lease_until=lease,
            )
        )
    session.commit()
    with count_queries() as counter:
        body = client.get("/metrics").get_data(as_text=True)
    assert len([s for s in counter.statements if "account_email" in s]) == 1
    assert _value(body, "storefront_emails_pending") == 3
    assert _value(body, "storefront_emails_failed") == 1
    assert 590 < _value(body, "storefront_job_lag_seconds") < 900

    # A worker whose lease ran out left its email due since the lease's end.
    stuck = session.execute(
        db.select(AccountEmail).where(AccountEmail.key == "test:0")
    ).scalar_one()
    stuck.status = SENT
    session.execute(
        db.update(AccountEmail)
        .where(AccountEmail.key == "test:2")
        .values(lease_until=utcnow() - timedelta(minutes=1))
    )
    session.commit()
    body = client.get("/metrics").get_data(as_text=True)
    assert _value(body, "storefront_emails_pending") == 2
    assert 50 < _value(body, "storefront_job_lag_seconds") < 300


def _value(body: str, name: str) -> float:
    match = re.search(rf"^{re.escape(name)} (\S+)$", body, re.M)
    assert match, f"{name} missing from /metrics"
    return float(match.group(1))
