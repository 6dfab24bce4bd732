from tests.accounts.mail import mail_log, smtp_inbox  # noqa: F401
