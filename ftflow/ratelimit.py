"""A client-side token-bucket limiter for requests per minute and tokens per minute.

OpenAI rejects what goes over an organisation's RPM/TPM with 429s; pacing on our side keeps
those (and the retries they cost) rare. Two buckets refill continuously at limit/60 per
second and hold at most ``burst_seconds`` worth of budget, so a short burst is allowed but
the rate over any longer window stays at the limit. A request takes 1 from the request
bucket and its estimated tokens (prompt + expected completion) from the token bucket;
:meth:`settle` corrects the token bucket with the real usage once the response is in.

Waiters queue on one lock and are served in turn, so the pacing is exact and no thread starves.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RateLimiter:
    def __init__(self, requests_per_minute: float, tokens_per_minute: float, *, burst_seconds: float = 1.0,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:  # fmt: skip
        if requests_per_minute <= 0 or tokens_per_minute <= 0:
            raise ValueError("rate limits must be positive")
        self.request_rate = requests_per_minute / 60.0
        self.token_rate = tokens_per_minute / 60.0
        self.request_capacity = max(1.0, self.request_rate * burst_seconds)
        self.token_capacity = max(1.0, self.token_rate * burst_seconds)
        self._requests = self.request_capacity
        self._tokens = self.token_capacity
        self._clock, self._sleep = clock, sleep
        self._updated = clock()
        self._state = threading.Lock()  # guards the two levels
        self._turn = threading.Lock()  # one waiter at a time, in arrival order
        self.waited_s = 0.0

    def _refill(self) -> None:
        now = self._clock()
        elapsed = max(0.0, now - self._updated)
        self._updated = now
        self._requests = min(self.request_capacity, self._requests + elapsed * self.request_rate)
        self._tokens = min(self.token_capacity, self._tokens + elapsed * self.token_rate)

    def acquire(self, tokens: int = 0) -> float:
        """Block until one request and ``tokens`` fit; returns the seconds waited.

        A request estimated above the bucket's capacity waits for a full bucket and then
        leaves it in debt, which later requests wait out: the average still holds.
        """
        need = min(float(tokens), self.token_capacity)
        waited = 0.0
        with self._turn:
            while True:
                with self._state:
                    self._refill()
                    short_r = 1.0 - self._requests
                    short_t = need - self._tokens
                    if short_r <= 1e-9 and short_t <= 1e-9:
                        self._requests -= 1.0
                        self._tokens -= float(tokens)
                        self.waited_s += waited
                        return waited
                    delay = max(short_r / self.request_rate, short_t / self.token_rate, 0.0005)
                self._sleep(delay)
                waited += delay

    def settle(self, estimated: int, actual: int) -> None:
        """Give back (or charge) the difference between estimated and actual tokens."""
        with self._state:
            self._refill()
            self._tokens = min(self.token_capacity, self._tokens + (estimated - actual))
