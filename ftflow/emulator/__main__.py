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
from ftflow.emulator.settings import add_arguments, apply_arguments, settings_from_env

# CLI flag -> fault switch.
FAULT_FLAGS = {
    "--fail-rate-429": ("rate_429", float),
    "--fail-rate-500": ("rate_500", float),
    "--latency-ms": ("latency_ms", float),
    "--retry-after": ("retry_after", float),
    "--next-429": ("next_429", int),
    "--next-500": ("next_500", int),
    "--fail-next-training": ("fail_next_training", int),
    "--fail-next-validation": ("fail_next_validation", int),
    "--fault-seed": ("seed", int),
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
    for flag, (name, kind) in FAULT_FLAGS.items():
        faults.add_argument(flag, dest=f"fault_{name}", type=kind, default=None)
    return parser.parse_args(list(argv))


def main(argv: Sequence[str] | None = None) -> None:
    import uvicorn

    from ftflow.emulator.app import create_app

    ns = parse_args(sys.argv[1:] if argv is None else argv)
    settings = apply_arguments(settings_from_env(), ns)
    fault_values = asdict(faults_from_env())
    for name, _ in FAULT_FLAGS.values():
        value = getattr(ns, f"fault_{name}")
        if value is not None:
            fault_values[name] = value
    logging.basicConfig(level=ns.log_level.upper(), format="%(asctime)s %(levelname)s %(message)s")
    app = create_app(settings, Faults(**fault_values))
    print(f"ftflow emulator: http://{ns.host}:{ns.port}/v1 (state: {settings.state_dir})",
          flush=True)  # fmt: skip
    uvicorn.run(app, host=ns.host, port=ns.port, log_level=ns.log_level, access_log=False)


if __name__ == "__main__":
    main()
