"""Dependencies run one way (DESIGN.md, Architecture): a lower domain never imports a
higher one. Read from the source with `ast`, so a lazy import inside a function counts
too. Above all the domains that fairs (and later wholesale prices) feed, through
storefront.pricing and the home page's sections, never import them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "storefront"
# Domains that manage others, or compose the whole shop: nothing below may import them.
HIGHER = {
    "fairs",
    "producers",
    "admin",
    "settlements",
    "traceability",
    "demo",
    "programme",
    "b2b",
    "business",  # business buyers and wholesale tiers: fed in through hooks
    "quotes",
    "offtake",
    "meetings",  # fair meetings: the fair page and report learn of them through hooks
    "reviews",
    "seo",
}
FORBIDDEN = {
    "places": HIGHER | {"catalog", "pricing", "cart", "orders", "checkout", "payments"},
    "pricing": HIGHER | {"catalog", "cart", "orders", "checkout", "payments", "shipping"},
    "catalog": HIGHER | {"cart", "orders", "checkout", "payments", "shipping"},
    "shipping": HIGHER | {"cart", "orders", "checkout", "payments"},
    "cart": HIGHER | {"orders", "checkout", "payments"},
    "orders": HIGHER | {"checkout", "payments", "cart"},
    "payments": HIGHER | {"checkout", "cart"},
    "checkout": HIGHER,
    # fairs offers hooks (BOOTH_SECTIONS, BUSINESS_FIGURES) to what builds on it
    "fairs": {"meetings", "quotes", "offtake"},
}
# Bends still to straighten, each with its reason; nothing may be added here lightly.
KNOWN_BENDS = {
    # The buyer's order page links the batches shipped in each part (orders/views.py).
    ("orders", "traceability"),
}


def imported_domains(domain: str) -> dict[str, set[str]]:
    """{other domain: files of `domain` importing it}, for storefront.<other> imports."""
    found: dict[str, set[str]] = {}
    for path in sorted((PACKAGE / domain).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
                if node.module == "storefront":
                    names = [f"storefront.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] == "storefront" and len(parts) > 1 and parts[1] != domain:
                    found.setdefault(parts[1], set()).add(path.name)
    return found


@pytest.mark.parametrize("domain", sorted(FORBIDDEN))
def test_no_lower_domain_imports_a_higher_one(domain):
    imported = imported_domains(domain)
    wrong = {
        other: sorted(files)
        for other, files in imported.items()
        if other in FORBIDDEN[domain] and (domain, other) not in KNOWN_BENDS
    }
    assert wrong == {}, f"storefront.{domain} imports higher domains: {wrong}"


def test_the_known_bends_still_exist():
    """A bend straightened must leave the list, so the list never hides a new one."""
    for lower, higher in KNOWN_BENDS:
        assert higher in imported_domains(lower), f"{lower} → {higher} is gone: drop it"


def test_the_pricing_domain_depends_on_nothing_of_the_shop_but_time_and_the_session():
    assert set(imported_domains("pricing")) <= {"timeutil", "extensions"}
