"""Orders: one order per checkout, split into one part per producer, each with its own
status and history; stock taken and returned atomically."""
