from tasks.normalize import normalize_contents, normalize_texts


def test_html_entities_including_double_escaped_are_decoded():
    assert normalize_texts(["Tom &amp; Jerry&#39;s", "a&amp;nbsp;b", "5 &lt; 6"]) == [
        "Tom & Jerry's",
        "a b",
        "5 < 6",
    ]


def test_unicode_is_nfc():
    decomposed = "Cafe\u0301"
    assert normalize_texts([decomposed]) == ["Caf\u00e9"]


def test_control_and_invisible_characters_are_removed_but_newlines_kept():
    assert normalize_texts(["a\x00b\x07c\u200bd\ufeff\nnext"]) == ["abcd\nnext"]


def test_whitespace_is_tidied_without_breaking_lists_or_indentation():
    text = "  Steps:\r\n- one   two\t\t three  \r\n\r\n\r\n\r\n    indented  code\n\u00a0end\u00a0 "
    assert normalize_texts([text]) == ["Steps:\n- one two three\n\n    indented code\n end"]


def test_pii_is_redacted_by_default_and_only_counted_in_quarantine_mode():
    texts = ["Write to jane.doe@example.com today.", "No personal data here."]
    redacted = normalize_contents(texts, "redact")
    assert redacted.contents[0] == "Write to [EMAIL] today."
    assert redacted.pii_found.tolist() == [1, 0]
    assert redacted.pii_by_type == {"email": 1}
    flagged = normalize_contents(texts, "quarantine")
    assert flagged.contents[0] == texts[0]
    assert flagged.pii_found.tolist() == [1, 0]
    off = normalize_contents(texts, "off")
    assert off.pii_found.tolist() == [0, 0]
    assert off.contents[0] == texts[0]
