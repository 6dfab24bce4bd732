"""Uploaded images and documents: checked by decoding, re-encoded, stored under server names.

Nothing a visitor uploads is stored as sent except a PDF that passed the structure
check. Images are decoded by Pillow (JPEG, PNG or WebP only, at most MAX_UPLOAD_BYTES
and MAX_PIXELS), turned upright, re-encoded as JPEG in the sizes the pages use (which
drops EXIF, GPS and any other metadata) and saved as <folder>/<content hash>.jpg in the
media store (storefront/storage.py: MEDIA_ROOT, on a volume every app server shares).
The original file name is never used. Each function takes the store, or a folder for
scripts and tests.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from storefront.errors import DomainError
from storefront.i18n import N_
from storefront.storage import MediaStorage, as_storage

Store = MediaStorage | str | Path

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 25_000_000
MIN_PHOTO_SIDE = 200
PHOTO_MAX_SIDE = 1200  # the product page's gallery
THUMB_MAX_SIDE = 320  # the producer's photo list
SCAN_MAX_SIDE = 2000  # certificate scans stay readable
IMAGE_FORMATS = ("JPEG", "PNG", "WEBP")
MAX_PDF_PAGES = 20
MAX_PDF_OBJECTS = 20_000

# PDF keys and action types that run code, open other programs or carry other files.
_PDF_FORBIDDEN_KEYS = {
    "/JS",
    "/JavaScript",
    "/Launch",
    "/EmbeddedFile",
    "/EmbeddedFiles",
    "/RichMedia",
    "/XFA",
}
_PDF_FORBIDDEN_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/ImportData",
    "/SubmitForm",
    "/GoToE",
    "/Rendition",
    "/RichMediaExecute",
}


class UploadRefused(DomainError):
    """An uploaded file the shop will not store; nothing was written."""


@dataclass(frozen=True)
class StoredImage:
    path: str  # relative to MEDIA_ROOT
    width: int
    height: int


def read_upload(stream: IO[bytes], limit: int = MAX_UPLOAD_BYTES) -> bytes:
    """The uploaded bytes, refusing an empty file or one larger than `limit`."""
    data = stream.read(limit + 1)
    if not data:
        raise UploadRefused(N_("Vui lòng chọn một tệp."))
    if len(data) > limit:
        raise UploadRefused(
            N_("Tệp lớn quá %(mb)s MB, vui lòng chọn tệp nhỏ hơn."), mb=limit // (1024 * 1024)
        )
    return data


def decode_image(data: bytes) -> Image.Image:
    """Decode JPEG, PNG or WebP bytes fully, upright; refuse anything else, a broken
    file, or more than MAX_PIXELS (checked from the header, before decoding)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=IMAGE_FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _too_many_pixels() from exc
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
            raise UploadRefused(N_("Tệp không phải ảnh JPEG, PNG hoặc WebP.")) from exc
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise _too_many_pixels()
        try:
            image.load()
            return ImageOps.exif_transpose(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _too_many_pixels() from exc
        except (OSError, ValueError, SyntaxError, EOFError, MemoryError) as exc:
            raise UploadRefused(N_("Ảnh bị hỏng hoặc không đọc được.")) from exc


def _too_many_pixels() -> UploadRefused:
    return UploadRefused(
        N_("Ảnh quá lớn: tối đa %(mp)s triệu điểm ảnh."), mp=MAX_PIXELS // 1_000_000
    )


def _as_jpeg(image: Image.Image, max_side: int) -> tuple[bytes, int, int]:
    """RGB on white (for transparent images), no larger than max_side, as JPEG bytes."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
    else:
        flat = image.convert("RGB")
    flat.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    # Only the pixels go on: Pillow carries an upload's comment (COM) and other segments
    # it read into `info` over to the saved file, so save a fresh image that has none.
    pixels = Image.frombytes("RGB", flat.size, flat.tobytes())
    buffer = io.BytesIO()
    pixels.save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    return buffer.getvalue(), pixels.width, pixels.height


def _save(store: Store, relative: str, data: bytes) -> None:
    as_storage(store).save(relative, data)


def _hashed_name(folder: str, data: bytes, extension: str) -> str:
    return f"{folder}/{hashlib.sha256(data).hexdigest()[:32]}.{extension}"


class _StoredPhoto(Protocol):
    @property
    def path(self) -> str: ...
    @property
    def width(self) -> int: ...
    @property
    def height(self) -> int: ...


class HasThumbnail:
    """The small copy of a stored photo (its `path`, `width` and `height`) that cards
    show: for the photo rows and for the plain rows cards read (catalog.card_rows)."""

    __slots__ = ()

    @property
    def thumbnail(self: _StoredPhoto) -> str:
        """The media path of the small copy (at most 320 px a side) that cards show."""
        return thumbnail_path(self.path)

    @property
    def thumbnail_size(self: _StoredPhoto) -> tuple[int, int]:
        return thumbnail_size(self.width, self.height)


def thumbnail_path(path: str) -> str:
    """Where store_photo put the small copy of a photo."""
    stem, _, extension = path.rpartition(".")
    return f"{stem}-thumb.{extension}"


def thumbnail_size(width: int, height: int) -> tuple[int, int]:
    """The size of a photo's small copy: no side over THUMB_MAX_SIDE, the same shape
    (as Pillow's thumbnail() computes it)."""
    if max(width, height) <= THUMB_MAX_SIDE:
        return width, height
    if width >= height:
        return THUMB_MAX_SIDE, max(1, round(height * THUMB_MAX_SIDE / width))
    return max(1, round(width * THUMB_MAX_SIDE / height)), THUMB_MAX_SIDE


def store_copies(media_root: Store, path: str, data: bytes) -> None:
    """Save the small copy and the sharing picture of a product photo already stored at
    `path` (for photos the shop made itself, such as the demo's; uploads go through
    store_photo)."""
    small, _, _ = _as_jpeg(decode_image(data), THUMB_MAX_SIDE)
    _save(media_root, thumbnail_path(path), small)
    make_share_image(media_root, path, data)


def store_photo(media_root: Store, data: bytes, folder: str = "products") -> StoredImage:
    """Check and re-encode an uploaded photo; save it and its thumbnail; return where."""
    image = decode_image(data)
    if min(image.size) < MIN_PHOTO_SIDE:
        raise UploadRefused(N_("Ảnh quá nhỏ: cần ít nhất %(n)s×%(n)s điểm ảnh."), n=MIN_PHOTO_SIDE)
    large, width, height = _as_jpeg(image, PHOTO_MAX_SIDE)
    small, _, _ = _as_jpeg(image, THUMB_MAX_SIDE)
    path = _hashed_name(folder, large, "jpg")
    _save(media_root, path, large)
    _save(media_root, thumbnail_path(path), small)
    if folder in SHARED_FOLDERS:
        make_share_image(media_root, path, large)  # made here: no page has to make it
    return StoredImage(path=path, width=width, height=height)


def check_pdf(data: bytes) -> None:
    """Refuse a PDF that is malformed, encrypted, too long, or that carries JavaScript,
    launch or submit actions, embedded files or XFA forms anywhere in its objects."""
    if not data[:1024].lstrip().startswith(b"%PDF-"):
        raise UploadRefused(N_("Tệp không phải PDF hợp lệ."))
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise UploadRefused(N_("Không nhận tệp PDF có mật khẩu."))
        pages = len(reader.pages)
        if not 1 <= pages <= MAX_PDF_PAGES:
            raise UploadRefused(N_("Tệp PDF cần từ 1 đến %(n)s trang."), n=MAX_PDF_PAGES)
        _check_pdf_objects(reader.trailer)
    except UploadRefused:
        raise
    except Exception as exc:  # pypdf raises many kinds on malformed input; all mean "broken"
        raise UploadRefused(N_("Tệp PDF bị hỏng hoặc không đọc được.")) from exc


def _check_pdf_objects(root: DictionaryObject) -> None:
    """Walk every object reachable from the trailer (names are already decoded, so
    /J#61vaScript is caught too)."""
    stack: list[object] = [root]
    seen: set[tuple[int, int]] = set()
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            raise UploadRefused(N_("Tệp PDF quá phức tạp."))
        if isinstance(item, DictionaryObject):
            for name, value in dict.items(item):
                if name in _PDF_FORBIDDEN_KEYS:
                    raise _pdf_active_content()
                if name == "/S" and isinstance(value, NameObject):
                    if value in _PDF_FORBIDDEN_ACTIONS:
                        raise _pdf_active_content()
                if name == "/Subtype" and value in ("/FileAttachment", "/RichMedia", "/Screen"):
                    raise _pdf_active_content()
                stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(list.__iter__(item))


def _pdf_active_content() -> UploadRefused:
    return UploadRefused(
        N_("Tệp PDF chứa mã lệnh, tệp đính kèm hoặc hành động tự chạy: không được nhận.")
    )


def store_document(media_root: Store, data: bytes, folder: str = "certificates") -> str:
    """Store a certificate scan: a checked PDF as it is, or an image re-encoded as JPEG.
    Returns the path relative to MEDIA_ROOT."""
    if data[:1024].lstrip().startswith(b"%PDF-"):
        check_pdf(data)
        path = _hashed_name(folder, data, "pdf")
        _save(media_root, path, data)
        return path
    image = decode_image(data)
    encoded, _, _ = _as_jpeg(image, SCAN_MAX_SIDE)
    path = _hashed_name(folder, encoded, "jpg")
    _save(media_root, path, encoded)
    return path


def remove_stored(media_root: Store, path: str) -> None:
    """Delete a stored file (and a photo's thumbnail and sharing picture); the caller
    checked nothing else refers to it. Paths outside the store are ignored."""
    store = as_storage(media_root)
    for relative in (path, thumbnail_path(path), share_image_path(path)):
        store.delete(relative)


SHARE_SIZE = (1200, 630)  # what Facebook, Zalo and X show for a shared link
# The folders whose photos a shared link shows (products, fair banners): their sharing
# pictures are made when the photo is stored, and pages only name them.
SHARED_FOLDERS = frozenset({"products", "fairs"})


def share_image_path(path: str) -> str:
    """Where the 1200×630 sharing picture of a stored photo is kept."""
    stem, _, _ = path.rpartition(".")
    return f"share/{stem.replace('/', '-')}.jpg"


def make_share_image(media_root: Store, path: str, source: bytes | None = None) -> bool:
    """Make the sharing picture of a stored photo (cropped to fill 1200×630) unless it is
    there already; `source`: the photo's bytes, when the caller holds them (else they are
    read back from the store). False when the photo is missing or cannot be read."""
    relative = share_image_path(path)
    store = as_storage(media_root)
    if store.exists(relative):
        return True
    if source is None:
        try:
            source = store.read(path)
        except FileNotFoundError:
            return False
    try:
        with Image.open(io.BytesIO(source)) as image:
            image.load()
            picture = ImageOps.fit(image.convert("RGB"), SHARE_SIZE, Image.Resampling.LANCZOS)
    except (OSError, ValueError, Image.DecompressionBombError):
        return False
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    store.save(relative, buffer.getvalue())
    return True
