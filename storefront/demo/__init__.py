"""Demo data: the real OCOP products of the source article, and synthetic catalogues."""
