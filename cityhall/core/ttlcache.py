"""A tiny per-process cache for hot, rarely changing lookups on write paths (an API key's
validity, an address from the city's list). Only found values are kept, and only briefly,
so something new is seen at once and a change or revocation within `seconds`."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Generic, TypeVar

V = TypeVar("V")


class TTLCache(Generic[V]):
    def __init__(self, seconds: float, max_items: int = 10_000) -> None:
        self.seconds = seconds
        self.max_items = max_items
        self._items: dict[str, tuple[float, V]] = {}

    def get_or_load(self, key: str, load: Callable[[], V | None]) -> V | None:
        now = time.monotonic()
        hit = self._items.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        value = load()
        if value is not None:
            if len(self._items) >= self.max_items:
                self._items.clear()
            self._items[key] = (now + self.seconds, value)
        else:
            self._items.pop(key, None)
        return value

    def clear(self) -> None:
        self._items.clear()
