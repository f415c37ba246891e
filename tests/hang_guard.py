"""A guard against hangs in the hostile-input tests: a hang fails the test, not the suite.

Not a speed assertion: the limit is generous (20 s for what takes milliseconds), and only
says that a refusal came at all instead of a parse running for minutes.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator

HANG_S = 20


class Hang(Exception):
    """A call that took longer than the guard allows."""


@contextlib.contextmanager
def within(seconds: float = HANG_S) -> Iterator[None]:
    """Fail with Hang if the block runs longer than ``seconds`` (SIGALRM; main thread)."""

    def alarm(signum, frame):
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
