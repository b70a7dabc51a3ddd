"""Model lifecycle decisions for any day: the provider's last day for new fine-tuning jobs, model
shutdown dates from the models API merged with the config table, and champion warnings."""

from datetime import date
from types import SimpleNamespace

import httpx
import openai
import pytest

from ftflow.config import LifecycleConfig, PipelineConfig
from ftflow.lifecycle import (
    LifecycleError,
    base_of,
    champion_notice,
    check_new_job,
    model_lifetime,
    parse_api_date,
)

MINI = "gpt-4o-mini-2024-07-18"
FT = f"ft:{MINI}:org:support:abc123"
CFG = LifecycleConfig()


class FakeModels:
    """`client.models.retrieve` answering from a dict: a date string, None (no date) or 404."""

    def __init__(self, known: dict[str, str | None], fail: bool = False):
        self.known, self.fail, self.asked = known, fail, []

    def retrieve(self, model: str):
        self.asked.append(model)
        request = httpx.Request("GET", f"https://api.example/v1/models/{model}")
        if self.fail:
            raise openai.APIConnectionError(request=request)
        if model not in self.known:
            raise openai.NotFoundError("no such model", response=httpx.Response(404, request=request), body=None)
        return SimpleNamespace(id=model, shutdown_date=self.known[model])


def client(known: dict[str, str | None], fail: bool = False):
    return SimpleNamespace(models=FakeModels(known, fail))


def test_defaults_are_the_notice_dated_and_sourced():
    cfg = PipelineConfig().lifecycle
    assert cfg.last_job_day == {"openai": date(2027, 1, 6)}
    assert cfg.shutdown_dates[MINI] == date(2027, 1, 14)
    assert cfg.shutdown_dates["gpt-4.1-mini"] == date(2027, 1, 14)
    assert cfg.as_of == date(2026, 12, 4)
    assert "deprecations" in cfg.source
    assert any("hf-lora" in alt for alt in cfg.alternatives)


def test_a_job_before_the_last_day_is_allowed():
    life = check_new_job(MINI, CFG, today=date(2026, 12, 4))
    assert life.shutdown_date == date(2027, 1, 14)
    assert life.source == "lifecycle table as of 2026-12-04"


def test_the_last_day_itself_is_still_allowed():
    check_new_job(MINI, CFG, today=date(2027, 1, 6))


def test_the_day_after_the_last_day_is_refused_with_one_line_naming_dates_and_alternatives():
    with pytest.raises(LifecycleError) as caught:
        check_new_job(MINI, CFG, today=date(2027, 1, 7))
    message = str(caught.value)
    assert message.startswith(
        f"{MINI}: OpenAI accepts no new fine-tuning jobs after 2027-01-06 (shuts down 2027-01-14)"
    )
    assert "use finetune.backend: hf-lora" in message
    assert "\n" not in message


def test_a_model_past_its_shutdown_is_refused_even_without_a_provider_cutoff():
    cfg = CFG.model_copy(update={"last_job_day": {}})
    with pytest.raises(LifecycleError, match=r"shut down on 2027-01-14 \(lifecycle table"):
        check_new_job(MINI, cfg, today=date(2027, 1, 14))
    check_new_job(MINI, cfg, today=date(2027, 1, 13))


def test_an_unknown_model_has_no_date_and_only_the_provider_cutoff_applies():
    life = model_lifetime("gpt-9-nano", CFG)
    assert (life.shutdown_date, life.source, life.exists) == (None, None, None)
    check_new_job("gpt-9-nano", CFG, today=date(2027, 1, 6))
    with pytest.raises(LifecycleError, match=r"^gpt-9-nano: OpenAI accepts no new fine-tuning jobs after 2027-01-06;"):
        check_new_job("gpt-9-nano", CFG, today=date(2027, 1, 7))
    other = CFG.model_copy(update={"last_job_day": {"openai": date(2027, 1, 6)}})
    check_new_job("some-model", other, provider="acme", today=date(2030, 1, 1))  # no cutoff known for acme


def test_the_models_api_date_wins_over_the_table():
    fake = client({MINI: "2026-12-20"})
    life = model_lifetime(MINI, CFG, client=fake)
    assert (life.shutdown_date, life.source, life.exists) == (date(2026, 12, 20), "models API", True)
    with pytest.raises(LifecycleError, match=r"shut down on 2026-12-20 \(models API\)"):
        check_new_job(MINI, CFG, client=fake, today=date(2026, 12, 21))


