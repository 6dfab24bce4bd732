"""Media go through one store (storefront/storage.py): the local one on MEDIA_ROOT, and
any other swapped in without touching the domains (shown with an in-memory store that
publishes on a CDN address)."""

from __future__ import annotations

import io
import threading

import pytest
from sqlalchemy import select

from storefront.catalog.models import ProductPhoto
from storefront.config import ConfigError, load_config
from storefront.storage import LocalMediaStorage, MediaStorage, from_config
from tests.producers.helpers import jpeg_bytes
from tests.producers.test_workspace_pages import _signed_in, _token, shop  # noqa: F401


class MemoryStorage:
    """What an S3-compatible store would be: bytes by key, public on another host."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def save(self, path: str, data: bytes) -> None:
        self.files.setdefault(path, data)

    def read(self, path: str) -> bytes:
        if path not in self.files:
            raise FileNotFoundError(path)
        return self.files[path]

    def exists(self, path: str) -> bool:
        return path in self.files

    def url(self, path: str, external: bool = False) -> str:
        return f"https://cdn.example.vn/{path}"

    def delete(self, path: str) -> None:
        self.files.pop(path, None)


def test_the_local_store_keeps_files_under_its_root(tmp_path):
    store: MediaStorage = LocalMediaStorage(tmp_path / "media")
    store.save("products/a.jpg", b"first")
    store.save("products/a.jpg", b"second")  # a content-hashed name: the same bytes
    assert store.read("products/a.jpg") == b"first"
    assert store.exists("products/a.jpg") and not store.exists("products/b.jpg")
    store.delete("products/a.jpg")
    store.delete("products/a.jpg")  # already gone: nothing happens
    assert not store.exists("products/a.jpg")
    with pytest.raises(FileNotFoundError):
        store.read("products/a.jpg")
    assert list((tmp_path / "media").rglob("*.part")) == []


@pytest.mark.parametrize(
    "path", ["../outside.jpg", "/etc/passwd", "products/../../x", "", "products/" + "x" * 5000]
)
def test_the_local_store_refuses_paths_that_leave_it(tmp_path, path):
    (tmp_path / "outside.jpg").write_bytes(b"secret")
    store = LocalMediaStorage(tmp_path / "media")
    with pytest.raises(OSError):  # FileNotFoundError, or the name is too long
        store.save(path, b"x")
    with pytest.raises(FileNotFoundError):
        store.read(path)
    assert not store.exists(path)
    store.delete(path)
    assert (tmp_path / "outside.jpg").read_bytes() == b"secret"


def test_two_servers_saving_the_same_file_at_once_leave_it_whole(tmp_path):
    """Two app servers on one shared volume may save the same photo at the same time."""
    data = b"\xff" * 2_000_000
    stores = [LocalMediaStorage(tmp_path), LocalMediaStorage(tmp_path)]
    threads = [
        threading.Thread(target=store.save, args=("products/same.jpg", data)) for store in stores
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (tmp_path / "products" / "same.jpg").read_bytes() == data
    assert list(tmp_path.rglob("*.part")) == []


def test_the_store_is_chosen_from_the_settings(tmp_path):
    config = load_config({"MEDIA_ROOT": str(tmp_path)}, str(tmp_path))
    assert config["MEDIA_STORAGE"] == "local"
    store = from_config(config)
    assert isinstance(store, LocalMediaStorage) and store.root == tmp_path
    with pytest.raises(ConfigError, match="MEDIA_STORAGE"):
        load_config({"MEDIA_STORAGE": "ftp"}, str(tmp_path))


def test_a_producers_upload_goes_to_the_configured_store(app, client, session, shop):  # noqa: F811
    """Swap the store: the domains' upload, the pages' addresses, the /media/ route and
    the deletion all follow, with no change outside storefront/storage.py."""
    memory = MemoryStorage()
    local = app.extensions["media_storage"]
    app.extensions["media_storage"] = memory
    try:
        mine, _, product, _ = shop
        _signed_in(client)
        edit = f"/producer/{mine.id}/products/{product.id}"
        page = client.post(
            f"{edit}/photos",
            data={
                "csrf_token": _token(client, edit),
                "photo": (io.BytesIO(jpeg_bytes()), "photo.jpg"),
                "alt": "Hũ mật ong",
            },
            content_type="multipart/form-data",
            follow_redirects=True,
        )
        assert "Đã thêm ảnh." in page.text
        photo = session.execute(select(ProductPhoto)).scalar_one()
        assert memory.exists(photo.path) and memory.exists(photo.thumbnail)
        assert not local.exists(photo.path)  # nothing went to MEDIA_ROOT
        product_page = client.get(f"/products/{product.slug}").text
        assert f"https://cdn.example.vn/{photo.path}" in product_page
        assert f'"/media/{photo.path}"' not in product_page
        served = client.get(f"/media/{photo.path}")  # the route reads the store too
        assert served.status_code == 200 and served.data == memory.files[photo.path]
        assert client.get("/media/products/nothing.jpg").status_code == 404
        assert client.get("/media/products/" + "x" * 5000).status_code == 404

        deleted = client.post(
            f"/producer/{mine.id}/photos/{photo.id}/delete",
            data={"csrf_token": _token(client, edit)},
        )
        assert deleted.status_code == 302
        assert not memory.exists(photo.path) and not memory.exists(photo.thumbnail)
    finally:
        app.extensions["media_storage"] = local


def test_the_local_media_route_answers_404_for_names_it_cannot_hold(client):
    assert client.get("/media/products/" + "x" * 5000 + ".jpg").status_code == 404
    assert client.get("/media/../instance/storefront.db").status_code == 404


def test_the_media_route_answers_not_modified_for_a_known_file(app, client):
    store = app.extensions["media_storage"]
    store.save("products/known.jpg", jpeg_bytes())
    first = client.get("/media/products/known.jpg")
    assert first.status_code == 200 and first.headers["ETag"]
    assert "max-age=31536000" in first.headers["Cache-Control"]
    again = client.get(
        "/media/products/known.jpg", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    store.delete("products/known.jpg")


@pytest.mark.parametrize("mount", ["", "/shop"])
def test_media_urls_are_what_url_for_builds(app, mount):
    """The local store builds media URLs from a prefix worked out once per mount point:
    the same as url_for, quoting included."""
    from flask import url_for

    from storefront.storage import media_url

    paths = ["products/a b#c?.jpg", "products/ảnh-đẹp.png", "x/y/z%20.jpg", "p/100%.webp"]
    with app.test_request_context("/", base_url=f"http://shop.example{mount}/"):
        for path in paths:
            assert media_url(path) == url_for("site.media", filename=path)
            assert media_url(path).startswith(f"{mount}/media/")
        assert media_url(paths[0], external=True) == url_for(
            "site.media", filename=paths[0], _external=True
        )
