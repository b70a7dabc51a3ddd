"""Links that last, against the real local S3 (SeaweedFS): a presigned link opens one Data Docs
page only, the link server opens every page and static file of the site, and `ftflow links
resign` renews the links of a run's artifacts in place so that they open again."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from ftflow import links, s3
from ftflow.link_server import start_in_thread
from ftflow.tasks.publish.export import export_dataset

pytestmark = pytest.mark.integration


@pytest.fixture
def version(dataset, dest):
    """A published dataset version whose Data Docs has a sub-page and a style sheet."""
    static = dataset / "data_docs" / "static" / "styles"
    static.mkdir(parents=True)
    (static / "data_docs_custom_styles.css").write_text("body { color: #123; }\n")
    return export_dataset(dataset, dest, name="faq").uri


@pytest.fixture
def server(dest):
    srv = start_in_thread("127.0.0.1", 0, [dest])
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()


def test_presigned_opens_only_the_signed_page_the_link_server_opens_the_whole_site(version, server, dest):
    index = s3.join(version, "data_docs/index.html")
    signed = s3.presign(index)
    assert httpx.get(signed).status_code == 200
    # A page's relative link from the signed index, as a browser resolves it: no signature, 403.
    parts = urlsplit(signed)
    sibling = urlunsplit(parts._replace(path=parts.path.replace("index.html", "validations/train.html"), query=""))
    assert httpx.get(sibling).status_code == 403

    base = server.url + links.server_path(s3.join(version, "data_docs")) + "/"
    for rel, body, kind in [("", "docs a", "text/html"), ("index.html", "docs a", "text/html"),
                            ("validations/train.html", "train a", "text/html"),
                            ("static/styles/data_docs_custom_styles.css", "color: #123", "text/css")]:  # fmt: skip
        r = httpx.get(base + rel)
        assert r.status_code == 200, (rel, r.text)
        assert body in r.text
        assert r.headers["content-type"].startswith(kind)
    assert httpx.head(base + "index.html").headers["content-length"] == str(len("<html>docs a</html>"))
    assert httpx.get(base + "validations/missing.html").status_code == 404
    # Only what it was asked to share: another prefix of the same bucket is refused.
    bucket, _ = s3.parse_uri(dest)
    assert httpx.get(f"{server.url}/s3/{bucket}/elsewhere/secret.txt").status_code == 403
    assert httpx.get(f"{server.url}/s3/{bucket}/{dest.split('/', 3)[3]}/../x").status_code in (403, 404)


def test_links_sign_prints_a_working_link_as_json(version):
    uri = s3.join(version, "manifest.json")
    proc = subprocess.run([sys.executable, "-m", "ftflow.cli", "links", "sign", uri, "--seconds", "600", "--json"],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    (row,) = json.loads(proc.stdout)
    assert row["uri"] == uri
    assert row["lasting"] == ""
    r = httpx.get(row["presigned"])
    assert r.status_code == 200
    assert json.loads(r.text)["dataset_sha256"] in version


def test_resign_renews_a_runs_artifact_links_in_place(prefect_harness, dataset, version, server, monkeypatch):
    from prefect import flow
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
    from typer.testing import CliRunner

    from ftflow.cli import app
    from ftflow.flows import artifacts

    @flow(name="links-test")
    def publish_artifacts() -> None:
        artifacts.quality(dataset / "manifest.json", version)

    state = publish_artifacts(return_state=True)
    run_id = state.state_details.flow_run_id

    def dataset_markdown() -> str:
        with get_client(sync_client=True) as client:
            found = client.read_artifacts(artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run_id])))  # fmt: skip
        assert {a.key for a in found} >= {"dataset", "data-quality"}
        return next(a.data for a in found if a.key == "dataset")

    before = dataset_markdown()
    assert "Signature=" in before
    assert "other pages open through the link server" in before

    monkeypatch.setenv("FTFLOW_LINKS_URL", server.url)
    resigned = CliRunner().invoke(app, ["links", "resign", str(run_id), "--json"])  # in-process: the harness's API
    assert resigned.exit_code == 0, resigned.output
    assert [(r["key"], r["links"]) for r in json.loads(resigned.stdout)] == [("dataset", 2)]

    after = dataset_markdown()
    assert "Signature=" not in after
    docs = re.search(r'\[Data Docs\]\((\S+) "s3://', after)[1]
    assert docs.startswith(server.url + "/s3/")
    assert httpx.get(docs).status_code == 200
    assert httpx.get(docs.replace("index.html", "validations/train.html")).text == "<html>train a</html>"
    # --all finds it too (every run's markdown artifacts, page by page); lasting links stay as they are.
    again = {r["artifact"]: r for r in artifacts.resign(every=True, page=1)}
    assert json.loads(resigned.stdout)[0]["artifact"] in again
    assert dataset_markdown() == after
