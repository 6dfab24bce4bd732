"""Cart: what a guest or a signed-in buyer means to order, kept in the database."""
