"""The fair fixtures, for the fair-price field."""

from tests.fairs.conftest import fair_world, organiser  # noqa: F401
