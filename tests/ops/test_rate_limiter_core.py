"""The limiter's decisions, on a clock the test moves (no sleeping)."""

from __future__ import annotations

import threading

import pytest

from pyopenai import RateLimiter
from pyopenai._rate_limiter import estimate_tokens, resolve_rate_limiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def limits(remaining_requests: int, limit_requests: int = 600, reset: str = "100ms") -> dict[str, str]:
    return {
        "x-ratelimit-limit-requests": str(limit_requests),
        "x-ratelimit-remaining-requests": str(remaining_requests),
        "x-ratelimit-reset-requests": reset,
    }


def test_fixed_limit_lets_a_minutes_allowance_through_then_paces_at_the_rate() -> None:
    clock = Clock()
    limiter = RateLimiter(requests_per_minute=600, clock=clock)  # 10 a second
    delays = [limiter.reserve(0) for _ in range(600)]
    assert all(granted for _, granted in delays)
    immediate = sum(1 for delay, _ in delays if delay == 0)
    assert immediate == 590  # all but the headroom kept for network jitter (a second of refill: 10 requests)
    # the ones past the allowance are spaced 0.1 s apart, first come first served
    late = [delay for delay, _ in delays if delay > 0]
    assert late == sorted(late)
    assert late[1] - late[0] == pytest.approx(0.1)
    clock.now += 60  # a minute later the bucket is full again
    assert limiter.reserve(0) == (0.0, True)


def test_tokens_limit_charges_each_request_its_estimate() -> None:
    clock = Clock()
    limiter = RateLimiter(tokens_per_minute=6000, clock=clock)  # 100 tokens a second
    assert limiter.reserve(5000)[0] == 0
    delay, granted = limiter.reserve(2000)
    assert granted and delay == pytest.approx((2000 - (6000 - 100 - 5000)) / 100)


def test_a_429_pauses_everyone_for_the_retry_after() -> None:
    clock = Clock()
    limiter = RateLimiter(requests_per_minute=600, clock=clock)
    limiter.observe({"retry-after-ms": "2000"}, status=429)
    delay, _ = limiter.reserve(0)
    assert delay == pytest.approx(2.1)  # 2 s of pause, then the request's own 0.1 s


def test_adaptive_sends_one_probe_then_follows_the_reported_limits() -> None:
    clock = Clock()
    limiter = RateLimiter.adaptive(clock=clock)
    assert limiter.reserve(10) == (0.0, True)  # the probe
    waiting, granted = limiter.reserve(10)
    assert not granted and waiting > 0  # the others wait for its answer
    limiter.observe(limits(remaining_requests=3, limit_requests=600))
    assert limiter.requests_per_minute == pytest.approx(600)
    # 3 left per the server, less the headroom (10): each next one waits for the refill (10 a second)
    delays = [limiter.reserve(0)[0] for _ in range(3)]
    assert delays == pytest.approx([0.8, 0.9, 1.0])


def test_adaptive_learns_the_window_of_a_per_day_limit() -> None:
    clock = Clock()
    limiter = RateLimiter.adaptive(clock=clock)
    limiter.reserve(0)
    # 200 a day, 100 left, full again in 12 h: it refills at 200 per 24 h
    limiter.observe(limits(remaining_requests=100, limit_requests=200, reset="12h0m0s"))
    assert limiter.requests_per_minute == pytest.approx(200 / (24 * 60), rel=0.01)


def test_adaptive_without_headers_stops_pacing() -> None:
    limiter = RateLimiter.adaptive(clock=Clock())
    limiter.reserve(0)
    limiter.observe({})
    assert [limiter.reserve(0) for _ in range(50)] == [(0.0, True)] * 50


def test_a_probe_that_got_no_answer_lets_the_next_request_probe() -> None:
    limiter = RateLimiter.adaptive(clock=Clock())
    limiter.reserve(0)
    limiter.failed()
    assert limiter.reserve(0) == (0.0, True)


def test_reservations_from_many_threads_are_each_counted_once() -> None:
    clock = Clock()
    limiter = RateLimiter(requests_per_minute=6000, clock=clock)
    delays: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def worker() -> None:
        start.wait()
        for _ in range(1000):
            delay, _ = limiter.reserve(0)
            with lock:
                delays.append(delay)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # 8000 requests at 100 a second after an allowance of 5900: the last waits (8000 - 5900) / 100 s
    assert max(delays) == pytest.approx((8000 - 5900) / 100)
    assert len(set(delays)) == len(delays) - sum(1 for d in delays if d == 0) + 1


@pytest.mark.parametrize("bad", [0, -5])
def test_limits_must_be_positive(bad: int) -> None:
    with pytest.raises(ValueError, match="requests_per_minute"):
        RateLimiter(requests_per_minute=bad)


def test_rate_limiter_argument_is_auto_an_object_or_none() -> None:
    assert resolve_rate_limiter(None) is None
    assert resolve_rate_limiter("auto").adaptive_mode  # type: ignore[union-attr]
    fixed = RateLimiter(requests_per_minute=5)
    assert resolve_rate_limiter(fixed) is fixed
    with pytest.raises(ValueError, match="'auto'"):
        resolve_rate_limiter("fast")  # type: ignore[arg-type]


def test_token_estimate_counts_input_bytes_and_requested_output() -> None:
    body = {"model": "gpt-4o", "messages": [{"role": "user", "content": "x" * 400}], "max_tokens": 50, "n": 2}
    assert estimate_tokens(body) == pytest.approx(100 + 25 + 100, abs=10)
    assert estimate_tokens(None) == 0
