"""A time budget for one document: the work inside `time_budget` stops with OverBudget.

Reading and extracting are linear in a document's length (tools/bench_linear.py), but a
megabyte-long page still takes seconds, and a defect or a pattern we have not met could take
minutes; one document must never stall a batch. In the main thread a SIGALRM timer
interrupts the work, even inside a regular-expression match; in another thread (the web
app's ingest) a timer raises the exception in that thread at its next Python instruction.
OverBudget derives from BaseException so that no stage's `except Exception` swallows it.
The limit of the thread timer: Python cannot interrupt a thread inside one C call (a single
regex match, an lxml parse, a SQLite statement), so there the exception lands when that call
returns. The size budget bounds the text such a call is given, and so how late that can be;
the command-line runs, in the main thread, have no such limit.
The exception can still be lost when it lands in code whose errors Python ignores (a weakref
callback or `__del__` run by the garbage collector), so until the block ends the timer fires
again every RETRY seconds.
"""
from __future__ import annotations

import ctypes
import signal
import threading
from contextlib import contextmanager
from typing import Iterator


RETRY = 0.05


class OverBudget(BaseException):
    """The document took longer than its time budget."""


def seconds_for(chars: int, max_seconds: float, seconds_per_mib: float) -> float:
    """A document's time budget: a fixed allowance plus a share per MiB of its text, since the
    work is linear in length (0 when max_seconds is 0: no limit)."""
    return max_seconds + seconds_per_mib * chars / (1024 * 1024) if max_seconds > 0 else 0.0


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Run the block with at most `seconds` of wall time (0 or less: no limit)."""
    if seconds <= 0:
        yield
    elif threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        with _alarm(seconds):
            yield
    else:
        with _thread_timer(seconds):
            yield


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    def expire(signum, frame):
        raise OverBudget(f"over its time budget of {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, RETRY)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _thread_timer(seconds: float) -> Iterator[None]:
    target = ctypes.c_ulong(threading.get_ident())
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    wake = threading.Event()

    def expire() -> None:
        delay = seconds
        while not wake.wait(delay):
            with lock:
                if state["done"]:
                    return
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(target, ctypes.py_object(OverBudget))
            delay = RETRY

    timer = threading.Thread(target=expire, daemon=True)
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["done"] = True
            wake.set()
            if state["fired"]:  # raised already, or still pending: never let it escape later
                ctypes.pythonapi.PyThreadState_SetAsyncExc(target, None)
