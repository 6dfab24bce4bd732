"""Shipping: the fee for each producer's parcel, from rules an admin can change."""
