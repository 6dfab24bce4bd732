"""Traceability: production batches, QR stamps and the public trace page (/t/<code>)."""
