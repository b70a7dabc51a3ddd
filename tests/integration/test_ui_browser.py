"""The Prefect UI as a person uses it, in a real browser (Debian's chromium driven by Playwright)
against the stack of `ftflow devstack up --prefect`: a Custom run of `retrain` from the form,
its artifacts (loss curve inline, Data Docs pages through the link server), and a paused run approved through its form.

Screenshots go to $FTFLOW_UI_SHOTS (default: a temp folder); the test prints where.
FTFLOW_UI_TEST_DEVSTACK=<state dir> reuses a running `ftflow devstack up --prefect` stack
instead of starting one (quicker while working on this test).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urljoin

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterName, LogFilter, LogFilterFlowRunId

from ftflow import devstack, s3
from tests.helpers import prefect_api

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("FTFLOW_CHROMIUM", "/usr/bin/chromium")
RUN_TIMEOUT_MS = 240_000

if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
    if os.environ.get("CI"):  # CI must run this test: scripts/test.sh installs chromium
        raise RuntimeError(f"chromium not found at {CHROMIUM}: apt-get install -y chromium")
    pytest.skip("no chromium (apt-get install -y chromium); CI runs this test", allow_module_level=True)

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

from tests.integration.test_e2e_prefect import stack  # noqa: E402, F401  (the same stack fixture, reused)


@pytest.fixture(scope="module")
def ui_stack(request):
    """(state dir, UI URL): a running devstack to reuse, else the stack of test_e2e_prefect."""
    reuse = os.environ.get("FTFLOW_UI_TEST_DEVSTACK")
    if not reuse:
        sd = request.getfixturevalue("stack")
        yield sd, devstack.env_exports(sd)["PREFECT_API_URL"].removesuffix("/api")
        return
    with pytest.MonkeyPatch.context() as mp:
        exports = devstack.env_exports(reuse)
        for key, value in exports.items():
            mp.setenv(key, value)
        mp.setenv("FTFLOW_DEVSTACK_DIR", reuse)
        with prefect_api(exports["PREFECT_API_URL"]):
            yield Path(reuse), exports["PREFECT_API_URL"].removesuffix("/api")


@pytest.fixture(scope="module")
def shots():
    folder = Path(os.environ.get("FTFLOW_UI_SHOTS") or tempfile.mkdtemp(prefix="ftflow-ui-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {folder}")
    return folder


@pytest.fixture(scope="module")
def inputs(ui_stack, tmp_path_factory):
    """300 generated Q&A rows under ui/ (not landing/: the watch would start runs of its own)."""
    raw = tmp_path_factory.mktemp("ui-raw")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "300", str(raw), "--seed", "5"],
                   check=True, capture_output=True)  # fmt: skip
    uri = f"s3://{os.environ['FTFLOW_BUCKET']}/ui/{uuid.uuid4().hex[:8]}/batch.jsonl"
    s3.upload_file(raw / "examples.jsonl", uri)
    return uri


@pytest.fixture
def page(ui_stack, shots, request):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"])
        pg = browser.new_page(viewport={"width": 1400, "height": 1000})
        pg.set_default_timeout(30_000)
        try:
            yield pg
        finally:  # what the page showed last (where a failure happened)
            pg.screenshot(path=str(shots / f"{request.node.name}-last.png"))
            browser.close()


def shot(pg: Page, shots: Path, name: str) -> None:
    pg.screenshot(path=str(shots / f"{name}.png"))


def field(pg: Page, label: str):
    """The innermost form property whose label is exactly ``label`` (e.g. 'Suffix (Optional)')."""
    name = pg.locator(".schema-form-property__label", has_text=re.compile(rf"^{re.escape(label)}$", re.IGNORECASE))
    return pg.locator(".schema-form-property").filter(has=name).last


def open_custom_run(pg: Page, ui: str, deployment: str, ready: str = "Suffix (Optional)") -> None:
    """Deployments → the deployment → Run → Custom run, until the form shows the field ``ready``."""
    pg.goto(f"{ui}/deployments")
    pg.get_by_role("link", name=deployment, exact=True).first.click()
    pg.get_by_role("button", name="Run", exact=True).click()
    pg.get_by_role("button", name="Custom run").click()
    expect(field(pg, ready)).to_be_visible()


def fill_retrain_form(pg: Page, inputs: str, suffix: str, max_cost: str, approval_above: str | None = None) -> None:
    data_inputs = field(pg, "Inputs (Optional)")
    data_inputs.get_by_role("button", name="Add item").click()
    data_inputs.locator("textarea, input[type=text]").first.fill(inputs)
    sfx = field(pg, "Suffix (Optional)")
    sfx.get_by_role("button", name="str", exact=True).click()
    sfx.locator("textarea, input[type=text]").first.fill(suffix)
    cost = field(pg, "Max Cost Usd (Optional)")
    cost.get_by_role("button", name="float", exact=True).click()
    cost.locator("input[type=number]").fill(max_cost)
    if approval_above is not None:
        approval = field(pg, "Approval Above Usd (Optional)")
        approval.get_by_role("button", name="float", exact=True).click()
        approval.locator("input[type=number]").fill(approval_above)


def submit(pg: Page) -> str:
    """Submit the Custom run form and open the new run's page; returns the run's id.

    On a loaded machine the first submission sometimes gets an error toast and the form stays;
    a person presses Submit again, and so does this (only when no run of that name exists)."""
    name = pg.locator("input[type=text]").first.input_value()  # the form's Run Name
    ui = pg.url.split("/deployments/")[0]
    for attempt in range(2):
        pg.get_by_role("button", name="Submit").click()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with get_client(sync_client=True) as client:
                runs = client.read_flow_runs(flow_run_filter=FlowRunFilter(name=FlowRunFilterName(any_=[name])))
            if runs:
                pg.goto(f"{ui}/runs/flow-run/{runs[0].id}")
                return str(runs[0].id)
            if attempt == 0 and pg.get_by_text("Something went wrong").count():
                break
            time.sleep(1)
        print(f"submit #{attempt + 1} of {name!r} made no run; page says: {pg.locator('.p-toast').all_inner_texts()}")
    raise AssertionError(f"the Custom run form made no run named {name!r}")


def flow_run(run_id: str):
    """The run as the API has it (the sync client: Playwright's sync API owns this thread's event loop)."""
    with get_client(sync_client=True) as client:
        return client.read_flow_run(uuid.UUID(run_id))


def wait_for_state(pg: Page, run_id: str, state: str, timeout_ms: int = RUN_TIMEOUT_MS) -> None:
    """Wait until the run page shows ``state`` (reloading now and then, as a person would)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        run = flow_run(run_id)
        if run.state and run.state.name == state:
            pg.reload()
            expect(pg.get_by_text(state, exact=True).first).to_be_visible()
            return
        if run.state and run.state.is_final():
            raise AssertionError(f"run ended {run.state.name}: {run.state.message}")
        time.sleep(2)
    raise AssertionError(f"run {run_id} not {state} after {timeout_ms / 1000:g}s: {flow_run(run_id).state}")


