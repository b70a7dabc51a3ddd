"""The FastAPI app: routers, OpenAI-style auth and errors, fault injection, admin endpoints."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import asdict, fields
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from ftflow.emulator import routes_batches, routes_files, routes_jobs, routes_models
from ftflow.emulator.core import Emulator, json_body
from ftflow.emulator.errors import SERVER_ERROR_MESSAGE, error_response, install_error_handlers
from ftflow.emulator.faults import Faults, FaultState
from ftflow.emulator.settings import Settings, check_date, parse_dates, parse_flag_words
from ftflow.emulator.store import new_id

PROBE_HEADER = "x-emulator-probe"  # readiness probes skip fault injection
# Settings that may change at runtime; the rest (state dir, org) are fixed per process.
RUNTIME_SETTINGS = ("results_base64", "seconds_per_step", "phase_seconds", "max_train_seconds",
                    "max_file_bytes", "max_part_bytes", "flag_words", "shutdown_dates", "finetune_cutoff",
                    "today", "batch_seconds", "batch_max_requests")  # fmt: skip

NO_KEY = ("You didn't provide an API key. You need to provide your API key in an Authorization "
          "header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).")  # fmt: skip


def _auth_error(request: Request, settings: Settings) -> JSONResponse | None:
    header = request.headers.get("authorization", "")
    scheme, _, key = header.partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key:
        return error_response(401, NO_KEY)
    if settings.api_key and key != settings.api_key:
        shown = key[:3] + "*" * 4 + key[-4:] if len(key) > 8 else "****"
        return error_response(401, f"Incorrect API key provided: {shown}.", code="invalid_api_key")
    return None


def _warm_tokenizers() -> None:
    """Load both encodings in the background so the first job or chat is not slow."""
    from ftflow import tokens

    for model in ("gpt-4o-mini", "gpt-3.5-turbo"):
        tokens.get_encoding(model)


@asynccontextmanager
async def _lifespan(_: FastAPI) -> AsyncIterator[None]:
    threading.Thread(target=_warm_tokenizers, daemon=True).start()
    yield


def create_app(settings: Settings | None = None, faults: Faults | None = None,
               clock: Callable[[], float] = time.time) -> FastAPI:  # fmt: skip
    """A ready app over ``settings.state_dir``; existing state there is loaded."""
    settings = settings or Settings()
    emu = Emulator(settings, FaultState(faults), clock)
    app = FastAPI(title="ftflow OpenAI emulator", docs_url="/_emulator/docs",
                  openapi_url="/_emulator/openapi.json", redoc_url=None, lifespan=_lifespan)  # fmt: skip
    app.state.emu = emu
    install_error_handlers(app)
    for module in (routes_files, routes_jobs, routes_models, routes_batches):
        app.include_router(module.router)

    @app.middleware("http")
    async def openai_edge(request: Request,
                          call_next: Callable[[Request], Awaitable[Response]]) -> Response:  # fmt: skip
        """What sits in front of the real API: auth, rate limits, flaky servers, latency."""
        started = time.perf_counter()
        request_id = new_id("req_", 32)
        if request.url.path.startswith("/v1"):
            denied = _auth_error(request, settings)
            if denied is not None:
                denied.headers["x-request-id"] = request_id
                return denied
            if request.headers.get(PROBE_HEADER) is None:
                f = emu.faults.faults
                if f.latency_ms > 0:
                    await asyncio.sleep(f.latency_ms / 1000)
                status = emu.faults.draw()
                if status == 429:
                    return error_response(
                        429, "Rate limit reached for requests (emulated). Please try again in "
                        f"{f.retry_after:g}s.", type="requests", code="rate_limit_exceeded",
                        headers={**emu.faults.retry_headers(), "x-request-id": request_id},
                    )  # fmt: skip
                if status == 500:
                    return error_response(500, SERVER_ERROR_MESSAGE, type="server_error",
                                          headers={"x-request-id": request_id})  # fmt: skip
        response = await call_next(request)
        response.headers["x-request-id"] = request_id
        response.headers["openai-processing-ms"] = str(round((time.perf_counter() - started) * 1000))
        response.headers["openai-organization"] = settings.org
        return response

    @app.get("/_emulator/health")
    def health() -> dict[str, Any]:
        return {"ok": True, "state_dir": str(settings.state_dir), "jobs": len(emu.store.jobs),
                "files": len(emu.store.files)}  # fmt: skip

    @app.get("/_emulator/faults")
    def get_faults() -> dict[str, Any]:
        return emu.faults.snapshot()

    @app.post("/_emulator/faults")
    async def set_faults(request: Request) -> JSONResponse:
        """Partial update, e.g. {"rate_429": 0.3, "seed": 7}; {"reset": true} clears all."""
        body = await json_body(request)
        if body.pop("reset", False):
            body = {**asdict(Faults()), **body}
        try:
            emu.faults.update(body)
        except (ValueError, TypeError) as exc:
            return error_response(400, str(exc))
        return JSONResponse(emu.faults.snapshot())

    @app.get("/_emulator/settings")
    def get_settings() -> dict[str, Any]:
        return {f.name: _jsonable(getattr(settings, f.name)) for f in fields(Settings)}

    @app.post("/_emulator/settings")
    async def set_settings(request: Request) -> JSONResponse:
        """Change clock speed, limits, the result-file encoding, the moderation words, or the model
        lifecycle (shutdown dates, the last day for new jobs, the emulated day)."""
        body = await json_body(request)
        unknown = set(body) - set(RUNTIME_SETTINGS)
        if unknown:
            return error_response(400, f"not settable at runtime: {', '.join(sorted(unknown))}")
        values = {}
        try:
            for name, value in body.items():
                if name == "flag_words":
                    value = parse_flag_words(value) if isinstance(value, str) else dict(value)
                elif name == "shutdown_dates":
                    value = parse_dates(value)
                elif name in ("finetune_cutoff", "today"):
                    value = check_date(value or "")
                elif name == "results_base64":
                    value = bool(value)
                else:
                    value = type(getattr(settings, name))(value)
                values[name] = value
        except (ValueError, TypeError, AttributeError) as exc:
            return error_response(400, f"invalid setting: {exc}")
        for name, value in values.items():
            setattr(settings, name, value)
        return JSONResponse(get_settings())

    return app


def _jsonable(value: Any) -> Any:
    return value if isinstance(value, bool | int | float | str | dict | type(None)) else str(value)
