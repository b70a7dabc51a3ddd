"""`near_duplicate`: small edits of an earlier row (MinHash-LSH candidates, exact Jaccard; checks/dedup.py)."""

from ftflow.tasks.prepare.checks import Check, register

CHECK = register(Check(
    reason="near_duplicate",
    column="near_duplicate_of",
    explain=lambda d: f"near duplicate of {d.place(int(d.value('near_duplicate_of')))} (similarity {d.similarity:.2f})",
))  # fmt: skip
