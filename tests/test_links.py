"""Links that last (ftflow/links.py) and the link server's request parsing (ftflow/link_server.py),
without a network: presigning is computed locally from the credentials."""

from __future__ import annotations

import base64
from urllib.parse import urlsplit

import pytest

from ftflow import links
from ftflow.link_server import allowed, object_uri


@pytest.fixture
def offline_s3(monkeypatch):
    """Credentials and an endpoint that is never contacted (presigning is local)."""
    for key, value in {"AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s", "AWS_DEFAULT_REGION": "us-east-1",
                       "AWS_ENDPOINT_URL": "http://127.0.0.1:9"}.items():  # fmt: skip
        monkeypatch.setenv(key, value)
    for key in ("AWS_PROFILE", "AWS_ENDPOINT_URL_S3", "FTFLOW_LINKS_URL"):
        monkeypatch.delenv(key, raising=False)


def test_without_a_link_server_links_are_presigned_and_titled_with_their_object(offline_s3):
    md = links.markdown_link("Data Docs", "s3://b/datasets/x/data_docs/index.html")
    assert md.startswith("[Data Docs](http://127.0.0.1:9/b/datasets/x/data_docs/index.html?")
    assert "Signature=" in md
    assert "Expires=" in md
    assert md.endswith(' "s3://b/datasets/x/data_docs/index.html")')
    assert not links.lasting()


def test_with_a_link_server_links_never_expire_and_keys_are_quoted(offline_s3, monkeypatch):
    monkeypatch.setenv("FTFLOW_LINKS_URL", "http://links.example:8710/")
    uri = "s3://b/runs/r 1/loss curve#2.png"
    assert links.lasting()
    url = links.link(uri)
    assert url == "http://links.example:8710/s3/b/runs/r%201/loss%20curve%232.png"
    assert object_uri(urlsplit(url).path) == uri  # the server reads back exactly that object


def test_resign_renews_every_titled_link_and_leaves_others_alone(offline_s3, monkeypatch):
    old = (
        '- [Data Docs](http://old/expired?X-Amz-Signature=dead "s3://b/v/data_docs/index.html"), '
        '[manifest](http://old/m?sig "s3://b/v/manifest.json")\n- [elsewhere](https://example.com/x)'
    )
    fresh, count = links.resign(old)
    assert count == 2
    assert "http://old/" not in fresh
    assert "https://example.com/x" in fresh
    assert "/b/v/manifest.json?" in fresh
    assert "Signature=" in fresh
    monkeypatch.setenv("FTFLOW_LINKS_URL", "http://127.0.0.1:8710")
    lasting, count = links.resign(fresh)
    assert count == 2
    assert '[manifest](http://127.0.0.1:8710/s3/b/v/manifest.json "s3://b/v/manifest.json")' in lasting
    assert links.resign(lasting) == (lasting, 2)  # idempotent once lasting
    assert links.resign("no links here") == ("no links here", 0)


def test_images_are_inlined_unless_too_big(offline_s3):
    png = b"\x89PNG\r\n\x1a\n" + bytes(100)
    src = links.image_src(png, "s3://b/runs/r/loss_curve.png")
    assert src.startswith("data:image/png;base64,")
    assert base64.b64decode(src.split(",", 1)[1]) == png
    big = bytes(links.MAX_INLINE_IMAGE_BYTES + 1)
    assert "/b/runs/r/loss_curve.png?" in links.image_src(big, "s3://b/runs/r/loss_curve.png")
    assert links.image_src(big).startswith("data:")  # nothing stored to link to: inline anyway


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("/s3/b/datasets/x/data_docs/index.html", "s3://b/datasets/x/data_docs/index.html"),
        ("/s3/b/datasets/x/data_docs/", "s3://b/datasets/x/data_docs/index.html"),
        ("/s3/b/a%20b.css?v=1", "s3://b/a b.css"),
        ("/s3/b/x/../../other/secret", None),
        ("/s3/b/./x", None),
        ("/s3//key", None),
        ("/files/b/key", None),
        ("/s3/b", None),
    ],
)
def test_request_paths_name_one_object_or_none(path, uri):
    assert object_uri(path) == uri


def test_only_objects_under_a_shared_root_are_served():
    allow = ["s3://b/team/run", "s3://other"]
    assert allowed("s3://b/team/run/data_docs/index.html", allow)
    assert allowed("s3://other/anything", allow)
    assert not allowed("s3://b/team/runs/x", allow)  # whole segments only
    assert not allowed("s3://b/team/x", allow)
    assert not allowed("s3://others/x", allow)
