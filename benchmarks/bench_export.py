"""Benchmark the dataset export against plain boto3 uploads of the same files.

    .venv/bin/python benchmarks/bench_export.py DATASET_DIR [--repeat 3]

Starts a local SeaweedFS (devstack) on free ports, then alternates, in the same run:
`export_dataset` (checksums, verification, manifest last, LATEST pointer) into a fresh
destination, and a plain `s3.upload_file` per file with boto3's default transfer
settings into another fresh destination. Reports MB/s for each and their ratio;
writes benchmarks/results/export.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import boto3

from ftflow import devstack
from ftflow.tasks.publish.export import export_dataset

RESULTS = Path(__file__).resolve().parent / "results"


def plain_upload(client, local: Path, bucket: str, prefix: str) -> None:
    for path in sorted(p for p in local.rglob("*") if p.is_file()):
        client.upload_file(str(path), bucket, f"{prefix}/{path.relative_to(local).as_posix()}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dataset_dir", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    total = sum(p.stat().st_size for p in args.dataset_dir.rglob("*") if p.is_file())
    with tempfile.TemporaryDirectory() as state:
        svc = devstack.start_s3(state, port=0, timeout=60)
        try:
            env = svc.env
            client = boto3.client("s3", endpoint_url=env["AWS_ENDPOINT_URL"], aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
                                  aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"], region_name=env["AWS_DEFAULT_REGION"])  # fmt: skip
            import os

            os.environ.update(env)
            ours, plain = [], []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                plain_upload(client, args.dataset_dir, svc.bucket, f"plain-{uuid.uuid4().hex[:8]}")
                plain.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                result = export_dataset(args.dataset_dir, f"s3://{svc.bucket}/x-{uuid.uuid4().hex[:8]}", name="bench")
                ours.append(time.perf_counter() - t0)
                assert result.objects_written > 0
            again = export_dataset(args.dataset_dir, f"s3://{svc.bucket}/x-again", name="bench")
            t0 = time.perf_counter()
            again = export_dataset(args.dataset_dir, f"s3://{svc.bucket}/x-again", name="bench")
            idempotent_s = time.perf_counter() - t0
        finally:
            devstack.stop_all(state)
    mb = total / 1e6
    out = {
        "dataset_bytes": total,
        "export_seconds_median": round(statistics.median(ours), 2),
        "plain_upload_seconds_median": round(statistics.median(plain), 2),
        "export_mb_per_s": round(mb / statistics.median(ours), 1),
        "plain_mb_per_s": round(mb / statistics.median(plain), 1),
        "throughput_ratio": round(statistics.median(plain) / statistics.median(ours), 3),
        "identical_reexport_seconds": round(idempotent_s, 2),
        "identical_reexport_objects_written": again.objects_written,
        "runs": args.repeat,
    }
    print(json.dumps(out, indent=2))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "export.json").write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
