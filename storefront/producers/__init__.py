"""Producers' side of the shop: applying to sell, membership, the producer area."""
