"""``python -m ftflow.emulator --host 127.0.0.1 --port 8765 --state-dir DIR [...]``.

Every setting has a flag (see ``--help``) and an env variable (FTFLOW_EMULATOR_<NAME>);
fault switches have flags here and FTFLOW_EMULATOR_FAULT_<NAME> variables.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from dataclasses import asdict

from ftflow.emulator.faults import Faults, faults_from_env
from ftflow.emulator.settings import Settings, add_arguments, apply_arguments, settings_from_env

# CLI flag -> fault switch.
FAULT_FLAGS = {
    "--fail-rate-429": ("rate_429", float, "fraction of /v1 requests answered 429"),
    "--fail-rate-500": ("rate_500", float, "fraction of /v1 requests answered 500"),
    "--latency-ms": ("latency_ms", float, "added to every /v1 request"),
    "--retry-after": ("retry_after", float, "seconds in the 429's Retry-After (default 1)"),
    "--next-429": ("next_429", int, "answer the next N /v1 requests 429"),
    "--next-500": ("next_500", int, "answer the next N /v1 requests 500"),
    "--fail-next-training": ("fail_next_training", int, "the next N jobs fail mid-training"),
    "--fail-next-validation": ("fail_next_validation", int, "the next N jobs fail validation"),
    "--fault-seed": ("seed", int, "makes the 429/500 pattern repeatable"),
}


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m ftflow.emulator",
        description="Local OpenAI API emulator for development and CI (not a model).",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--log-level", default="warning")
    add_arguments(parser)
    faults = parser.add_argument_group("fault switches (also POST /_emulator/faults)")
    for flag, (name, kind, text) in FAULT_FLAGS.items():
        faults.add_argument(flag, dest=f"fault_{name}", type=kind, default=None, help=text)
    return parser.parse_args(list(argv))


def build(argv: Sequence[str]) -> tuple[argparse.Namespace, Settings, Faults]:
    """Flags over env over defaults, for the settings and for the fault switches."""
    ns = parse_args(argv)
    settings = apply_arguments(settings_from_env(), ns)
    fault_values = asdict(faults_from_env())
    for name, _, _ in FAULT_FLAGS.values():
        value = getattr(ns, f"fault_{name}")
        if value is not None:
            fault_values[name] = value
    return ns, settings, Faults(**fault_values)


def main(argv: Sequence[str] | None = None) -> None:
    import uvicorn

    from ftflow.emulator.app import create_app

    ns, settings, faults = build(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=ns.log_level.upper(), format="%(asctime)s %(levelname)s %(message)s")
    app = create_app(settings, faults)
    print(f"ftflow emulator: http://{ns.host}:{ns.port}/v1 (state: {settings.state_dir})",
          flush=True)  # fmt: skip
    uvicorn.run(app, host=ns.host, port=ns.port, log_level=ns.log_level, access_log=False)


if __name__ == "__main__":
    main()
