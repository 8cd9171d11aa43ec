"""The local server's rate limits: reported in x-ratelimit headers, enforced when configured."""

from __future__ import annotations

import json

import httpx2
import pytest

from pyopenai.testing import LocalServer
from pyopenai.testing._main import build_parser
from pyopenai.testing._rate_limit import format_duration

AUTH = {"authorization": "Bearer sk-test"}


@pytest.mark.parametrize(
    ("seconds", "text"), [(0.0, "0s"), (0.02, "20ms"), (0.0001, "1ms"), (1.0, "1s"), (2.5, "2.5s"), (360.0, "6m0s"), (3723.5, "1h2m3.5s")]
)
def test_reset_times_are_written_as_the_api_writes_them(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


def test_requests_beyond_the_limit_get_429_with_when_to_come_back() -> None:
    with LocalServer(requests_per_minute=3) as server, httpx2.Client(base_url=server.url, headers=AUTH) as http:
        answers = [http.get("/models") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.headers["x-ratelimit-remaining-requests"] for a in answers] == ["2", "1", "0", "0"]
    assert answers[0].headers["x-ratelimit-limit-requests"] == "3"
    refused = answers[3]
    error = refused.json()["error"]
    assert error["code"] == "rate_limit_exceeded" and error["type"] == "requests"
    assert "Limit 3" in error["message"]
    # the bucket refills at 3 a minute: one more request fits in about 20 s
    assert 15_000 < int(refused.headers["retry-after-ms"]) <= 20_001
    assert server.app.rate_limits.rejected == 1


def test_tokens_limit_counts_input_and_the_output_asked_for() -> None:
    body = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 400}
    size = len(json.dumps(body))
    with LocalServer(tokens_per_minute=1000) as server, httpx2.Client(base_url=server.url, headers=AUTH) as http:
        first = http.post("/chat/completions", content=json.dumps(body))
        second = http.post("/chat/completions", content=json.dumps(body))
        third = http.post("/chat/completions", content=json.dumps(body))
    assert first.status_code == 200
    assert int(first.headers["x-ratelimit-remaining-tokens"]) == pytest.approx(1000 - (size // 4 + 400), abs=2)
    assert second.status_code == 200
    assert third.status_code == 429 and third.json()["error"]["type"] == "tokens"


def test_without_limits_the_server_reports_generous_ones_and_never_refuses() -> None:
    with LocalServer() as server, httpx2.Client(base_url=server.url, headers=AUTH) as http:
        answers = [http.get("/models") for _ in range(20)]
    assert {a.status_code for a in answers} == {200}
    assert answers[-1].headers["x-ratelimit-limit-requests"] == "10000"
    assert server.app.rate_limits.rejected == 0


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError, match="requests_per_minute"):
        LocalServer(requests_per_minute=0)


def test_command_line_takes_the_limits() -> None:
    args = build_parser().parse_args(["--requests-per-minute", "60", "--tokens-per-minute", "1000"])
    assert (args.requests_per_minute, args.tokens_per_minute) == (60, 1000)
