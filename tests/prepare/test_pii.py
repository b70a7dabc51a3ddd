"""Tests for ftflow.tasks.prepare.pii: what is redacted, what must survive, and batch == single."""

from __future__ import annotations

import random

import pytest

from ftflow.tasks.prepare.pii import PII_TYPES, PiiResult, redact, redact_many

# (input, expected redacted text, expected counts)
POSITIVES: list[tuple[str, str, dict[str, int]]] = [
    # email
    (
        "Please send the MRI report to maria.gonzalez@clinic-example.org before Monday.",
        "Please send the MRI report to [EMAIL] before Monday.",
        {"email": 1},
    ),
    (
        "Ask our paralegal (j.o'neil+court@lawfirm.co.uk) for the signed copy.",
        "Ask our paralegal ([EMAIL]) for the signed copy.",
        {"email": 1},
    ),
    # phone: US, UK, DE, FR, international
    ("Call me at (415) 555-2671 after 5pm.", "Call me at [PHONE] after 5pm.", {"phone": 1}),
    (
        "Mobile 415.555.2671, toll-free 1-800-555-0199.",
        "Mobile [PHONE], toll-free [PHONE].",
        {"phone": 2},
    ),
    (
        "Our London office: +44 20 7946 0958 (ask for reception).",
        "Our London office: [PHONE] (ask for reception).",
        {"phone": 1},
    ),
    ("UK mobile 07911 123456 is on file.", "UK mobile [PHONE] is on file.", {"phone": 1}),
    (
        "Rückruf bitte unter 030 12345678 oder +49 (0)30 1234 5678.",
        "Rückruf bitte unter [PHONE] oder [PHONE].",
        {"phone": 2},
    ),
    ("Tel.: 0171/1234567 (Handy)", "Tel.: [PHONE] (Handy)", {"phone": 1}),
    (
        "Appelez le 01 23 45 67 89 ou le 06.12.34.56.78.",
        "Appelez le [PHONE] ou le [PHONE].",
        {"phone": 2},
    ),
    ("From abroad dial 0044 20 7946 0958.", "From abroad dial [PHONE].", {"phone": 1}),
    ("Call 2125550123 tomorrow.", "Call [PHONE] tomorrow.", {"phone": 1}),
    # card (Luhn-valid test numbers)
    (
        "Paid with Visa 4111 1111 1111 1111 exp 09/27.",
        "Paid with Visa [CARD] exp 09/27.",
        {"card": 1},
    ),
    ("Card 5500-0000-0000-0004 was declined.", "Card [CARD] was declined.", {"card": 1}),
    ("Amex 3782 822463 10005 on file.", "Amex [CARD] on file.", {"card": 1}),
    ("card:4012888888881881.", "card:[CARD].", {"card": 1}),
    # iban (mod-97 valid)
    ("Wire to DE89 3704 0044 0532 0130 00 please.", "Wire to [IBAN] please.", {"iban": 1}),
    ("IBAN: GB82 WEST 1234 5698 7654 32.", "IBAN: [IBAN].", {"iban": 1}),
    ("Pay FR1420041010050500013M02606 by Friday.", "Pay [IBAN] by Friday.", {"iban": 1}),
    # ip
    ("Login from 203.0.113.45 at midnight.", "Login from [IP] at midnight.", {"ip": 1}),
    ("Blocked 198.51.100.7:8080 and 10.0.0.1.", "Blocked [IP]:8080 and [IP].", {"ip": 2}),
    (
        "Seen 2001:0db8:85a3:0000:0000:8a2e:0370:7334, fe80::1ff:fe23:4567:890a and ::ffff:192.0.2.128.",
        "Seen [IP], [IP] and [IP].",
        {"ip": 3},
    ),
    # ssn
    (
        "Patient SSN 219-09-9999 on the intake form.",
        "Patient SSN [SSN] on the intake form.",
        {"ssn": 1},
    ),
]

MIXED = (
    "Dr. Lee (lee@hospital.org, +1 212 555 0123) billed card 4111111111111111 "
    "to IBAN GB82WEST12345698765432 from 192.168.1.20; SSN 536-22-1234; also bob@x.io."
)
MIXED_REDACTED = "Dr. Lee ([EMAIL], [PHONE]) billed card [CARD] to IBAN [IBAN] from [IP]; SSN [SSN]; also [EMAIL]."
MIXED_COUNTS = {"email": 2, "phone": 1, "card": 1, "iban": 1, "ip": 1, "ssn": 1}

NEGATIVES: list[str] = [
    # checksum failures
    "Test card 4111 1111 1111 1112 is invalid.",
    "Reference 1234567812345678 fails Luhn.",
    "IBAN DE89 3704 0044 0532 0130 01 has a typo.",
    "GB82 WEST 1234 5698 7654 33 is wrong too.",
    # dates and times
    "Admitted 2024-03-15, discharged 15/03/2024.",
    "Follow-up on 03/15/2024, 05.03.2024 or 05-03-2024 at 10:30.",
    "The visit lasted from 09:15:30 to 11:45:00.",
    # prices, dosages, counts
    "Total due: $1,299.00 (was $1,499.99), or €1.250,00.",
    "Take 500 mg twice daily; max 4000 mg per day; 0.5 ml/kg.",
    "Room 12, bed 3, floor 4; 7 days; 30 tablets; call 911 or 112.",
    "Population grew from 8,336,817 to 8,804,190.",
    "Blood pressure 120/80, pulse 72, SpO2 98%.",
    # versions, section numbers
    "Upgrade from Python 3.11.7 to 3.12.1; version 1.2.3.4 fixes it; v2.0.0.1 too.",
    "See section 4.2.1.3 and § 12.3.4.5 of the lease.",
    # ZIP codes, ids, order numbers
    "Ship to CA 90210, Boston MA 02134-1234, 10115 Berlin or 75008 Paris.",
    "Order #4512778911 shipped; invoice 20240315001; ref 0012345678.",
    "Patient ID 987654321, MRN 00123456.",
    "Case No. 2:19-cv-01234 was dismissed.",
    "ISBN 978-3-16-148410-0 and ISBN 9783161484100.",
    # invalid SSNs, IPs, look-alikes
    "SSN 000-12-3456, 666-12-3456 and 900-12-3456 are not valid.",
    "Octets 256.1.1.1 and 10.0.0.999 are out of range.",
    "The ratio was 1:2:3; C++ uses std::vector; MAC 00:1a:2b:3c:4d:5e.",
    "Coordinates 52.520008, 13.404954.",
    "No PII here at all, just a plain question about appointments.",
    "",
]