def artifact_link(pg: Page, key: str):
    """The run's Artifacts tab lists each artifact as a link: its type, key, creation time, description."""
    return pg.locator(
        "a[href*='/artifacts/artifact/']", has_text=re.compile(rf"^(markdown|table|image){re.escape(key)}Created")
    )


def open_artifact(pg: Page, run_page: str, key: str) -> None:
    """Open one artifact from the run page's Artifacts tab."""
    if pg.url != run_page:
        pg.goto(run_page)
        pg.get_by_text("Artifacts", exact=True).first.click()
    artifact_link(pg, key).first.click()
    pg.wait_for_url(re.compile(r"/artifacts/artifact/"))


@pytest.mark.timeout(600)
def test_custom_run_from_the_form_completes_and_shows_its_artifacts(ui_stack, inputs, page, shots):
    _, ui = ui_stack
    open_custom_run(page, ui, "retrain")
    fill_retrain_form(page, inputs, suffix="browser", max_cost="5")
    shot(page, shots, "01-custom-run-form")
    run_id = submit(page)
    run = flow_run(run_id)
    assert run.parameters["config"]["data"]["inputs"] == [inputs]
    assert run.parameters["config"]["finetune"]["suffix"] == "browser"
    assert run.parameters["config"]["finetune"]["max_cost_usd"] == 5
    wait_for_state(page, run_id, "Completed")
    shot(page, shots, "02-run-completed")

    run_page = page.url
    page.get_by_text("Artifacts", exact=True).first.click()
    for key in (
        "dataset",
        "data-quality",
        "quality-gate",
        "fine-tune",
        "loss-curve",
        "evaluation-report",
        "evaluation-metrics",
        "evaluation-chart",
        "retrain-summary",
    ):
        expect(artifact_link(page, key)).to_be_visible()
    shot(page, shots, "03-artifacts")

    open_artifact(page, run_page, "fine-tune")
    expect(page.get_by_text(re.compile(r"Fine-tune ftjob-")).first).to_be_visible()
    expect(page.get_by_text(re.compile(r":browser:")).first).to_be_visible()
    curve = page.locator("img[alt='loss curve']")
    expect(curve).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=curve.element_handle())
    assert curve.evaluate("img => img.naturalWidth") > 100
    assert curve.get_attribute("src").startswith("data:image/png;base64,")  # the PNG itself: nothing to expire
    shot(page, shots, "04-fine-tune-artifact")

    open_artifact(page, run_page, "loss-curve")  # the same PNG as an image artifact
    image = page.locator(".artifact-data-image img")
    expect(image).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert image.evaluate("img => img.naturalWidth") > 100
    shot(page, shots, "04b-loss-curve-image-artifact")

    open_artifact(page, run_page, "dataset")
    expect(page.get_by_text(re.compile(r"rows read \d+, kept \d+, quarantined \d+")).first).to_be_visible()
    shot(page, shots, "05-dataset-artifact")
    docs = page.get_by_role("link", name="Data Docs").first.get_attribute("href")
    open_data_docs(page, docs, shots)
    open_artifact(page, run_page, "data-quality")
    expect(page.get_by_text("rows in batch.jsonl").first).to_be_visible()
    shot(page, shots, "06-data-quality-artifact")
    open_artifact(page, run_page, "evaluation-report")
    expect(page.get_by_text(re.compile(r"token_f1")).first).to_be_visible()
    shot(page, shots, "07-evaluation-artifact")


