"""Settling with producers by bank transfer: statements per producer and period, the
shop's commission, and the record of each settlement paid."""
