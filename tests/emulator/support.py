"""Test data and helpers for the emulator tests (fixtures live in conftest.py)."""

from __future__ import annotations

import json
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from openai import OpenAI
from openai.types.fine_tuning import FineTuningJob

from ftflow.emulator import start_emulator, stop_emulator

API_KEY = "sk-emulator-test"
MAX_FILE_BYTES = 64 * 1024  # small, so tests reach the Uploads API cheaply
# Fast clock: a 12-example job (8 auto epochs, 96 steps) finishes in about a second.
EMULATOR_ARGS = ["--seconds-per-step", "0.005", "--phase-seconds", "0.1",
                 "--max-file-bytes", str(MAX_FILE_BYTES), "--seed", "1"]  # fmt: skip

# A small support domain: (question, answer, a paraphrase held out of training).
QA = [
    ("How do I reset my password?",
     "Open Settings > Security, choose 'Reset password' and follow the emailed link.",
     "I forgot my password - how can I reset it?"),
    ("How can I change the email address on my account?",
     "Go to Profile > Email, enter the new address and confirm it from your inbox.",
     "I want a different email address on my account, how do I change it?"),
    ("What payment methods do you accept?",
     "We accept Visa, Mastercard, American Express and PayPal.",
     "Which payment methods are accepted?"),
    ("How do I cancel my subscription?",
     "Go to Billing > Plan and click 'Cancel plan'; access continues until the period ends.",
     "Cancel subscription: how does that work?"),
    ("Where can I download my invoices?",
     "Invoices are under Billing > History, each with a PDF download button.",
     "Where do I find invoices to download?"),
    ("How do I enable two-factor authentication?",
     "In Settings > Security turn on 2FA and scan the QR code with an authenticator app.",
     "Can I turn on two-factor authentication for my login?"),
    ("Can I export my reports to CSV?",
     "Yes: Reports > Export downloads any table as a CSV file.",
     "Is CSV export available for reports?"),
    ("How do I add a team member?",
     "Admins invite people from Team > Invite by entering their email.",
     "Adding a new member to my team - where is that?"),
    ("What are your support hours?",
     "Support is available Monday to Friday, 08:00-18:00 CET.",
     "When is support available, what hours?"),
    ("How do I delete my account permanently?",
     "Email privacy@acme.example from your account address; deletion completes within 30 days.",
     "Please tell me how to permanently delete an account."),
    ("Is there a mobile app for phones?",
     "Yes, AcmeDesk is on the App Store and Google Play.",
     "Do you have an app for my phone?"),
    ("How do I upgrade or downgrade my plan?",
     "Billing > Plan > Change plan; upgrades apply now, downgrades at renewal.",
     "I'd like to upgrade my plan."),
]  # fmt: skip
SYSTEM = "You are AcmeDesk's support assistant."


def example(question: str, answer: str, **extra: Any) -> dict[str, Any]:
    return {"messages": [{"role": "system", "content": SYSTEM},
                         {"role": "user", "content": question},
                         {"role": "assistant", "content": answer, **extra}]}  # fmt: skip


def jsonl(rows: list[dict[str, Any]] | list[str]) -> bytes:
    return ("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n").encode()


def training_rows(n: int = len(QA)) -> list[dict[str, Any]]:
    return [example(q, a) for q, a, _ in QA[:n]]


@dataclass
class Emulator:
    """The running emulator; ``restart`` keeps its port and state directory."""

    state_dir: Path
    base_url: str
    proc: subprocess.Popen[bytes]
    port: int
    restarts: list[float] = field(default_factory=list)

    @property
    def root(self) -> str:
        return self.base_url.removesuffix("/v1")

    def client(self, **kw: Any) -> OpenAI:
        kw.setdefault("max_retries", 0)
        return OpenAI(base_url=self.base_url, api_key=API_KEY, **kw)

    def admin(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        url = f"{self.root}/_emulator/{path}"
        r = httpx.post(url, json=body) if body is not None else httpx.get(url)
        r.raise_for_status()
        return r.json()  # type: ignore[no-any-return]

    def restart(self) -> None:
        stop_emulator(self.proc)
        started = time.perf_counter()
        self.base_url, self.proc = start_emulator(self.state_dir, self.port, args=EMULATOR_ARGS)
        self.restarts.append(time.perf_counter() - started)


def wait_for(client: OpenAI, job_id: str, timeout: float = 20.0) -> tuple[FineTuningJob, list[str]]:
    """Poll until the job is terminal; returns it and the distinct statuses seen, in order."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while True:
        job = client.fine_tuning.jobs.retrieve(job_id)
        if not seen or seen[-1] != job.status:
            seen.append(job.status)
        if job.status in ("succeeded", "failed", "cancelled"):
            return job, seen
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} still {job.status} after {timeout}s")
        time.sleep(0.05)


def strict(obj: Any) -> Any:
    """Re-validate an SDK object (which the SDK builds leniently) with full pydantic checks."""
    return type(obj).model_validate(obj.to_dict())