def open_data_docs(pg: Page, href: str, shots: Path) -> None:
    """Data Docs as a whole through the link server: the index, the pages it links to (its table
    is drawn by scripts from CDNs, blocked here, so their links are read from its source), a link
    back from a page, and a static file."""
    assert href.startswith(os.environ["FTFLOW_LINKS_URL"] + "/s3/"), href  # a link that does not expire
    pg.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())  # no internet: skip CDNs
    response = pg.goto(href, wait_until="domcontentloaded")
    assert response is not None
    assert response.status == 200
    shot(pg, shots, "05b-data-docs")
    pages = sorted(set(re.findall(r"""["']((?:validations|expectations)/[^"']+\.html)["']""", pg.content())))
    assert any(p.startswith("validations/") for p in pages), pages
    assert any(p.startswith("expectations/") for p in pages), pages
    assert pg.request.get(urljoin(href, "static/images/favicon.ico")).status == 200
    for rel in pages:
        response = pg.goto(urljoin(href, rel), wait_until="domcontentloaded")
        assert response is not None
        assert response.status == 200, rel
    shot(pg, shots, "05c-data-docs-page")
    back = pg.locator("a[href$='index.html']").first.get_attribute("href")  # a page's relative link home
    assert pg.request.get(urljoin(pg.url, back)).status == 200
    pg.unroute_all()


