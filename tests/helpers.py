"""Small helpers shared by tests."""

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
import pandas as pd


def read_jsonl(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def labels_of(directory: Path) -> pd.DataFrame:
    """The generator's labels: line, label, source_line."""
    return pd.read_parquet(directory / "labels.parquet")


def minimal_manifest(
    outputs: dict, dataset_sha256: str, *, train: int = 1, model: str = "gpt-4o-mini-2024-07-18"
) -> dict:
    """A complete, valid manifest (ftflow.manifest.Manifest) around hand-made output files."""
    for name, meta in outputs.items():
        meta.setdefault("lines", 1)
        meta.setdefault("bytes", meta.get("bytes", 0))
        assert "sha256" in meta, name
    return {
        "status": "ok",
        "dataset_sha256": dataset_sha256,
        "inputs": [],
        "counts": {"rows_read": train, "rows_kept": train, "rows_quarantined": 0, "train": train},
        "pii": {"mode": "redact"},
        "tokens": {"model": model, "encoding": "o200k_base", "example_token_limit": 65536},
        "cost_estimate": {
            "model": model,
            "epochs": 3,
            "billed_tokens_per_epoch": 10 * train,
            "billed_tokens": 30 * train,
            "usd_per_1m_tokens": 3.0,
            "usd": 0.0,
            "prices_as_of": "2025-06-01",
        },
        "outputs": outputs,
    }


# Sentences to build small corpora from (many topics, so no word dominates).
ES = [
    "El horario de atención es de lunes a viernes, de nueve a dos.",
    "Puede pedir cita por teléfono o en la web del centro de salud.",
    "Si los síntomas empeoran, acuda a urgencias sin esperar.",
    "La receta electrónica se renueva automáticamente cada seis meses.",
    "Los resultados de la analítica tardan unos tres días en llegar.",
    "Conviene traer la tarjeta sanitaria y un documento de identidad.",
    "El aparcamiento del hospital es gratuito para los pacientes en diálisis.",
    "Las vacunas de la gripe se ponen a partir de octubre.",
    "No es necesario estar en ayunas para esta prueba.",
    "Le llamaremos para confirmar la fecha de la intervención.",
    "La farmacia de guardia cambia cada semana según el calendario municipal.",
    "Para anular una cita basta con responder al mensaje que recibió.",
    "El informe médico se puede descargar desde la aplicación móvil.",
    "Los menores deben venir acompañados por un adulto responsable.",
]
EN = [
    "The clinic is open from Monday to Friday, nine to five.",
    "You can book an appointment by phone or on the website.",
    "If the symptoms get worse, go to the emergency department.",
    "Repeat prescriptions are renewed every six months.",
    "Blood test results usually take three working days.",
    "Please bring your insurance card and a photo ID.",
    "Parking at the hospital is free for dialysis patients.",
    "Flu vaccines are offered from October onwards.",
    "You do not need to fast before this test.",
    "We will call you to confirm the date of the operation.",
    "The duty pharmacy changes every week according to the council's rota.",
    "To cancel an appointment, reply to the text message you received.",
    "Your medical report can be downloaded from the mobile app.",
    "Children must come with a responsible adult.",
]


@contextmanager
def capturing_events() -> Iterator[None]:
    """Prefect events emitted inside are recorded instead of sent (see `emitted`)."""
    from prefect.events.clients import AssertingEventsClient
    from prefect.events.worker import EventsWorker

    EventsWorker.drain_all()
    EventsWorker.set_client_override(AssertingEventsClient)
    AssertingEventsClient.reset()
    try:
        yield
    finally:
        EventsWorker.drain_all()
        EventsWorker.set_client_override(None)


def emitted(event: str) -> list[Any]:
    """The recorded events named ``event`` (inside `capturing_events`)."""
    from prefect.events.clients import AssertingEventsClient
    from prefect.events.worker import EventsWorker

    EventsWorker.drain_all()
    return [e for client in AssertingEventsClient.all for e in client.events if e.event == event]


@contextmanager
def webhook_receiver() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP receiver: its URL and the bodies POSTed to it so far."""
    received: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(self.rfile.read(int(self.headers["Content-Length"])).decode())
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/hook", received
    finally:
        server.shutdown()


@contextmanager
def prefect_api(url: str) -> Iterator[None]:
    """Talk to the Prefect server at ``url`` inside. Prefect's events worker is one per process and
    client type, not per server, and keeps the URL it started with: it is stopped on the way in and
    out, so events emitted inside reach this server and not one an earlier test used."""
    from prefect.events.worker import EventsWorker
    from prefect.settings import PREFECT_API_URL, temporary_settings

    EventsWorker.drain_all()
    try:
        with temporary_settings(updates={PREFECT_API_URL: url}):
            yield
    finally:
        EventsWorker.drain_all()
