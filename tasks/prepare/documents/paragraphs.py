"""Plain lines (a text file, an OCR'd page) into blocks: paragraphs at blank lines, lists at
bullets, and a short title-like line standing alone before a paragraph as a heading."""

from __future__ import annotations

import re

from ftflow.tasks.prepare.documents.model import Block

BULLET = re.compile(r"^\s*(?:[-*•·▪◦‣–]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s+")
_END_PUNCT = (".", ",", ";", ":", "!")


def looks_like_heading(line: str) -> bool:
    """Short, one line, starts with a capital or a section number, not ended like a sentence."""
    s = line.strip()
    words = s.split()
    return (0 < len(words) <= 12 and len(s) <= 90 and not s.endswith(_END_PUNCT)
            and (s[0].isupper() or s[0].isdigit()) and not BULLET.match(s))  # fmt: skip


def join_lines(lines: list[str]) -> str:
    """Lines of one paragraph as one line; a word hyphenated across lines is joined."""
    out = ""
    for line in (x.strip() for x in lines):
        if not line:
            continue
        if out.endswith("-") and len(out) > 1 and out[-2].isalpha() and line[:1].islower():
            out = out[:-1] + line
        else:
            out = f"{out} {line}" if out else line
    return out


def line_blocks(lines: list[str], page: int | None = None, first_line: int | None = None) -> list[Block]:
    """Blocks of `lines` (blank lines separate paragraphs); `first_line` numbers them (text files)."""
    groups: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for i, line in enumerate([*lines, ""]):
        if line.strip():
            if not current:
                start = i
            current.append(line)
        elif current:
            groups.append((start, current))
            current = []
    blocks: list[Block] = []
    for k, (start, group) in enumerate(groups):
        where = None if first_line is None else first_line + start
        nxt = groups[k + 1][1] if k + 1 < len(groups) else None
        if (
            len(group) == 1
            and looks_like_heading(group[0])
            and nxt is not None
            and len(join_lines(nxt)) > len(group[0])
        ):
            blocks.append(Block("heading", group[0].strip(), level=2, page=page, line=where))
        elif BULLET.match(group[0]):
            blocks.append(Block("list", list_text(group), page=page, line=where))
        else:
            blocks.append(Block("text", join_lines(group), page=page, line=where))
    return blocks


def list_text(lines: list[str]) -> str:
    """List lines as "- item" lines; a line without a bullet continues the item before it."""
    items: list[list[str]] = []
    for line in lines:
        if BULLET.match(line) or not items:
            items.append([BULLET.sub("", line, count=1)])
        else:
            items[-1].append(line)
    return "\n".join("- " + join_lines(item) for item in items)