def test_the_table_fills_in_when_the_api_gives_no_date_or_cannot_answer():
    for fake in (client({MINI: None}), client({}, fail=True)):
        life = model_lifetime(MINI, CFG, client=fake)
        assert life.shutdown_date == date(2027, 1, 14)
        assert life.source.startswith("lifecycle table")
    assert model_lifetime(MINI, CFG, client=client({}, fail=True)).exists is None


def test_use_models_api_off_asks_nothing():
    fake = client({MINI: "2026-12-20"})
    life = model_lifetime(MINI, CFG.model_copy(update={"use_models_api": False}), client=fake)
    assert life.shutdown_date == date(2027, 1, 14)
    assert fake.models.asked == []


def test_a_fine_tune_shuts_down_with_its_base():
    assert base_of(FT) == MINI
    assert base_of(MINI) is None
    life = model_lifetime(FT, CFG)
    assert life.shutdown_date == date(2027, 1, 14)
    assert life.source == f"lifecycle table as of 2026-12-04 for its base {MINI}"
    # the fine-tune's own (earlier) API date wins over its base's
    life = model_lifetime(FT, CFG, client=client({FT: "2026-12-10", MINI: "2027-01-14"}))
    assert (life.shutdown_date, life.source) == (date(2026, 12, 10), "models API")


def test_a_model_the_api_no_longer_knows_is_gone():
    life = model_lifetime(FT, CFG, client=client({MINI: "2027-01-14"}))
    assert life.exists is False
    assert life.is_shut_down(date(2026, 12, 4))
    assert life.describe(date(2026, 12, 4)) == "2027-01-14 (41 days)"


def test_parse_api_date_accepts_what_the_api_may_send():
    assert parse_api_date("2027-01-14") == date(2027, 1, 14)
    assert parse_api_date("2027-01-14T00:00:00Z") == date(2027, 1, 14)
    assert parse_api_date(1799884800) == date(2027, 1, 14)
    assert parse_api_date(None) is None
    assert parse_api_date("soon") is None


def test_champion_warning_within_warn_days_only():
    cfg = CFG.model_copy(update={"warn_days": 30})
    assert champion_notice("support", FT, cfg, today=date(2026, 12, 14)) is None  # 31 days left
    notice = champion_notice("support", FT, cfg, today=date(2026, 12, 15))  # 30 days left
    assert notice is not None
    assert notice.days_left == 30
    assert notice.payload()["shutdown_date"] == "2027-01-14"
    assert "shuts down on 2027-01-14, in 30 days" in notice.message
    assert "ftflow models record support" in notice.message
    gone = champion_notice("support", FT, cfg, today=date(2027, 2, 1))
    assert gone is not None
    assert "shut down on 2027-01-14" in gone.message
    assert champion_notice("support", "gpt-9-nano", cfg, today=date(2027, 2, 1)) is None  # no date known


def test_config_file_can_override_the_table(tmp_path):
    from ftflow.config import load_config

    path = tmp_path / "cfg.yaml"
    path.write_text("lifecycle:\n  warn_days: 60\n  last_job_day: {openai: 2026-12-01}\n"
                    "  shutdown_dates: {gpt-4o-mini-2024-07-18: 2027-02-01}\n")  # fmt: skip
    cfg = load_config(path).lifecycle
    assert cfg.warn_days == 60
    assert cfg.last_job_day == {"openai": date(2026, 12, 1)}
    assert cfg.shutdown_dates == {MINI: date(2027, 2, 1)}


def test_flow_step_without_an_openai_key_uses_the_table_and_skips_other_backends(tmp_path, monkeypatch,
                                                                                 fresh_credentials):  # fmt: skip
    from ftflow.flows.lifecycle import lifecycle_checks

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("AZURE_OPENAI_ENDPOINT", raising=False)
    events, warnings = [], []
    openai_cfg = PipelineConfig.model_validate({"data": {"storage": str(tmp_path)}})
    with pytest.raises(LifecycleError, match="after 2027-01-06"):
        lifecycle_checks(openai_cfg, str(tmp_path), today=date(2027, 1, 7), emit=events.append, warn=warnings.append)
    assert lifecycle_checks(openai_cfg, str(tmp_path), today=date(2027, 1, 6), emit=events.append,
                            warn=warnings.append) == {"base model shuts down": "2027-01-14"}  # fmt: skip
    hf = openai_cfg.model_copy(update={"finetune": openai_cfg.finetune.model_copy(update={"backend": "hf-lora"})})
    assert lifecycle_checks(hf, str(tmp_path), today=date(2027, 2, 1), emit=events.append, warn=warnings.append) == {}
    assert events == warnings == []  # no champion in this registry yet
