"""`ftflow devstack` manages the emulator beside S3: up twice is safe, env names it, down stops only it."""

import openai
import pytest

from ftflow import devstack

pytestmark = pytest.mark.integration


def test_emulator_service_up_twice_env_and_down(tmp_path):
    first = devstack.start_openai_emulator(tmp_path, port=0)
    try:
        again = devstack.start_openai_emulator(tmp_path)
        assert again.reused
        assert again.pid == first.pid
        env = devstack.env_exports(tmp_path)
        assert env["OPENAI_BASE_URL"] == first.base_url
        client = openai.OpenAI(base_url=env["OPENAI_BASE_URL"], api_key=env["OPENAI_API_KEY"])
        assert any(m.id.startswith("gpt-4o-mini") for m in client.models.list())
    finally:
        assert devstack.stop_all(tmp_path) == ["openai"]
    assert not devstack.is_running(first)
    assert devstack.stop_all(tmp_path) == []
