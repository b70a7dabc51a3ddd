"""`no_content`: a trained answer whose words are all among its language's most frequent ones
("No, no es así, y no lo es para nada…"), fewer content words than `prepare.quality.min_content_words`
(tasks/prepare/checks/content_words.py counts them, per language; 0 turns the rule off)."""

from ftflow.tasks.prepare.checks import Check, content_words, register

CHECK = register(Check(
    reason="no_content",
    column="content_words",
    params={"min_content_words": lambda cfg: cfg.quality.min_content_words},
    compute=content_words.compute,
    explain=lambda d: (
        f"answer has {int(d.value('content_words'))} content words (words outside the {content_words.TOP_NOTE} of "
        f"its language), minimum {d.cfg.quality.min_content_words}"
    ),
))  # fmt: skip