@pytest.mark.parametrize(("text", "expected", "counts"), POSITIVES)
def test_redacts_each_type(text: str, expected: str, counts: dict[str, int]) -> None:
    assert redact(text) == PiiResult(expected, counts)


def test_mixed_text_counts_every_type() -> None:
    result = redact(MIXED)
    assert result.text == MIXED_REDACTED
    assert result.counts == MIXED_COUNTS
    assert set(result.counts) == set(PII_TYPES)


def test_counts_repeated_items() -> None:
    text = "a@b.com, c@d.org, 203.0.113.1, 203.0.113.2, 203.0.113.3"
    assert redact(text) == PiiResult("[EMAIL], [EMAIL], [IP], [IP], [IP]", {"email": 2, "ip": 3})


@pytest.mark.parametrize("text", NEGATIVES)
def test_leaves_non_pii_alone(text: str) -> None:
    assert redact(text) == PiiResult(text, {})


def test_bare_digit_run_needs_phone_context() -> None:
    # The same valid US number is an id without a phone word in its clause.
    assert redact("Order 2125550123 shipped.").counts == {}
    assert redact("Phone 2125550123.").text == "Phone [PHONE]."


def test_neighbouring_numbers_are_not_swallowed() -> None:
    text = "Room 4, tel 020 7946 0958 020 7946 0959, 12 beds"
    assert redact(text) == PiiResult("Room 4, tel [PHONE] [PHONE], 12 beds", {"phone": 2})


@pytest.mark.parametrize("text", [p[0] for p in POSITIVES] + [MIXED] + NEGATIVES)
def test_idempotent(text: str) -> None:
    once = redact(text)
    twice = redact(once.text)
    assert twice == PiiResult(once.text, {})


def _fuzz_texts(n: int, seed: int = 7) -> list[str]:
    """Random mixes of PII look-alikes, separators and digit runs (mutated on purpose)."""
    rng = random.Random(seed)
    seeds = [p[0] for p in POSITIVES] + NEGATIVES + [MIXED]
    frags = [" ", "-", ".", "/", "(", ")", "+", ":", "::", "@", "0", "00", "tel ", "DE", "]"]

    def token() -> str:
        r = rng.random()
        if r < 0.2:
            s = list(rng.choice(seeds))
            for _ in range(rng.randint(0, 2)):
                if s:
                    s[rng.randrange(len(s))] = rng.choice("0123456789 -./")
            return "".join(s)
        if r < 0.7:
            return "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 5)))
        return rng.choice(frags)

    return ["".join(token() for _ in range(rng.randint(1, 20))) for _ in range(n)]


def test_idempotent_on_glued_fuzz() -> None:
    # Placeholders change their neighbours' context ("...]GB82WEST..."): still a fixpoint.
    for text in _fuzz_texts(3000, seed=11):
        once = redact(text)
        assert redact(once.text) == PiiResult(once.text, {}), text


def test_batch_equals_one_by_one() -> None:
    texts = [p[0] for p in POSITIVES] + NEGATIVES + [MIXED] + _fuzz_texts(3000)
    batch_texts, batch_counts = redact_many(texts)
    singles = [redact(t) for t in texts]
    assert batch_texts == [r.text for r in singles]
    assert batch_counts == [r.counts for r in singles]
    assert sum(1 for c in batch_counts if c) > len(POSITIVES)  # the fuzz really hits


def test_batch_edge_cases() -> None:
    assert redact_many([]) == ([], [])
    texts, counts = redact_many(["x@y.com", "plain", "x@y.com"])
    assert texts == ["[EMAIL]", "plain", "[EMAIL]"]
    assert counts == [{"email": 1}, {}, {"email": 1}]
    counts[0]["email"] = 99  # each row gets its own dict
    assert counts[2] == {"email": 1}
    # Lone surrogates cannot go to Arrow: the batch falls back to checking every row.
    assert redact_many(["\ud800 call 212-555-0123"]) == (["\ud800 call [PHONE]"], [{"phone": 1}])


def test_public_constants() -> None:
    assert PII_TYPES == ("email", "phone", "card", "iban", "ip", "ssn")


def test_arrow_batch_equals_one_by_one() -> None:
    import pyarrow as pa

    from ftflow.tasks.prepare.pii import redact_array

    texts = [p[0] for p in POSITIVES] + NEGATIVES + [MIXED] + _fuzz_texts(5000, seed=3)
    redacted, counts = redact_array(pa.array(texts, type=pa.large_string()))
    singles = [redact(t) for t in texts]
    assert redacted.to_pylist() == [r.text for r in singles]
    assert counts == {i: r.counts for i, r in enumerate(singles) if r.counts}
