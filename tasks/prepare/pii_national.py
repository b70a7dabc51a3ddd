"""National personal-data formats: ID numbers with their check rules, phones in national format.

tasks/prepare/pii.py finds what is international by shape (emails, IBANs, cards, +country phones).
National formats need to know the country: ``612 34 56 78`` is a Spanish mobile, ``12345678Z``
a Spanish DNI. Each row is checked against the regions `prepare.quality.pii_regions` names and
those its language makes plausible (es: ES, MX; en: US, GB; fr: FR; de: DE):

- ID numbers, validated with python-stdnum where it has them (ES DNI, NIE, CIF; US SSN; FR NIR;
  DE IdNr; MX CURP, RFC), and by the published rules where it does not (ES NSS: mod 97 of the
  first ten digits; GB NINO: HMRC's prefix and suffix letters);
- phones, found by libphonenumber's matcher (a valid number of the region), and NANP numbers in
  the usual 3-3-4 layouts also when only "possible" (fictional 555 numbers are still numbers).

An RE2 prefilter over the Arrow column picks the few candidate rows (a superset of matches).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc
from stdnum.de import idnr as de_idnr
from stdnum.es import cif as es_cif
from stdnum.es import dni as es_dni
from stdnum.es import nie as es_nie
from stdnum.fr import nir as fr_nir
from stdnum.mx import curp as mx_curp
from stdnum.mx import rfc as mx_rfc
from stdnum.us import ssn as us_ssn

from ftflow.tasks.prepare import pii
from ftflow.tasks.prepare.checks import language
from ftflow.tasks.prepare.textcol import replace_rows

DEFAULT_REGIONS: tuple[str, ...] = ("ES", "US", "GB", "FR", "DE", "MX")
LANGUAGE_REGIONS: dict[str, tuple[str, ...]] = {"es": ("ES", "MX"), "en": ("US", "GB"), "fr": ("FR",),
                                                "de": ("DE",), "pt": ("PT", "BR"), "it": ("IT",)}  # fmt: skip
NATIONAL_ID = "[NATIONAL_ID]"
PHONE = pii.PLACEHOLDERS["phone"]
_B = r"(?<![\w-])"  # token start
_E = r"(?![\w-])"  # token end


def _nss_valid(number: str) -> bool:
    """Spanish Social Security number: 2 province + 8 digits, then (first 10 digits) mod 97."""
    d = re.sub(r"\D", "", number)
    return len(d) == 12 and 1 <= int(d[:2]) <= 53 and int(d[:10]) % 97 == int(d[10:])


_NINO_BAD_PREFIX = frozenset({"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"})


def _nino_valid(number: str) -> bool:
    """GB National Insurance number: HMRC's allowed prefix letters, six digits, suffix A-D."""
    s = number.replace(" ", "").upper()
    return (len(s) == 9 and s[0] not in "DFIQUV" and s[1] not in "DFIQUVO" and s[:2] not in _NINO_BAD_PREFIX
            and s[2:8].isdigit() and s[8] in "ABCD")  # fmt: skip


# (region, pattern, validator)
_IDS: tuple[tuple[str, re.Pattern[str], Callable[[str], bool]], ...] = tuple(
    (region, re.compile(_B + rx + _E), check)
    for region, rx, check in (
        ("ES", r"[0-9]{8}[ -]?[A-Za-z]", es_dni.is_valid),
        ("ES", r"[XYZxyz][ -]?[0-9]{7}[ -]?[A-Za-z]", es_nie.is_valid),
        ("ES", r"[ABCDEFGHJNPQRSUVW][ -]?[0-9]{7}[ -]?[0-9A-J]", es_cif.is_valid),
        ("ES", r"[0-9]{2}[ /-]?[0-9]{8}[ /-]?[0-9]{2}", _nss_valid),
        ("US", r"[0-9]{3}[ -][0-9]{2}[ -][0-9]{4}", us_ssn.is_valid),
        ("GB", r"[A-Za-z]{2} ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-Da-d]", _nino_valid),
        ("FR", r"[12] ?[0-9]{2} ?[0-9]{2} ?(?:[0-9]{2}|2[ABab]) ?[0-9]{3} ?[0-9]{3} ?[0-9]{2}", fr_nir.is_valid),
        ("DE", r"[1-9][0-9](?: ?[0-9]{3}){3}", de_idnr.is_valid),
        ("MX", r"[A-Z]{4}[0-9]{6}[HMX][A-Z]{5}[0-9A-Z][0-9]", mx_curp.is_valid),
        ("MX", r"[A-ZÑ&]{3,4}[0-9]{6}[A-Z0-9]{3}", mx_rfc.is_valid),
    )
)
_ANY_ID = re.compile(
    _B + "(?:" + "|".join(rx.pattern.removeprefix(_B).removesuffix(_E) for _, rx, _ in _IDS) + ")" + _E
)
_NANP = re.compile(_B + r"(?:\([2-9][0-9]{2}\) ?|[2-9][0-9]{2}([ .-]))[2-9][0-9]{2}[ .-]?[0-9]{4}" + r"(?![0-9])")
_NANP_REGIONS = frozenset({"US", "CA"})
# Digit groups in a national layout: "612 34 56 78", "91 123 45 67", "(55) 1234-5678", "612345678".
_NATIONAL_PHONE = re.compile(
    r"(?<![\w+./-])(?<![0-9][ .,/])\(?[0-9]{1,4}\)?(?:[ .-]?[0-9]{2,5}){0,5}(?![\w-]|[.,/][0-9])"
)
_YEAR_FIRST = re.compile(r"(?:19|20)[0-9]{2}[-/.]")


