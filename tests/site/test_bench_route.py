"""The benchmark's constant-string route exists only when the benchmark asks for it."""

from __future__ import annotations

from storefront import create_app
from storefront.config import load_config


def test_bench_route_is_absent_in_normal_runs(client):
    assert client.get("/bench/bare").status_code == 404


def test_bench_route_answers_a_constant_string_when_enabled(app):
    bench_app = create_app({"BENCH_ROUTES": True, "RATELIMIT_ENABLED": False})
    response = bench_app.test_client().get("/bench/bare")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == "ok"
    # Same app, same hooks: the security headers of every page are there too.
    assert "Content-Security-Policy" in response.headers


def test_bench_routes_come_only_from_their_environment_variable(tmp_path):
    assert load_config({}, str(tmp_path))["BENCH_ROUTES"] is False
    assert load_config({"STOREFRONT_BENCH_ROUTES": "1"}, str(tmp_path))["BENCH_ROUTES"] is True
