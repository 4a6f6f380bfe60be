"""A worker loop (``run_forever(stop)``) run in a thread of the app for the app's lifetime: a Reflex
lifespan task starts it and, at shutdown, stops it and waits a moment for it."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncIterator, Callable


@contextlib.asynccontextmanager
async def app_thread(run_forever: Callable[[threading.Event], None], name: str) -> AsyncIterator[None]:
    stop = threading.Event()
    thread = threading.Thread(target=run_forever, args=(stop,), name=name, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)
