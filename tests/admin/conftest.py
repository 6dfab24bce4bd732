from tests.accounts.mail import smtp_inbox  # noqa: F401
