"""Detect and redact personal data (PII) in training text.

Rows are redacted with typed placeholders (``[EMAIL]``, ``[PHONE]`` ...) and the
findings counted, so the caller can either keep the redacted row or quarantine it.

Detection is regex-first with real validation where a checksum or numbering plan
exists (Luhn, IBAN mod-97 + country format, ``ipaddress``, ``phonenumbers``), because
plain regexes flag dates, prices and order numbers. ``redact_many`` runs a vectorised
RE2 prefilter (pyarrow) over the whole column so that only candidate rows pay for the
Python detectors; the prefilter is a strict superset of what the detectors accept.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc
from stdnum import iban as stdnum_iban
from stdnum import luhn

from ftflow.tasks.prepare.textcol import replace_rows

PII_TYPES: tuple[str, ...] = ("email", "phone", "card", "iban", "ip", "ssn")
PLACEHOLDERS: dict[str, str] = {kind: f"[{kind.upper()}]" for kind in PII_TYPES}

# National (trunk-"0") formats are validated against these numbering plans, in order.
# US/CA national numbers have their own shape (NANP) and are always checked.
PHONE_REGIONS: tuple[str, ...] = ("GB", "DE", "FR", "NL", "BE", "AT", "CH", "IE", "IT", "AU")

_BATCH_ROWS = 100_000  # prefilter chunk size: bounds the extra Arrow copy of the column
# Re-run until a pass finds nothing, so redaction is idempotent (a placeholder can
# change a neighbour's context); in practice the second pass is always clean.
_MAX_ROUNDS = 3


@dataclass(frozen=True)
class PiiResult:
    """Redacted text and how many items of each PII type were replaced."""

    text: str
    counts: dict[str, int] = field(default_factory=dict)


# --- patterns ------------------------------------------------------------------------
# Digits are spelled [0-9] (Python's \d also matches other scripts, RE2's does not).
# Where it pays, a pattern starts with a character class and checks the preceding char
# in a lookbehind after it: CPython's re then skips non-starting positions ~3x faster.

# Local part may hold an apostrophe (o'neil@...) but not start with one (a quote).
_EMAIL_RE = re.compile(r"[\w.%+-][\w.%+'-]*@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")

# Printed in groups of four or compact; uppercase only. Trimmed on validation failure.
_IBAN_RE = re.compile(r"[A-Z](?<![A-Za-z0-9][A-Z])[A-Z][0-9]{2}(?:[ -]?[A-Z0-9]{4}){2,7}(?:[ -]?[A-Z0-9]{1,4})?")

# 13-19 digits, optional single space/dash between digits; major-network first digit.
# Not the tail of a longer digit sequence (e.g. the BBAN of an IBAN that failed mod-97).
_CARD_RE = re.compile(r"[2-6](?<![\w+-][2-6])(?<![0-9][ .,-][2-6])[0-9](?:[ -]?[0-9]){11,17}(?![0-9])")
_CARD_LAYOUTS = ((4, 6, 5), (4, 6, 4))  # Amex, Diners; others are groups of 4

# SSA rules: area not 000/666/9xx, group not 00, serial not 0000.
_SSN_RE = re.compile(
    r"[0-8][0-9]{2}(?<![\w-][0-9]{3})(?<!000)(?<!666)-(?!00)[0-9]{2}-(?!0000)[0-9]{4}"
    r"(?![\w]|-[0-9])"
)

_IPV6_RE = re.compile(
    r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}"
    r"(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9A-Fa-f]{0,4})(?![\w:]|\.[0-9])"
)
# Octet ranges and the left boundary are checked in _ipv4_end (faster than in the regex).
_IPV4_RE = re.compile(r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}(?![\w]|\.[0-9])")
_IPV4_START_RE = re.compile(r"(?<![\w.])")
# Dotted quads that are really version or section numbers ("version 1.2.0.4", "§ 4.2.1.3").
_NUMBERING_CONTEXT_RE = re.compile(
    r"(?i)(?:\b(?:version|release|build|v|section|sec|clause|article|art|chapter|para\w*|rule)"
    r"\.?|§)\s*$"
)

_PHONE_RE = re.compile(
    r"""
    (?<![\w+-])(?<![0-9][ .,/])         # a token of its own, not the tail of a number
    (?:
      (?P<intl>\(?(?:\+|00)[1-9][0-9]{0,2}\)?          # (+44) 20 ...
               (?:[ .-]?(?:\(0\)|\([0-9]{1,4}\)|[0-9]{1,5})){1,7})
    | (?P<nanp>(?:1[ .-]?)?(?:\([2-9][0-9]{2}\)[ ]?|[2-9][0-9]{2}[ .-]?)
               [2-9][0-9]{2}[ .-]?[0-9]{4})
    | (?P<trunk>(?:\(0[1-9][0-9]{0,4}\)|0[1-9][0-9]{0,4})(?:[ ./-]?[0-9]{2,8}){1,5})
    )
    (?![0-9])
    """,
    re.VERBOSE,
)
# dd.mm.yyyy / mm/dd/yy ... as a whole (a longer same-separator run is a French phone).
_DATE_RE = re.compile(r"[0-9]{1,2}([./-])[0-9]{1,2}\1[0-9]{2,4}(?![0-9]|[./-][0-9])")
_ZIP4_RE = re.compile(r"[0-9]{5}-[0-9]{4}")  # US ZIP+4; New England ZIPs start with 0
# Bare digit runs without "+" are IDs unless the text says it is a phone number.
_CLAUSE_SPLIT_RE = re.compile(r"[,;\n\]]")
_PHONE_CONTEXT_RE = re.compile(
    r"(?i)\b(?:tel|phone|ph|call|mobile|cell|fax|whatsapp|sms|reach|contact|ring|"
    r"telefon|handy|mobil|tél|téléphone|portable|numéro|móvil|teléfono|cellulare)\b"
)

# Trunk-0 national phone with >= 8 digits at a token start, spelled so that leading-zero
# dates ("05.03.2024", which _DATE_RE rejects) do not make a row a candidate.
_TRUNK_PREFILTER_RE2 = (
    r"(?:^|[^0-9A-Za-z_+-])(?:"
    + "|".join(
        (
            r"0[1-9][0-9](?:\)?[ ./-]?[0-9]){5}",  # area code of 3+ digits: 030, 0171
            r"0[1-9](?:\)[ ./-]?| )[0-9](?:[ ./-]?[0-9]){5}",  # (02) 9876.., 06 12 34..
            r"0[1-9][./-][0-9]{3}(?:[ ./-]?[0-9]){3}",  # 06-12345678
            *(  # 01.23.45.67.89 but not dd.mm.yyyy
                rf"0[1-9]{s}[0-9]{{1,2}}(?:[ {o}][0-9]|{s}(?:[0-9]{{5}}|[0-9]{{1,4}}[./-][0-9]|[0-9] [0-9]))"
                for s, o in ((r"\.", "/-"), ("/", ".-"), ("-", "./"))
            ),
        )
    )
    + ")"
)

# RE2 (pyarrow) superset of everything the detectors above can accept.
_PREFILTER_RE2 = "|".join(
    (
        r"[^\s@]@[^\s@]+\.",  # email
        r"[A-Z]{2}[0-9]{2}[ -]?[A-Z0-9]{4}[ -]?[A-Z0-9]{4}",  # iban
        r"[2-6][0-9](?:[ -]?[0-9]){11}",  # card
        r"[0-9]{3}-[0-9]{2}-[0-9]{4}",  # ssn
        r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}",  # ipv4
        r"[0-9A-Fa-f]::|::[0-9A-Fa-f]|(?:[0-9A-Fa-f]{1,4}:){5}",  # ipv6
        r"(?:\+|00)[1-9](?:[ .()-]{0,3}[0-9]){7}",  # international phone, >= 8 digits
        r"[0-9]{3}\)?[ .-]?[0-9]{3}[ .-]?[0-9]{4}",  # US/CA phone
        _TRUNK_PREFILTER_RE2,
    )
)


# --- validators: return the end of the accepted span, or -1 -------------------------


def _cut_points(span: str) -> list[int]:
    """Shorter candidate lengths, longest first: ends of digit groups inside ``span``."""
    return [
        i for i in range(len(span) - 1, 0, -1) if span[i] in " .-/" and (span[i - 1].isdigit() or span[i - 1] == ")")
    ]


def _digits(s: str) -> str:
    return "".join(c for c in s if c.isdigit())


def _iban_end(text: str, m: re.Match[str]) -> int:
    span = m.group()
    chars = [i for i, c in enumerate(span) if c.isalnum()]
    compact = "".join(span[i] for i in chars)
    # The regex may swallow a following word or digits: try every length, longest first.
    for n in range(len(compact), 14, -1):
        if stdnum_iban.is_valid(compact[:n]):
            return m.start() + chars[n - 1] + 1
    return -1


def _card_end(text: str, m: re.Match[str]) -> int:
    span = m.group()
    for cand in (span, *(span[:i] for i in _cut_points(span))):
        groups = tuple(len(g) for g in re.split(r"[ -]", cand))
        digits = _digits(cand)
        layout_ok = (
            len(groups) == 1 or groups in _CARD_LAYOUTS or (all(g == 4 for g in groups[:-1]) and groups[-1] <= 4)
        )
        if 13 <= len(digits) <= 19 and layout_ok and luhn.is_valid(digits):
            return m.start() + len(cand)
    return -1


def _ipv6_end(text: str, m: re.Match[str]) -> int:
    span = m.group()
    if not any(c not in ":" for c in span):
        return -1  # bare "::"
    try:
        ipaddress.IPv6Address(span)
    except ValueError:
        return -1
    return m.end()


def _ipv4_end(text: str, m: re.Match[str]) -> int:
    start = m.start()
    octets = m.group().split(".")
    if (
        not _IPV4_START_RE.match(text, start)
        or any(int(o) > 255 or (o[0] == "0" and o != "0") for o in octets)
        or _NUMBERING_CONTEXT_RE.search(text, max(0, start - 12), start)
    ):
        return -1
    return m.end()


def _valid_number(cand: str, regions: Sequence[str | None]) -> bool:
    for region in regions:
        try:
            if phonenumbers.is_valid_number(phonenumbers.parse(cand, region)):
                return True
        except phonenumbers.NumberParseException:
            continue
    return False


def _phone_end(text: str, m: re.Match[str]) -> int:
    start, kind, span = m.start(), m.lastgroup, m.group()
    if kind == "trunk" and (_DATE_RE.match(text, start) or _ZIP4_RE.fullmatch(span)):
        return -1
    if span.isdigit():  # no "+", no separators: needs a phone word in the same clause
        clause = _CLAUSE_SPLIT_RE.split(text[max(0, start - 25) : start])[-1]
        if not _PHONE_CONTEXT_RE.search(clause):
            return -1
    if kind == "nanp":
        return m.end() if _valid_number(span, ("US",)) else -1
    regions: Sequence[str | None] = (None,) if kind == "intl" else PHONE_REGIONS
    # Greedy groups may take in a neighbouring number: retry at shorter group ends.
    for cand in (span, *(span[:i] for i in _cut_points(span))):
        digits = _digits(cand)
        if len(digits) < 8:  # shortest real numbers incl. area code
            break
        if len(digits) > 16 or (kind == "trunk" and _DATE_RE.fullmatch(cand)):
            continue  # E.164 max is 15 digits (+ trunk "0"); a trimmed date stays a date
        number = cand.lstrip("(")
        if _valid_number("+" + number[2:] if number.startswith("00") else number, regions):
            return start + len(cand)
    return -1


# --- scanning ------------------------------------------------------------------------


def _scanner(
    rx: re.Pattern[str],
    accept: Callable[[str, re.Match[str]], int] | None,
    label: str,
    guard: Callable[[str], bool] = lambda text: True,
) -> Callable[[str], tuple[str, int]]:
    """Build a detector that replaces accepted matches of ``rx`` with ``label``.

    ``guard`` is a cheap necessary condition that skips the regex scan entirely.
    """

    def scan(text: str) -> tuple[str, int]:
        if not guard(text):
            return text, 0
        if accept is None:
            return rx.subn(label, text)
        found = 0
        m = rx.search(text)
        while m:
            end = accept(text, m)
            if end > 0:  # replace in place so lookbehinds then see the placeholder
                text = text[: m.start()] + label + text[end:]
                found += 1
                m = rx.search(text, m.start() + len(label))
            else:  # a rejected match may hide a real one starting inside it
                m = rx.search(text, m.start() + 1)
        return text, found

    return scan


def _maybe_ipv6(text: str) -> bool:
    return "::" in text or text.count(":") >= 6


# Order matters: emails and IBANs contain digit runs the later detectors would claim.
_DETECTORS: tuple[tuple[str, Callable[[str], tuple[str, int]]], ...] = (
    ("email", _scanner(_EMAIL_RE, None, PLACEHOLDERS["email"], lambda t: "@" in t)),
    ("iban", _scanner(_IBAN_RE, _iban_end, PLACEHOLDERS["iban"])),
    ("card", _scanner(_CARD_RE, _card_end, PLACEHOLDERS["card"])),
    ("ssn", _scanner(_SSN_RE, None, PLACEHOLDERS["ssn"], lambda t: "-" in t)),
    # A valid IPv6 address has "::" or at least six colons.
    ("ip", _scanner(_IPV6_RE, _ipv6_end, PLACEHOLDERS["ip"], _maybe_ipv6)),
    ("ip", _scanner(_IPV4_RE, _ipv4_end, PLACEHOLDERS["ip"])),
    ("phone", _scanner(_PHONE_RE, _phone_end, PLACEHOLDERS["phone"])),
)


def redact(text: str) -> PiiResult:
    """Replace PII in ``text`` with typed placeholders and count what was replaced."""
    counts: dict[str, int] = {}
    for _ in range(_MAX_ROUNDS):
        text, found = _redact_round(text, counts)
        if not found:  # a clean pass: running again changes nothing
            break
    return PiiResult(text, counts)


def _redact_round(text: str, counts: dict[str, int]) -> tuple[str, bool]:
    """One pass of every detector; adds to ``counts``; whether it found anything."""
    found = False
    for kind, detect in _DETECTORS:
        text, n = detect(text)
        if n:
            counts[kind] = counts.get(kind, 0) + n
            found = True
    return text, found


def redact_many(texts: Sequence[str]) -> tuple[list[str], list[dict[str, int]]]:
    """Batch version for a whole dataset column; must be fast.

    Same result as ``redact`` row by row, but an RE2 prefilter over Arrow chunks picks
    the few candidate rows so the Python detectors skip everything else.
    """
    out = list(texts)
    counts: list[dict[str, int]] = [{} for _ in out]
    for lo in range(0, len(out), _BATCH_ROWS):
        rows = out[lo : lo + _BATCH_ROWS]
        try:
            chunk = pa.array(rows, type=pa.large_string())
        except UnicodeEncodeError:  # lone surrogates: no UTF-8, check every row instead
            candidates = [i for i, row in enumerate(rows) if isinstance(row, str)]
        else:
            hit = pc.match_substring_regex(chunk, _PREFILTER_RE2).fill_null(False)
            candidates = np.flatnonzero(hit.to_numpy(zero_copy_only=False)).tolist()
        for i in candidates:
            result = redact(out[lo + i])
            out[lo + i], counts[lo + i] = result.text, result.counts
    return out, counts


def redact_array(arr: pa.Array) -> tuple[pa.Array, dict[int, dict[str, int]]]:
    """``redact_many`` for an Arrow array: the redacted array and the counts of rows with PII.

    Only the prefilter's candidate rows become Python strings; the rest stay in Arrow.
    """
    mask = candidates(arr)
    rows = np.flatnonzero(mask)
    texts, found = redact_texts(arr.take(pa.array(rows)).to_pylist())
    counts = {int(rows[k]): c for k, c in enumerate(found) if c}
    if counts:
        arr = replace_rows(arr, mask, texts)
    return arr, counts


def candidates(arr: pa.Array) -> np.ndarray:
    """Per text: whether it may hold PII (the RE2 prefilter; a strict superset of what ``redact`` finds)."""
    return pc.match_substring_regex(arr, _PREFILTER_RE2).fill_null(False).to_numpy(zero_copy_only=False)


def redact_texts(texts: list[str]) -> tuple[list[str], list[dict[str, int]]]:
    """``redact`` of each text (of the prefilter's candidates).

    ``redact`` repeats its pass until one finds nothing; here a text that no longer
    passes the prefilter after a pass skips the next one, which could find nothing.
    """
    texts = list(texts)
    found: list[dict[str, int]] = [{} for _ in texts]
    todo = list(range(len(texts)))
    for round_ in range(_MAX_ROUNDS):
        again = []
        for k in todo:
            texts[k], hit = _redact_round(texts[k], found[k])
            if hit:
                again.append(k)
        if not again or round_ == _MAX_ROUNDS - 1:
            break
        still = candidates(pa.array([texts[k] for k in again], type=pa.large_string()))
        todo = [k for k, keep in zip(again, still.tolist(), strict=True) if keep]
    return texts, found
