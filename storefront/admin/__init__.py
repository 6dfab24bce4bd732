"""Admin pages: decide producer applications, grant roles."""
