"""Promotion you can undo: a person promotes a model by hand or rolls the champion back.

The registry's events are the ledger: append-only, one object per event, never rewritten.
Besides the evaluations (kind ``evaluation``, decision ``promoted`` or ``rejected``), it holds
the champion changes a person made: kind ``promotion`` (``ftflow models promote``) and kind
``rollback`` (``ftflow models rollback`` or the ``rollback`` deployment). Both are recorded with
decision ``promoted`` (the model they name becomes the champion), who made them (``by``), why
(``reasons``) and the champion they replaced (``previous_champion``); their dataset, run and
metrics are those of the model's latest evaluation, the evidence it is champion on. So the
champion stays what the registry has always said: the model of the latest ``promoted`` event.

Which champion a rollback returns to is found by replaying the champion changes as a stack:
a promotion (evaluated or by hand) pushes its model, a rollback pops one. Rolling back twice
goes back two champions; rolling back past the first champion is an error.
"""

from __future__ import annotations

import getpass
import os
from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from ftflow.errors import FtflowError
from ftflow.store import Root
from ftflow.tasks.evaluate.registry import RegistryEvent, read_history, record_event

PROMOTION, ROLLBACK = "promotion", "rollback"
ChangeKind = Literal["evaluation", "promotion", "rollback"]


class LedgerError(FtflowError):
    """A promotion or rollback that cannot be made (the message says why and what to do)."""


class ChampionChange(BaseModel):
    """One change of champion, as `ftflow models ledger` lists it."""

    event_id: str
    recorded_at: str
    name: str
    kind: ChangeKind
    model: str
    previous_champion: str | None
    by: str | None
    reasons: list[str]


def who() -> str:
    """The person at the keyboard: the OS user (``--by`` overrides it)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        return os.environ.get("USER") or "unknown"


def champion_changes(history: list[RegistryEvent], name: str) -> list[ChampionChange]:
    """Every event of ``name`` that made a model champion, oldest first."""
    fields = set(ChampionChange.model_fields)
    return [ChampionChange.model_validate(e.model_dump(include=fields)) for e in history
            if e.name == name and e.decision == "promoted"]  # fmt: skip


def champion_stack(history: list[RegistryEvent], name: str) -> list[str]:
    """The champions of ``name`` a rollback can return to, oldest first; the last is the champion."""
    stack: list[str] = []
    for change in champion_changes(history, name):
        if change.kind == ROLLBACK:
            if stack:
                stack.pop()
        else:
            stack.append(change.model)
    return stack


def _evidence(history: list[RegistryEvent], name: str, model: str) -> RegistryEvent:
    """The latest evaluation of ``model`` under ``name``: what the ledger entry points at."""
    evaluations = [e for e in history if e.name == name and e.model == model and e.kind == "evaluation"]
    if not evaluations:
        names = sorted({e.name for e in history})
        known = sorted({e.model for e in history if e.name == name})
        if name not in names:
            raise LedgerError(f"no registry name {name!r} (known: {', '.join(names) or 'none'})")
        raise LedgerError(f"{model} has never been evaluated under {name!r}; evaluate it first "
                          f"(`ftflow evaluate DATASET --candidate {model} --name {name}`). "
                          f"Evaluated models: {', '.join(known)}")  # fmt: skip
    return evaluations[-1]


def _entry(evidence: RegistryEvent, kind: str, *, previous: str | None, by: str, reason: str) -> RegistryEvent:
    return evidence.model_copy(update={"kind": kind, "decision": "promoted", "previous_champion": previous, "by": by,
                                       "reasons": [reason]})  # fmt: skip


def promote(root: Root, name: str, model: str, *, by: str | None = None, reason: str = "",
            now: datetime | None = None) -> RegistryEvent:  # fmt: skip
    """Make ``model`` (evaluated under ``name`` before) the champion of ``name``; returns the ledger entry."""
    if not reason.strip():
        raise LedgerError("say why (--reason): the ledger keeps it for whoever looks later")
    history = read_history(root, name)
    evidence = _evidence(history, name, model)
    stack = champion_stack(history, name)
    current = stack[-1] if stack else None
    if current == model:
        raise LedgerError(f"{model} already is the champion of {name!r}")
    return record_event(root, _entry(evidence, PROMOTION, previous=current, by=by or who(), reason=reason), now=now)


def rollback(root: Root, name: str, *, by: str | None = None, reason: str = "",
             now: datetime | None = None) -> RegistryEvent:  # fmt: skip
    """Make the champion before the current one the champion again; returns the ledger entry."""
    if not reason.strip():
        raise LedgerError("say why (--reason): the ledger keeps it for whoever looks later")
    history = read_history(root, name)
    stack = champion_stack(history, name)
    if len(stack) < 2:
        what = f"the only champion {name!r} has had is {stack[0]}" if stack else f"{name!r} has no champion"
        raise LedgerError(f"nothing to roll back to: {what} (`ftflow models promote` makes another model champion)")
    current, previous = stack[-1], stack[-2]
    evidence = _evidence(history, name, previous)
    return record_event(root, _entry(evidence, ROLLBACK, previous=current, by=by or who(), reason=reason), now=now)
