"""A person reviews the pairs generated from documents (prepare.documents.review): the run
pauses with a Prefect form listing every pair, each to approve, edit or reject."""

from __future__ import annotations

from typing import Any, Literal

from prefect import get_run_logger, pause_flow_run
from prefect.input import RunInput
from pydantic import BaseModel, Field

REVIEW_TIMEOUT_S = 24 * 3600
SHOWN_IN_DESCRIPTION = 200  # the form holds every pair; the description's table shows the first ones


class PairDecision(BaseModel):
    id: int = Field(description="The pair's number (do not change).")
    decision: Literal["approve", "edit", "reject"] = Field("approve", description="approve, edit or reject.")
    question: str = Field(description="The question; change it and choose 'edit' to correct it.")
    answer: str = Field(description="The answer; it must stay supported by the source passage.")
    source: str = Field("", description="Where it comes from (file, page, section).")
    grounded: bool = Field(True, description="Whether the grounding check found it supported by its chunk.")


class PairsReview(RunInput):
    """The form shown in the Prefect UI when the run pauses."""

    pairs: list[PairDecision] = Field(description="Every generated pair with its decision.")
    note: str = Field("", description="Anything to keep in the run's log.")


def _cell(text: str, limit: int = 160) -> str:
    text = " ".join(text.split()).replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def review_pairs(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pause the flow run until a person submits the form; the decisions, by pair id."""
    log = get_run_logger()
    rows = [f"| {it['id']} | {_cell(it['file'] + ', ' + it['where'], 60)} | {'yes' if it['grounded'] else '**no**'} | "
            f"{_cell(it['question'])} | {_cell(it['answer'])} |" for it in items[:SHOWN_IN_DESCRIPTION]]  # fmt: skip
    more = (
        f"\n\n… and {len(items) - SHOWN_IN_DESCRIPTION} more in the form." if len(items) > SHOWN_IN_DESCRIPTION else ""
    )
    description = (
        f"## Review {len(items)} generated question/answer pairs\n\nSet each pair's decision to approve, edit "
        "(change the text) or reject. Pairs the grounding check did not find supported stay quarantined as "
        "`ungrounded` unless edited into supported ones.\n\n| id | source | grounded | question | answer |\n"
        "|---:|---|---|---|---|\n" + "\n".join(rows) + more
    )
    initial = [PairDecision(id=it["id"], question=it["question"], answer=it["answer"], grounded=it["grounded"],
                            source=f"{it['file']}, {it['where']}") for it in items]  # fmt: skip
    log.info("waiting for a review of %d generated pairs", len(items))
    answer = pause_flow_run(
        wait_for_input=PairsReview.with_initial_data(description=description, pairs=initial), timeout=REVIEW_TIMEOUT_S
    )
    decisions = [p.model_dump() for p in answer.pairs]
    counts = {d: sum(p["decision"] == d for p in decisions) for d in ("approve", "edit", "reject")}
    log.info("review: %s approved, %s edited, %s rejected. %s", counts["approve"], counts["edit"], counts["reject"],
             answer.note or "")  # fmt: skip
    return decisions
