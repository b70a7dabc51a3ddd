"""Links to stored objects that still open when a person looks at a run weeks later.

A presigned S3 URL dies within 7 days, and it signs one object only: a Data Docs page opened
through one cannot load its sibling pages or its style sheets (403). So:

- images (loss curve, evaluation chart) go into artifacts as ``data:`` URIs: the PNG itself,
  kept by Prefect with the artifact, needing no link at all;
- every other link goes through the link server (``ftflow links serve``, started by
  ``ftflow devstack up``) when ``FTFLOW_LINKS_URL`` names it: ``<url>/s3/<bucket>/<key>`` never
  expires, and a page's relative links (Data Docs) resolve through the same server;
- without one, links are presigned (7 days) and carry their ``s3://`` URI as the markdown
  link title, so ``ftflow links resign`` can sign them again on request.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from urllib.parse import quote

from pydantic_settings import BaseSettings, SettingsConfigDict

from ftflow import s3

MAX_INLINE_IMAGE_BYTES = 2 * 1024 * 1024  # larger images are linked, not inlined
# `[text](URL "s3://bucket/key")`: a link whose title is the object it opens.
_TITLED_LINK = re.compile(r'\]\((?P<url>[^\s)]+) "(?P<uri>s3://[^"]+)"\)')


class LinkSettings(BaseSettings):
    """``FTFLOW_LINKS_URL``: the base URL of a running link server (``ftflow links serve``);
    unset: links are presigned and last 7 days."""

    model_config = SettingsConfigDict(env_prefix="FTFLOW_LINKS_")

    url: str | None = None


def server_url() -> str | None:
    """The link server's base URL, or None when none is configured."""
    url = LinkSettings().url
    return url.rstrip("/") if url else None


def server_path(uri: str) -> str:
    """The link server's path of an ``s3://`` object: ``/s3/<bucket>/<key>`` (quoted)."""
    bucket, key = s3.parse_uri(uri)
    return f"/s3/{quote(bucket)}/{quote(key)}"


def lasting() -> bool:
    """Do links made now outlive 7 days (a link server is configured)?"""
    return server_url() is not None


def link(uri: str) -> str:
    """A browser link to an ``s3://`` object: through the link server when one is configured
    (never expires), else presigned (7 days). A local path becomes a file:// link."""
    if not s3.is_s3_uri(uri):
        return Path(uri).resolve().as_uri()
    base = server_url()
    return base + server_path(uri) if base else s3.presign(uri)


def markdown_link(text: str, uri: str) -> str:
    """``[text](link "s3://…")``: the title names the object, so the link can be re-signed."""
    if not s3.is_s3_uri(uri):
        return f"[{text}]({link(uri)})"
    return f'[{text}]({link(uri)} "{uri}")'


def resign(markdown: str) -> tuple[str, int]:
    """Every titled link of ``markdown`` made again (fresh presigned URL, or the link server's
    lasting one when configured). Returns the new text and how many links it holds."""
    count = 0

    def fresh(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        uri = match["uri"]
        return f']({link(uri)} "{uri}")'

    return _TITLED_LINK.sub(fresh, markdown), count


def data_uri(data: bytes, mime: str = "image/png") -> str:
    """The bytes themselves as a ``data:`` URI (what an artifact can keep with it)."""
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def image_src(data: bytes, uri: str | None = None, mime: str = "image/png") -> str:
    """Where an artifact's image comes from: inline (``data:``) unless it is over
    MAX_INLINE_IMAGE_BYTES and stored somewhere, then a link to the stored copy."""
    if len(data) > MAX_INLINE_IMAGE_BYTES and uri is not None:
        return link(uri)
    return data_uri(data, mime)
