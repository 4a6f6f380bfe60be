"""Running a coroutine from a sync test: on its own loop in another thread, because sync Playwright (the
e2e tests run before the unit tests) leaves a loop running in the main thread, where asyncio.run refuses;
with this thread's context, where Reflex keeps its app registration."""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_coroutine(coroutine: Coroutine[Any, Any, T]) -> T:
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(contextvars.copy_context().run, asyncio.run, coroutine).result()
