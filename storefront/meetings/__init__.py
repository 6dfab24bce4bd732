"""Business matchmaking at a fair (kết nối giao thương): an exhibitor opens meeting slots
for the fair's days, a business buyer books one, the exhibitor accepts or declines, both
get a calendar file and reminders.

Its own package rather than more modules in storefront/fairs: meetings have their own
tables, state machine, outbox and pages on both sides (the buyer's account, the
producer's workspace), and they depend on business buyers (storefront/business), which
fairs do not. The dependency runs one way: meetings read fairs' models; fairs never import
meetings. The fair page and the fair report learn about meetings through the two hooks
fairs offers (`fairs.views.BOOTH_SECTIONS`, `fairs.report.BUSINESS_FIGURES`), the way the
home page learns about fairs; init_app fills them.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The meeting pages, the fair page's bookable slots per booth, and the meeting rows
    of the fair report's business section."""
    from storefront.fairs.report import BUSINESS_FIGURES
    from storefront.fairs.views import BOOTH_SECTIONS
    from storefront.meetings.report import fair_meeting_figures
    from storefront.meetings.views import booth_slots, bp, producer_bp

    app.register_blueprint(bp)
    app.register_blueprint(producer_bp)
    BOOTH_SECTIONS["meetings"] = booth_slots
    BUSINESS_FIGURES["meetings"] = fair_meeting_figures
