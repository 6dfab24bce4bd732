"""The public catalogue: producers, products, variants and OCOP certificates."""