@pytest.mark.timeout(600)
def test_a_paused_run_is_approved_through_its_form(ui_stack, inputs, page, shots):
    """A deployment run waiting for approval is Suspended (its process has exited); Resume shows the form."""
    _, ui = ui_stack
    open_custom_run(page, ui, "retrain")
    fill_retrain_form(page, inputs, suffix="approved", max_cost="5", approval_above="0")
    run_id = submit(page)
    wait_for_state(page, run_id, "Suspended")
    shot(page, shots, "11-suspended")
    approve(page, "ok from the browser test", shots)
    wait_for_state(page, run_id, "Completed")
    shot(page, shots, "13-approved-and-completed")
    with get_client(sync_client=True) as client:
        logs = client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[uuid.UUID(run_id)])))
    assert any("spend approved: ok from the browser test" in log.message for log in logs)


def approve(pg: Page, note: str, shots: Path | None = None) -> None:
    """On a paused run's page: Resume, read the estimate, switch Approve on, write a note, Submit."""
    pg.get_by_role("button", name="Resume").click()
    dialog = pg.get_by_role("dialog")
    expect(dialog.get_by_text("Approve fine-tuning spend")).to_be_visible()
    expect(dialog.get_by_text(re.compile(r"Estimated \$\d+\.\d\d for"))).to_be_visible()
    dialog.get_by_role("switch").first.click()
    expect(dialog.locator("input[type=checkbox]").first).to_be_checked()
    dialog.locator("textarea").first.fill(note)
    if shots is not None:
        shot(pg, shots, "12-approval-form")
    dialog.get_by_role("button", name="Submit").click()
    expect(dialog).to_be_hidden()


def test_rollback_deployment_restores_the_previous_champion_and_emits_an_event(ui_stack, page, shots):
    """After the runs above: promote another evaluated model by hand, then roll back with the
    `rollback` deployment, started from its Custom run form like any deployment."""
    import httpx

    from ftflow.store import Root
    from ftflow.tasks.evaluate.ledger import promote
    from ftflow.tasks.evaluate.registry import current_champion, read_history

    _, ui = ui_stack
    root = Root(f"s3://{os.environ['FTFLOW_BUCKET']}")
    before = current_champion(root, "dataset")
    assert before is not None, "the retrain runs above promote a first champion"
    other = next((e.model for e in reversed(read_history(root, "dataset")) if e.model != before.model), None)
    assert other is not None, "the two retrain runs above evaluate two models"
    promote(root, "dataset", other, by="browser test", reason="try the other model")

    open_custom_run(page, ui, "rollback", ready="Reason")
    field(page, "Reason").locator("textarea, input[type=text]").first.fill("the other model was worse")
    shot(page, shots, "21-rollback-form")
    run_id = submit(page)
    wait_for_state(page, run_id, "Completed")
    shot(page, shots, "22-rollback-completed")
    after = current_champion(root, "dataset")
    assert (after.model, after.kind, after.previous_champion) == (before.model, "rollback", other)
    assert after.reasons == ["the other model was worse"]
    assert (after.by or "").startswith("prefect flow run ")

    api = os.environ["PREFECT_API_URL"]
    body = {
        "filter": {"event": {"name": ["ftflow.model.rolled-back"]}, "any_resource": {"id": ["ftflow.model.dataset"]}}
    }
    deadline = time.monotonic() + 60  # the server stores events in batches, a few seconds late under load
    while True:
        events = httpx.post(f"{api}/events/filter", json=body, timeout=10).json()["events"]
        if any(e["payload"]["event_id"] == after.event_id for e in events) or time.monotonic() > deadline:
            break
        time.sleep(2)
    assert any(e["payload"]["event_id"] == after.event_id for e in events), events
