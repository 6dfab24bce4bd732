"""Requests larger than MAX_CONTENT_LENGTH get the friendly 413 page, not a 500."""

from __future__ import annotations


def test_oversized_body_is_refused_with_413(app, client):
    too_big = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/account/login", data=too_big, content_type="application/octet-stream")
    assert response.status_code == 413
    assert "Tệp gửi lên quá lớn" in response.get_data(as_text=True)