def _valid_phone_end(text: str, m: re.Match[str], regions: Sequence[str]) -> int:
    """End of the longest prefix of the match (at a group boundary) that is a valid number of a region."""
    span = m.group()
    if _YEAR_FIRST.match(span) or pii._DATE_RE.fullmatch(span):
        return -1
    cuts = [len(span)] + [i for i in range(len(span) - 1, 0, -1) if span[i] in " .-" and span[i - 1].isdigit()]
    for n in cuts:
        cand = span[:n]
        digits = sum(c.isdigit() for c in cand)
        if digits < 8:
            break
        if digits > 12:
            continue
        for region in regions:
            try:
                if phonenumbers.is_valid_number(phonenumbers.parse(cand, region)):
                    return m.start() + n
            except phonenumbers.NumberParseException:
                continue
    return -1


# RE2 superset of what the detectors above accept: 8+ digits with single separators, or
# letters and digits in an ID's layout.
PREFILTER_RE2 = "|".join((
    r"[0-9](?:[ .()/-]{0,2}[0-9]){7}",
    r"[A-Za-z][ -]?[0-9]{7}",
    r"[A-Za-z]{2} ?[0-9]{2} ?[0-9]{2} ?[0-9]{2}",
    r"[A-ZÑ&]{3}[0-9]{6}",
))  # fmt: skip


def regions_for(lang: str, configured: Sequence[str]) -> list[str]:
    """Configured regions, and those the text's language makes plausible, in that order."""
    out = [r.upper() for r in configured]
    out += [r for r in LANGUAGE_REGIONS.get(lang, ()) if r not in out]
    return out


def _compact(number: str) -> str:
    return number.replace(" ", "").replace("/", "")


def _sub(text: str, spans: list[tuple[int, int]], label: str) -> str:
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + label + text[end:]
    return text


def redact_national(text: str, regions: Sequence[str]) -> tuple[str, dict[str, int]]:
    """Replace national IDs and national-format phones of `regions` in `text`; counts by type."""
    counts: dict[str, int] = {}
    wanted = set(regions)
    spans = [
        m.span()
        for region, rx, check in _IDS
        if region in wanted
        for m in rx.finditer(text)
        if check(_compact(m.group()))
    ]
    if spans:
        text = _sub(text, _merge(spans), NATIONAL_ID)
        counts["national_id"] = len(_merge(spans))
    phones: list[tuple[int, int]] = []
    if wanted & _NANP_REGIONS:
        for m in _NANP.finditer(text):
            try:
                if phonenumbers.is_possible_number(phonenumbers.parse(m.group(), "US")):
                    phones.append(m.span())
            except phonenumbers.NumberParseException:
                continue
    for m in _NATIONAL_PHONE.finditer(text):
        end = _valid_phone_end(text, m, regions)
        if end > 0:
            phones.append((m.start(), end))
    if phones:
        merged = _merge(phones)
        text = _sub(text, merged, PHONE)
        counts["phone"] = len(merged)
    return text, counts


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def redact(text: str, language: str | None = None, regions: Sequence[str] = DEFAULT_REGIONS) -> pii.PiiResult:
    """Everything tasks/prepare/pii.py finds, then the national formats (language detected if not given)."""
    first = pii.redact(text)
    lang = language if language is not None else _detect([first.text])[0]
    out, found = redact_national(first.text, regions_for(lang, regions))
    counts = dict(first.counts)
    for k, v in found.items():
        counts[k] = counts.get(k, 0) + v
    return pii.PiiResult(out, counts)


def _detect(texts: list[str]) -> list[str]:
    return language.detect_languages(texts)


def candidates(arr: pa.Array) -> np.ndarray:
    return pc.match_substring_regex(arr, PREFILTER_RE2).fill_null(False).to_numpy(zero_copy_only=False)


def redact_array(arr: pa.Array, regions: Sequence[str]) -> tuple[pa.Array, dict[int, dict[str, int]]]:
    """National formats in an Arrow array (after tasks/prepare/pii.py): the new array, counts per changed row."""
    mask = candidates(arr)
    rows = np.flatnonzero(mask)
    if not len(rows):
        return arr, {}
    texts = arr.take(pa.array(rows)).to_pylist()
    langs = _detect(texts)
    counts: dict[int, dict[str, int]] = {}
    changed = np.zeros(len(arr), dtype=bool)
    new: list[str] = []
    for row, text, lang in zip(rows.tolist(), texts, langs, strict=True):
        out, found = redact_national(text, regions_for(lang, regions))
        if found:
            counts[row] = found
            changed[row] = True
            new.append(out)
    if counts:
        arr = replace_rows(arr, changed, new)
    return arr, counts
