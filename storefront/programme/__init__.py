"""The province's OCOP dashboard (cán bộ OCOP tỉnh, admins): how far its products travel."""
