"""Errors of the JSON API as RFC 9457 problem details (`application/problem+json`).

Every error has a stable `type` (a URI naming the kind of problem, documented on the
docs page), the HTTP `status`, a `title` and `detail` in the caller's language
(Accept-Language: Vietnamese unless English is preferred) and, for bad input, the field
at fault (`field`, and `errors` with every field's messages).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Response, current_app, json
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from storefront.errors import DomainError
from storefront.i18n import N_

PROBLEM_MIMETYPE = "application/problem+json"
TYPE_BASE = "/api/v1/docs#problem-"

# status -> (stable type slug, title msgid)
PROBLEMS: dict[int, tuple[str, str]] = {
    400: ("bad-request", N_("Yêu cầu không hợp lệ")),
    401: ("unauthorized", N_("Cần mã truy cập hợp lệ")),
    403: ("forbidden", N_("Không được phép")),
    404: ("not-found", N_("Không tìm thấy")),
    405: ("method-not-allowed", N_("Phương thức không được hỗ trợ")),
    406: ("not-acceptable", N_("Không có định dạng phù hợp")),
    409: ("conflict", N_("Yêu cầu bị từ chối")),
    412: ("precondition-failed", N_("Điều kiện không thỏa mãn")),
    413: ("payload-too-large", N_("Dữ liệu gửi lên quá lớn")),
    415: ("unsupported-media-type", N_("Định dạng dữ liệu không được hỗ trợ")),
    422: ("invalid-input", N_("Dữ liệu không hợp lệ")),
    429: ("too-many-requests", N_("Quá nhiều yêu cầu")),
    500: ("server-error", N_("Lỗi máy chủ")),
    503: ("unavailable", N_("Dịch vụ tạm thời gián đoạn")),
}
DETAILS: dict[int, str] = {
    400: N_("Yêu cầu không đọc được."),
    401: N_("Gửi mã truy cập cá nhân trong tiêu đề Authorization: Bearer <mã>."),
    403: N_("Mã truy cập này không được làm việc này."),
    404: N_("Không có thứ bạn tìm, hoặc bạn không được xem nó."),
    405: N_("Đường dẫn này không nhận phương thức đó."),
    413: N_("Dữ liệu gửi lên quá lớn."),
    422: N_("Vui lòng sửa các trường được nêu."),
    429: N_("Bạn gửi quá nhiều yêu cầu; thử lại sau ít phút."),
    500: N_("Đã có lỗi; chúng tôi đã ghi nhận."),
    503: N_("Dịch vụ tạm thời gián đoạn; thử lại sau ít phút."),
}
CSRF_TYPE = "csrf-refused"
CSRF_DETAIL = N_(
    "Thao tác ghi qua API cần mã truy cập (Authorization: Bearer); cookie đăng nhập "
    "không được dùng để ghi."
)


def problem_type(slug: str) -> str:
    return TYPE_BASE + slug


def problem(
    status: int,
    detail: str | None = None,
    *,
    slug: str | None = None,
    field: str | None = None,
    errors: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A problem+json response; `detail` is already in the caller's language."""
    known_slug, title = PROBLEMS.get(status, (f"http-{status}", N_("Lỗi")))
    body: dict[str, Any] = {
        "type": problem_type(slug or known_slug),
        "title": gettext(title),
        "status": status,
        "detail": detail if detail is not None else gettext(DETAILS.get(status, title)),
    }
    if field:
        body["field"] = field
    if errors:
        body["errors"] = errors
    response = current_app.response_class(
        json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_MIMETYPE
    )
    response.headers["Content-Language"] = "en" if gettext("Lỗi") == "Error" else "vi"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def from_http_error(error: HTTPException) -> Response:
    """Any HTTPException raised under /api/ (abort(), webargs' validation errors, routing,
    Flask-Limiter's 429) as a problem."""
    if isinstance(error, CSRFError):
        return problem(403, gettext(CSRF_DETAIL), slug=CSRF_TYPE)
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    headers = {k: v for k, v in (data.get("headers") or {}).items()}
    if status == 405:
        headers.update({k: v for k, v in error.get_headers() if k == "Allow"})
    messages = data.get("messages")
    if messages:
        # webargs: {location: {field: [messages]}}; the body's fields come first.
        errors: dict[str, Any] = {}
        for location in ("json", "query", "headers", "path", "form"):
            found = messages.get(location)
            if isinstance(found, dict):
                errors.update({str(name): text for name, text in found.items()})
            elif found:  # the body as a whole: not JSON, or not an object
                errors["_body"] = found
        first = next(iter(errors), None)
        return problem(422 if status in (400, 422) else status, field=first, errors=errors)
    detail = data.get("message")
    return problem(status, str(detail) if detail else None, headers=headers)


def from_domain_error(error: DomainError, status: int = 409, field: str | None = None) -> Response:
    """A service's refusal, with its message in the caller's language."""
    return problem(status, str(error), field=field)
