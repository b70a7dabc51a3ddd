"""Which text encoding an input file is in: the configured one, or detected.

`prepare.encoding` set: that encoding is used as given, and bytes it cannot decode make
their row a quarantine row (`invalid_row` / `invalid_json`, naming the byte and column).
Unset: a file whose bytes are valid UTF-8 (a BOM allowed) is UTF-8; any other is given to
charset-normalizer, which measures how plausible the text is in each candidate code page
(a hand-written guess between cp1252, Latin-1 and the rest would get accented text
wrong). The manifest records, per input file, the encoding used and whether it was
detected. A file that looks like no text encoding at all is one error naming it.
"""

from __future__ import annotations

import codecs

from ftflow.errors import InputError

SAMPLE_BYTES = 4 << 20  # a local JSONL file is judged by its first 4 MB; later odd bytes quarantine their row
# Preferred among equally good matches, most used first (codecs' canonical names).
PREFERRED = ("cp1252", "iso8859-1", "iso8859-15", "cp1250", "iso8859-2", "cp1251", "koi8-r", "cp1253", "cp1254")
TIE_COHERENCE = 0.05
UTF8_NAMES = frozenset({"utf-8", "utf8", "utf_8", "u8", "utf-8-sig", "utf_8_sig"})


def is_utf8(encoding: str) -> bool:
    return encoding.lower().replace("_", "-") in UTF8_NAMES or codecs.lookup(encoding).name == "utf-8"


def valid_utf8(data: bytes, complete: bool) -> bool:
    """Whether `data` decodes as UTF-8; a sample (`complete` False) may end inside a character."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=complete)
    except UnicodeDecodeError:
        return False
    return True


def file_encoding(path: str, sample: bytes, configured: str | None, *, complete: bool) -> tuple[str, bool]:
    """(encoding, detected) for one file from its bytes (or its first SAMPLE_BYTES)."""
    if configured is not None:
        return configured, False
    if valid_utf8(sample, complete):
        return "utf-8", True
    from charset_normalizer import from_bytes  # imported only when a file is not UTF-8

    sample = sample[:SAMPLE_BYTES]
    matches = list(from_bytes(sample))
    # A few accented letters in a small file are too little for the detector, which then picks
    # any code page (even a CJK one) that decodes them without mess. Western text is by far the
    # most common, so cp1252 wins whenever it reads the sample with no more mess than the best.
    western = list(from_bytes(sample, cp_isolation=["cp1252"]))
    if western and (not matches or western[0].chaos <= matches[0].chaos):
        return "cp1252", True
    if not matches:
        raise InputError([f"{path}: cannot tell its text encoding (not UTF-8, and no code page reads it as "
                          "text); set prepare.encoding"])  # fmt: skip
    return _pick(matches), True


def _pick(matches: list) -> str:
    """charset-normalizer's best match; among matches it scores as good (equal mess, close
    coherence), the most common code page: a few accented letters read the same in cp1250
    and cp1252 and its own order is then arbitrary, while Western text is far more common."""
    best = matches[0]
    tied = {codecs.lookup(m.encoding).name for m in matches
            if m.chaos <= best.chaos and m.coherence >= best.coherence - TIE_COHERENCE}  # fmt: skip
    return next((name for name in PREFERRED if name in tied), codecs.lookup(best.encoding).name)
