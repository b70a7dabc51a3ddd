"""The link server: stable URLs for stored objects, ``GET /s3/<bucket>/<key>``.

It reads the object with its own S3 credentials and streams it back, so a link never expires
and a page's relative links (every Data Docs page, its style sheets and scripts) resolve
through the same server. A key ending in ``/`` serves that folder's ``index.html``.

It serves only objects under the prefixes it is given (``--allow s3://bucket[/prefix]``) and
has no authentication of its own: it binds 127.0.0.1 by default; to share it, put it behind
the proxy that authenticates your users. Run it with ``ftflow links serve`` (``ftflow devstack
up`` starts one) and point ``FTFLOW_LINKS_URL`` at it.
"""

from __future__ import annotations

import argparse
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

from botocore.exceptions import BotoCoreError, ClientError

from ftflow import s3

DEFAULT_PORT = 8710
CHUNK = 256 * 1024


def allowed(uri: str, allow: list[str]) -> bool:
    """Is ``uri`` inside one of the ``allow`` roots (``s3://bucket`` or ``s3://bucket/prefix``)?
    A prefix matches whole path segments only: ``s3://b/run`` does not allow ``s3://b/runs/x``."""
    for root in allow:
        root = root.rstrip("/")
        if uri == root or uri.startswith(root + "/"):
            return True
    return False


def object_uri(path: str) -> str | None:
    """The ``s3://`` object a request path names (``/s3/<bucket>/<key>``), or None when it names
    none. A folder (``…/``) means its index.html; ``.`` and ``..`` segments are refused."""
    parts = urlsplit(path).path.split("/")
    if len(parts) < 4 or parts[0] or parts[1] != "s3" or not parts[2]:
        return None
    bucket, key_parts = unquote(parts[2]), [unquote(p) for p in parts[3:]]
    if any(p in (".", "..") for p in key_parts):
        return None
    key = "/".join(key_parts)
    if key == "" or key.endswith("/"):
        key += "index.html"
    return s3.make_uri(bucket, key)


class _Handler(BaseHTTPRequestHandler):
    server: LinkServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def do_GET(self) -> None:
        self._serve(body=True)

    def _plain(self, status: HTTPStatus, text: str, body: bool = True) -> None:
        data = (text + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _serve(self, body: bool) -> None:
        if urlsplit(self.path).path in ("/", "/healthz"):
            return self._plain(HTTPStatus.OK, "ftflow link server: GET /s3/<bucket>/<key>", body)
        uri = object_uri(self.path)
        if uri is None:
            return self._plain(HTTPStatus.NOT_FOUND, "not an object path: use /s3/<bucket>/<key>", body)
        if not allowed(uri, self.server.allow):
            return self._plain(HTTPStatus.FORBIDDEN, f"{uri} is outside what this server shares", body)
        bucket, key = s3.parse_uri(uri)
        try:
            client = s3.client()
            r = client.head_object(Bucket=bucket, Key=key) if not body else client.get_object(Bucket=bucket, Key=key)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in ("404", "NoSuchKey", "NotFound", "NoSuchBucket"):
                return self._plain(HTTPStatus.NOT_FOUND, f"no such object: {uri}", body)
            if code in ("403", "AccessDenied"):
                return self._plain(HTTPStatus.FORBIDDEN, f"access denied to {uri}", body)
            return self._plain(HTTPStatus.BAD_GATEWAY, str(s3.describe_error(exc, uri, None)), body)
        except BotoCoreError as exc:
            return self._plain(HTTPStatus.BAD_GATEWAY, str(s3.describe_error(exc, uri, None)), body)
        except s3.StorageError as exc:  # the client could not be made (e.g. a bad credentials block)
            return self._plain(HTTPStatus.BAD_GATEWAY, str(exc), body)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", r.get("ContentType") or "application/octet-stream")
        self.send_header("Content-Length", str(r["ContentLength"]))
        if r.get("ETag"):
            self.send_header("ETag", r["ETag"])
        self.send_header("Cache-Control", "private, max-age=60")
        self.end_headers()
        if body:
            stream = r["Body"]
            try:
                while chunk := stream.read(CHUNK):
                    self.wfile.write(chunk)
            finally:
                stream.close()


class LinkServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str, port: int, allow: list[str], *, verbose: bool = False) -> None:
        if not allow:
            raise ValueError("the link server needs at least one s3:// root to share (--allow)")
        for root in allow:
            s3.parse_uri(root)  # a clear error for anything but s3://bucket[/prefix]
        self.allow = list(allow)
        self.verbose = verbose
        super().__init__((host, port), _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


def start_in_thread(host: str, port: int, allow: list[str]) -> LinkServer:
    """A server answering in a background thread (tests, embedding); ``shutdown()`` stops it."""
    server = LinkServer(host, port, allow)
    threading.Thread(target=server.serve_forever, name="ftflow-link-server", daemon=True).start()
    return server


def main(argv: list[str] | None = None) -> None:
    """``python -m ftflow.link_server --allow s3://bucket [--host H] [--port N]`` (devstack)."""
    parser = argparse.ArgumentParser(prog="ftflow.link_server", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--allow", action="append", required=True, help="s3://bucket[/prefix] to share")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    server = LinkServer(args.host, args.port, args.allow, verbose=args.verbose)
    print(f"ftflow link server at {server.url}, sharing {', '.join(args.allow)}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
