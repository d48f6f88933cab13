"""Writes for search: index version bumps, synonyms, click learning and analytics counters."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections import Counter
from typing import Any

from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone

from cityhall.audit.actions import record_write
from cityhall.search.models import ClickStat, IndexState, QueryStat, SynonymGroup

CLICK_HALF_LIFE_DAYS = 30.0
logger = logging.getLogger(__name__)


@transaction.atomic
def bump_index_version() -> int:
    state, _ = IndexState.objects.select_for_update().get_or_create(pk=1)
    state.version = F("version") + 1
    state.updated_at = timezone.now()
    state.save()
    state.refresh_from_db()
    return state.version


def request_index_refresh() -> None:
    """After the surrounding transaction commits, have the worker move the index version."""
    from cityhall.search.tasks import refresh_search_index

    transaction.on_commit(lambda: refresh_search_index.enqueue())


def clean_synonym_terms(terms: Any) -> list[str]:
    from django.core.exceptions import ValidationError

    if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
        raise ValidationError({"terms": ['Give a list of words, like ["trash", "garbage"].']})
    cleaned = list(dict.fromkeys(t.strip().lower() for t in terms if t.strip()))
    if len(cleaned) < 2:
        raise ValidationError({"terms": ["Give at least two words or phrases."]})
    if any(len(t) > 60 for t in cleaned):
        raise ValidationError({"terms": ["Each term must be 60 characters or fewer."]})
    return cleaned


@transaction.atomic
def save_synonym_group(
    *, actor: Any, terms: Any, is_active: bool = True, group: SynonymGroup | None = None
) -> SynonymGroup:
    """Staff edit what search treats as the same word; the index follows after commit."""
    group = group or SynonymGroup()
    group.terms = clean_synonym_terms(terms)
    group.is_active = is_active
    group.save()
    record_write(
        actor=actor, action="search.synonyms_saved", summary=" ≈ ".join(group.terms), obj=group
    )
    request_index_refresh()
    return group


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@transaction.atomic
def record_click(*, query: str, doc_key: str, lang: str) -> None:
    """Learn from a click: its weight decays with a 30-day half-life."""
    now = timezone.now()
    stat, _ = ClickStat.objects.select_for_update().get_or_create(query=query, doc_key=doc_key)
    age_days = (now - stat.updated_at).total_seconds() / 86400
    stat.weight = stat.weight * 0.5 ** (age_days / CLICK_HALF_LIFE_DAYS) + 1.0
    stat.updated_at = now
    stat.save()
    _increment(_monday(now.date()), query, lang, clicks=1)


def _increment(week: dt.date, query: str, lang: str, **counts: int) -> None:
    updated = QueryStat.objects.filter(week=week, query=query, lang=lang).update(
        **{name: F(name) + value for name, value in counts.items()}
    )
    if not updated:
        from django.db import IntegrityError

        try:
            with transaction.atomic():
                QueryStat.objects.create(week=week, query=query, lang=lang, **counts)
        except IntegrityError:
            QueryStat.objects.filter(week=week, query=query, lang=lang).update(
                **{name: F(name) + value for name, value in counts.items()}
            )


class SearchCounter:
    """Counts searches in memory and writes them in batches, so searching never waits on a
    database write. A crash loses at most the last few seconds of analytics, never a request."""

    def __init__(self, flush_every: float = 5.0, max_pending: int = 200) -> None:
        self.flush_every = flush_every
        self.max_pending = max_pending
        self._pending: Counter[tuple[dt.date, str, str, bool]] = Counter()
        self._lock = threading.Lock()
        self._last_flush = time.monotonic()

    def add(self, query: str, lang: str, found: bool) -> None:
        with self._lock:
            self._pending[(_monday(timezone.now().date()), query[:200], lang, found)] += 1
            due = (
                sum(self._pending.values()) >= self.max_pending
                or time.monotonic() - self._last_flush >= self.flush_every
            )
        if due:
            self.flush()

    def forget(self) -> None:
        """Drop counts not yet written (tests: a previous test's searches stay with it)."""
        with self._lock:
            self._pending = Counter()
            self._last_flush = time.monotonic()

    def flush(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, Counter()
            self._last_flush = time.monotonic()
        if not pending:
            return
        merged: Counter[tuple[dt.date, str, str]] = Counter()
        zero: Counter[tuple[dt.date, str, str]] = Counter()
        for (week, query, lang, found), n in pending.items():
            merged[(week, query, lang)] += n
            if not found:
                zero[(week, query, lang)] += n
        try:
            with transaction.atomic():
                for key, n in merged.items():
                    _increment(*key, searches=n, zero_results=zero[key])
        except DatabaseError:
            # Never fail a search over analytics: keep the counts for the next flush.
            logger.warning("Search analytics flush failed; will retry", exc_info=True)
            with self._lock:
                self._pending.update(pending)


search_counter = SearchCounter()
