"""Reads: suggestions for a profile, its journeys, and whether its history may be used.

A profile only ever sees its own suggestions: every function takes the active profile the
middleware picked from the signed-in account, never an id from the request."""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.models import ConsentPurpose, ConsentRecord, Persona, Profile, SavedAddress
from cityhall.accounts.queries import has_consent
from cityhall.catalog.models import Bilingual
from cityhall.personalization import recommender
from cityhall.personalization.models import (
    DeclaredLifeEvent,
    Dismissal,
    EligibilityRule,
    EngagementEvent,
    EventKind,
    StepDone,
    SuggestionModel,
)

# Months (1-12) in which each catalog season applies (a northern-hemisphere US city).
SEASON_MONTHS: dict[str, set[int]] = {
    "tax": {1, 2, 3, 4},
    "snow": {12, 1, 2, 3},
    "election": {9, 10, 11},
    "summer": {5, 6, 7, 8},
    "school": {7, 8, 9},
    "heat": {6, 7, 8, 9},
}
MOVING_JOURNEYS = ("moving-to-the-city", "moving-within-the-city")
NEW_ADDRESS_DAYS = 60
HISTORY_LENGTH = 20


# --- What serving keeps in memory ------------------------------------------------------------


@dataclass(frozen=True)
class ServiceInfo(Bilingual):
    id: int
    slug: str
    title_en: str
    title_es: str
    season: str

    @property
    def title(self) -> str:
        return str(self.t("title"))


@dataclass(frozen=True)
class StepInfo(Bilingual):
    id: int
    position: int
    service_id: int
    note_en: str
    note_es: str

    @property
    def note(self) -> str:
        return str(self.t("note"))


@dataclass(frozen=True)
class LifeEventInfo(Bilingual):
    id: int
    slug: str
    title_en: str
    title_es: str
    summary_en: str
    summary_es: str
    steps: tuple[StepInfo, ...]

    @property
    def title(self) -> str:
        return str(self.t("title"))

    @property
    def summary(self) -> str:
        return str(self.t("summary"))


@dataclass(frozen=True)
class RuleInfo(Bilingual):
    service_id: int
    reason_en: str
    reason_es: str
    personas: frozenset[str]
    life_events: frozenset[int]
    household_personas: frozenset[str]

    def matches(self, personas: set[str], declared: set[int], household: set[str]) -> bool:
        if not (self.personas or self.life_events or self.household_personas):
            return False
        return (
            (not self.personas or bool(self.personas & personas))
            and (not self.life_events or bool(self.life_events & declared))
            and (not self.household_personas or bool(self.household_personas & household))
        )

    @property
    def reason(self) -> str:
        return str(self.t("reason"))


@dataclass
class Catalog:
    services: dict[int, ServiceInfo]
    by_slug: dict[str, int]
    life_events: dict[str, LifeEventInfo]
    life_events_by_id: dict[int, LifeEventInfo]
    rules: list[RuleInfo]
    seasonal: dict[str, list[int]]
    journey_openers: dict[int, LifeEventInfo]  # first step's service → its life event


def _load_catalog() -> Catalog:
    from cityhall.catalog.models import LifeEvent, LifeEventStep, Service

    services = {
        row[0]: ServiceInfo(*row)
        for row in Service.objects.filter(is_published=True).values_list(
            "id", "slug", "title_en", "title_es", "season"
        )
    }
    steps: dict[int, list[StepInfo]] = {}
    for step in LifeEventStep.objects.order_by("position").values_list(
        "id", "life_event_id", "position", "service_id", "note_en", "note_es"
    ):
        if step[3] in services:
            steps.setdefault(step[1], []).append(
                StepInfo(step[0], step[2], step[3], step[4], step[5])
            )
    events = [
        LifeEventInfo(pk, slug, t_en, t_es, s_en, s_es, tuple(steps.get(pk, [])))
        for pk, slug, t_en, t_es, s_en, s_es in LifeEvent.objects.filter(
            is_published=True
        ).values_list("id", "slug", "title_en", "title_es", "summary_en", "summary_es")
    ]
    rules = [
        RuleInfo(
            rule.service_id,
            rule.reason_en,
            rule.reason_es,
            frozenset(rule.personas or []),
            frozenset(le.pk for le in rule.life_events.all()),
            frozenset(rule.household_personas or []),
        )
        for rule in EligibilityRule.objects.filter(is_active=True).prefetch_related("life_events")
        if rule.service_id in services
    ]
    seasonal: dict[str, list[int]] = {}
    for info in services.values():
        if info.season:
            seasonal.setdefault(info.season, []).append(info.id)
    return Catalog(
        services=services,
        by_slug={s.slug: s.id for s in services.values()},
        life_events={e.slug: e for e in events},
        life_events_by_id={e.id: e for e in events},
        rules=rules,
        seasonal=seasonal,
        journey_openers=_openers(events),
    )


def _openers(events: list[LifeEventInfo]) -> dict[int, LifeEventInfo]:
    """A service that starts exactly one journey (the first step of no other) opens it."""
    starts: dict[int, list[LifeEventInfo]] = {}
    for event in events:
        if event.steps:
            starts.setdefault(event.steps[0].service_id, []).append(event)
    return {service: found[0] for service, found in starts.items() if len(found) == 1}


def _prior_model(catalog: Catalog) -> recommender.Model:
    """Before the first training: popularity from the catalog's own figures, no next steps."""
    import numpy as np

    from cityhall.catalog.models import Service

    rows = list(
        Service.objects.filter(is_published=True).values_list("id", "popularity", "personas")
    )
    n = len(rows)
    popularity = np.array([max(float(p), 0.01) for _, p, _ in rows], dtype=np.float32)
    popularity /= max(float(popularity.sum()), 1e-9)
    personas = list(Persona.values)
    segments = np.zeros((len(personas), n), dtype=np.float32)
    for j, persona in enumerate(personas):
        mask = np.array([persona in (ps or []) for _, _, ps in rows], dtype=np.float32)
        weighted = popularity * (0.2 + mask)
        segments[j] = weighted / max(float(weighted.sum()), 1e-9)
    return recommender.Model(
        items=np.array([pk for pk, _, _ in rows], dtype=np.int64),
        neighbours=np.full((n, 0), -1, dtype=np.int32),
        weights=np.zeros((n, 0), dtype=np.float32),
        popularity=popularity,
        by_month=np.ones((12, n), dtype=np.float32),
        segments=segments,
        segment_keys=[f"p:{p}" for p in personas],
    )


@dataclass
class _State:
    catalog: Catalog | None = None
    model: recommender.Model | None = None
    model_id: int | None = None
    checked_at: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


_state = _State()


def serving_state() -> tuple[Catalog, recommender.Model]:
    """This process's catalog snapshot and newest trained model, looked at again every
    PERSONALIZATION_REFRESH_SECONDS (one small query), so serving is lookups in memory."""
    now = time.monotonic()
    interval = getattr(settings, "PERSONALIZATION_REFRESH_SECONDS", 60.0)
    if (
        _state.catalog is not None
        and _state.model is not None
        and now - _state.checked_at < interval
    ):
        return _state.catalog, _state.model
    with _state.lock:
        newest = SuggestionModel.objects.order_by("-id").values_list("id", flat=True).first()
        catalog = _load_catalog()
        if newest is None:
            model = _prior_model(catalog)
        elif newest == _state.model_id and _state.model is not None:
            model = _state.model
        else:
            data = SuggestionModel.objects.values_list("data", flat=True).get(pk=newest)
            model = recommender.Model.from_bytes(data)
        _state.catalog, _state.model, _state.model_id = catalog, model, newest
        _state.checked_at = now
        return catalog, model


def forget() -> None:
    """Drop this process's snapshot (tests; after training in the same process)."""
    with _state.lock:
        _state.catalog, _state.model, _state.model_id, _state.checked_at = None, None, None, 0.0


# --- Consent ---------------------------------------------------------------------------------


def personalisation_on(user: Any) -> bool:
    return bool(
        user and user.is_authenticated and has_consent(user, ConsentPurpose.PERSONALISATION)
    )


def _consent_on(account_id: int) -> bool:
    """The same answer as personalisation_on, from the profile's account id (no user row)."""
    granted = (
        ConsentRecord.objects.filter(account_id=account_id, purpose=ConsentPurpose.PERSONALISATION)
        .order_by("-created_at", "-id")
        .values_list("granted", flat=True)
        .first()
    )
    return bool(granted)


# --- Suggestions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    key: str  # "service:<slug>" or "journey:<slug>": what a dismissal names
    kind: str  # "service" or "journey"
    title: str
    url: str
    reason: str  # why, in words
    reason_code: str  # journey_step, new_address, eligibility, history, neighbourhood, ...
    personal: bool  # True when it came from the profile's own history


@dataclass(frozen=True)
class Suggestions:
    personalised: bool
    items: list[Suggestion]


def _season_label(season: str) -> str:
    from cityhall.catalog.models import Season

    return str(dict(Season.choices).get(season, season))


def _persona_label(persona: str) -> str:
    return str(dict(Persona.choices).get(persona, persona))


_URLS: dict[tuple[str, str], str] = {}


def _cached_reverse(name: str, slug: str) -> str:
    """URLs of catalog pages, reversed once per process (a reverse costs more than a
    suggestion's whole ranking)."""
    from django.urls import get_script_prefix, reverse

    key = (name, get_script_prefix() + slug)
    url = _URLS.get(key)
    if url is None:
        if len(_URLS) > 20_000:
            _URLS.clear()
        url = _URLS[key] = reverse(name, args=[slug])
    return url


def _service_url(slug: str) -> str:
    return _cached_reverse("catalog:service", slug)


def _journey_url(slug: str) -> str:
    return _cached_reverse("personalization:journey", slug)


@dataclass
class ProfileFacts:
    consent: bool = False
    household: set[str] = field(default_factory=set)
    neighbourhood_id: int | None = None
    newest_address_at: dt.datetime | None = None
    declared: list[int] = field(default_factory=list)
    dismissed: set[str] = field(default_factory=set)
    history: list[int] = field(default_factory=list)  # newest first; empty without consent
    done: set[int] = field(default_factory=set)


_FACTS_SQL: str | None = None


def _facts_sql() -> str:
    """Everything one suggestion list needs about a profile, in one round trip: a UNION of
    small indexed reads. Rows from the history are only read when the account's newest
    personalisation consent says yes (the condition is in the query)."""
    global _FACTS_SQL
    if _FACTS_SQL is None:
        from cityhall.cases.models import Case
        from cityhall.catalog.models import LifeEventStep, Service
        from cityhall.places.models import Address

        t = {
            "consent": ConsentRecord._meta.db_table,
            "profile": Profile._meta.db_table,
            "saved": SavedAddress._meta.db_table,
            "address": Address._meta.db_table,
            "declared": DeclaredLifeEvent._meta.db_table,
            "dismissal": Dismissal._meta.db_table,
            "event": EngagementEvent._meta.db_table,
            "case": Case._meta.db_table,
            "service": Service._meta.db_table,
            "stepdone": StepDone._meta.db_table,
            "step": LifeEventStep._meta.db_table,
        }
        consented = (
            f"(SELECT granted FROM {t['consent']} WHERE account_id = %(account)s "  # noqa: S608
            "AND purpose = 'personalisation' ORDER BY created_at DESC, id DESC LIMIT 1)"
        )
        # Table names come from the models' metadata; every value is a query parameter.
        no_time = "CAST(NULL AS TIMESTAMP WITH TIME ZONE)"
        _FACTS_SQL = f"""
SELECT * FROM (SELECT 'c' AS k, 1 AS n, '' AS v, {no_time} AS at FROM {t["consent"]}
  WHERE account_id = %(account)s AND purpose = 'personalisation' AND granted
  AND id = (SELECT id FROM {t["consent"]} WHERE account_id = %(account)s
            AND purpose = 'personalisation' ORDER BY created_at DESC, id DESC LIMIT 1)) c
UNION ALL SELECT 'h', id, CAST(personas AS TEXT), {no_time} FROM {t["profile"]}
  WHERE account_id = %(account)s
UNION ALL SELECT * FROM (SELECT 'a', a.neighbourhood_id, '', s.created_at
  FROM {t["saved"]} s JOIN {t["address"]} a ON a.id = s.address_id
  WHERE s.profile_id = %(profile)s ORDER BY s.created_at DESC, s.id DESC LIMIT 1) a
UNION ALL SELECT 'l', life_event_id, '', declared_at FROM {t["declared"]}
  WHERE profile_id = %(profile)s
UNION ALL SELECT 'd', 0, "key", {no_time} FROM {t["dismissal"]} WHERE profile_id = %(profile)s
UNION ALL SELECT 's', st.service_id, '', {no_time} FROM {t["stepdone"]} d
  JOIN {t["step"]} st ON st.id = d.step_id WHERE d.profile_id = %(profile)s
UNION ALL SELECT * FROM (SELECT 'e', service_id, kind, created_at FROM {t["event"]}
  WHERE profile_id = %(profile)s AND service_id IS NOT NULL AND {consented}
  ORDER BY created_at DESC, id DESC LIMIT {HISTORY_LENGTH}) e
UNION ALL SELECT 't', service_id, kind, {no_time} FROM {t["event"]}
  WHERE profile_id = %(profile)s AND kind IN ('case', 'transaction')
  AND service_id IS NOT NULL AND {consented}
UNION ALL SELECT * FROM (SELECT 'r', sv.id, '', c.created_at FROM {t["case"]} c
  JOIN {t["service"]} sv ON sv.request_type_id = c.service_type_id
  WHERE c.requester_id = %(account)s AND %(primary)s AND {consented}
  ORDER BY c.created_at DESC LIMIT 5) r
"""  # noqa: S608 (table names from the models' metadata; every value is a parameter)
    return _FACTS_SQL


def _when(value: Any) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    from django.utils.dateparse import parse_datetime

    parsed = parse_datetime(str(value))
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, dt.UTC)
    return parsed


def profile_facts(profile: Profile) -> ProfileFacts:
    import json

    from django.db import connection

    facts = ProfileFacts()
    declared: list[tuple[Any, int]] = []
    used: list[tuple[dt.datetime, int]] = []
    with connection.cursor() as cursor:
        cursor.execute(
            _facts_sql(),
            {"account": profile.account_id, "profile": profile.pk, "primary": profile.is_primary},
        )
        rows = cursor.fetchall()
    for kind, number, text, at in rows:
        if kind == "c":
            facts.consent = True
        elif kind == "h":
            value = json.loads(text) if isinstance(text, str) and text else []
            facts.household |= set(value if isinstance(value, list) else [])
        elif kind == "a":
            facts.neighbourhood_id, facts.newest_address_at = number, _when(at)
        elif kind == "l":
            declared.append((_when(at), number))
        elif kind == "d":
            facts.dismissed.add(text)
        elif kind in ("s", "t"):
            facts.done.add(number)
        elif kind in ("e", "r"):
            used.append((_when(at) or timezone.now(), number))
    facts.declared = [n for _at, n in sorted(declared, key=lambda d: d[0] or 0, reverse=True)]
    used.sort(key=lambda u: u[0], reverse=True)
    facts.history = list(dict.fromkeys(n for _at, n in used))
    return facts


def suggestions_for(
    profile: Profile | None, *, limit: int = 6, today: dt.date | None = None
) -> Suggestions:
    """ "For you": journeys first, then what the profile may qualify for, then the model's
    blend of next steps (with consent), neighbourhood, persona, season and city popularity.
    Each suggestion says why; dismissed ones never come back."""
    catalog, model = serving_state()
    today = today or timezone.localdate()
    if profile is None:
        ranked = recommender.rank(
            model, history=[], month=today.month, neighbourhood_id=None, personas=[], limit=limit
        )
        return Suggestions(
            False, [_from_ranked(catalog, r) for r in ranked if r.service_id in catalog.services]
        )
    facts = profile_facts(profile)
    consent, household, declared = facts.consent, facts.household, facts.declared
    neighbourhood_id, newest_address_at = facts.neighbourhood_id, facts.newest_address_at
    dismissed, history, done = facts.dismissed, facts.history, facts.done
    personas = set(profile.personas or [])

    out: list[Suggestion] = []
    used: set[int] = set()

    def add(item: Suggestion, service_id: int | None = None) -> None:
        if item.key in dismissed or len(out) >= limit:
            return
        if service_id is not None:
            if service_id in used:
                return
            used.add(service_id)
        out.append(item)

    journeys = [
        catalog.life_events_by_id[i] for i in declared[:2] if i in catalog.life_events_by_id
    ]
    for position, service_id in recommender.journey_next_steps(
        [[s.service_id for s in j.steps] for j in journeys], done
    ):
        event, info = journeys[position], catalog.services[service_id]
        remaining = sum(1 for s in event.steps if s.service_id not in done)
        add(
            Suggestion(
                f"service:{info.slug}",
                "service",
                info.title,
                _service_url(info.slug),
                _("Next step for “%(journey)s” (%(done)s of %(total)s done)")
                % {
                    "journey": event.title,
                    "done": len(event.steps) - remaining,
                    "total": len(event.steps),
                },
                "journey_step",
                False,
            ),
            info.id,
        )
    declared_ids = set(declared)
    if newest_address_at and timezone.now() - newest_address_at < dt.timedelta(
        days=NEW_ADDRESS_DAYS
    ):
        moving = [catalog.life_events.get(slug) for slug in MOVING_JOURNEYS]
        if not any(m and m.id in declared_ids for m in moving) and moving[0] is not None:
            add(
                Suggestion(
                    f"journey:{moving[0].slug}",
                    "journey",
                    moving[0].title,
                    _journey_url(moving[0].slug),
                    _("Because you registered a new address"),
                    "new_address",
                    False,
                )
            )
    # The history shows a life event starting: a recent service that opens a journey.
    for service_id in history[:3]:
        opened = catalog.journey_openers.get(service_id)
        if opened is None or opened.id in declared_ids:
            continue
        add(
            Suggestion(
                f"journey:{opened.slug}",
                "journey",
                opened.title,
                _journey_url(opened.slug),
                _("Because you used “%(service)s”: every step of “%(journey)s”, in order")
                % {"service": catalog.services[service_id].title, "journey": opened.title},
                "life_event",
                True,
            )
        )
        break
    for rule in catalog.rules:
        if rule.service_id in done or not rule.matches(personas, declared_ids, household):
            continue
        info = catalog.services[rule.service_id]
        add(
            Suggestion(
                f"service:{info.slug}",
                "service",
                info.title,
                _service_url(info.slug),
                _("You may qualify: %(reason)s") % {"reason": rule.reason},
                "eligibility",
                False,
            ),
            info.id,
        )
    if len(out) < limit:
        blocked = (
            used | done | {catalog.by_slug[k[8:]] for k in dismissed if k[8:] in catalog.by_slug}
        )
        ranked = recommender.rank(
            model,
            history=history,
            month=today.month,
            neighbourhood_id=neighbourhood_id,
            personas=sorted(personas),
            exclude=blocked,
            limit=limit + 4,
        )
        in_season = {
            sid
            for season, months in SEASON_MONTHS.items()
            if today.month in months
            for sid in catalog.seasonal.get(season, [])
        }
        for r in ranked:
            if len(out) >= limit:
                break
            found = catalog.services.get(r.service_id)
            if found is not None and f"service:{found.slug}" not in dismissed:
                add(_from_ranked(catalog, r, in_season), r.service_id)
    return Suggestions(consent, out)


def _from_ranked(
    catalog: Catalog, r: recommender.Ranked, in_season: frozenset[int] | set[int] = frozenset()
) -> Suggestion:
    info = catalog.services[r.service_id]
    personal = False
    if r.reason == "history" and r.because in catalog.services:
        reason = _("Residents who used “%(service)s” often need this next") % {
            "service": catalog.services[r.because].title
        }
        code, personal = "history", True
    elif info.id in in_season:
        reason = _("%(season)s: often needed now") % {"season": _season_label(info.season)}
        code = "season"
    elif r.reason == "neighbourhood":
        reason, code = _("Popular in your neighbourhood this month"), "neighbourhood"
    elif r.reason == "persona" and r.persona:
        reason = _("Often used by people who are: %(persona)s") % {
            "persona": _persona_label(r.persona)
        }
        code = "persona"
    else:
        reason, code = _("Popular in the city this month"), "city"
    return Suggestion(
        f"service:{info.slug}",
        "service",
        info.title,
        _service_url(info.slug),
        reason,
        code,
        personal,
    )


def valid_suggestion_key(key: str) -> bool:
    catalog, _model = serving_state()
    kind, _sep, slug = key.partition(":")
    if kind == "service":
        return slug in catalog.by_slug
    if kind == "journey":
        return slug in catalog.life_events
    return False


# --- Journeys --------------------------------------------------------------------------------


@dataclass(frozen=True)
class JourneyStep:
    id: int
    position: int
    title: str
    url: str
    note: str
    done: bool


@dataclass(frozen=True)
class Journey:
    slug: str
    title: str
    summary: str
    declared: bool
    steps: list[JourneyStep]

    @property
    def done_count(self) -> int:
        return sum(1 for s in self.steps if s.done)

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / len(self.steps)) if self.steps else 0

    @property
    def next_step(self) -> JourneyStep | None:
        return next((s for s in self.steps if not s.done), None)


def life_event_choices() -> list[LifeEventInfo]:
    catalog, _model = serving_state()
    return sorted(catalog.life_events.values(), key=lambda e: e.title)


def life_event_by_slug(slug: str) -> LifeEventInfo | None:
    catalog, _model = serving_state()
    return catalog.life_events.get(slug)


def journey_for(profile: Profile, slug: str) -> Journey | None:
    catalog, _model = serving_state()
    event = catalog.life_events.get(slug)
    if event is None:
        return None
    declared = DeclaredLifeEvent.objects.filter(profile=profile, life_event_id=event.id).exists()
    return _journey(catalog, event, declared, _done_steps(profile, event.steps))


def journeys_for(profile: Profile) -> list[Journey]:
    catalog, _model = serving_state()
    ids = list(
        DeclaredLifeEvent.objects.filter(profile=profile).values_list("life_event_id", flat=True)
    )
    events = [catalog.life_events_by_id[i] for i in ids if i in catalog.life_events_by_id]
    steps = [s for e in events for s in e.steps]
    done = _done_steps(profile, tuple(steps))
    return [_journey(catalog, e, True, done) for e in events]


def _done_steps(profile: Profile, steps: tuple[StepInfo, ...]) -> set[int]:
    marked = set(
        StepDone.objects.filter(profile=profile, step_id__in=[s.id for s in steps]).values_list(
            "step_id", flat=True
        )
    )
    if _consent_on(profile.account_id):
        used = set(
            EngagementEvent.objects.filter(
                Q(kind=EventKind.CASE) | Q(kind=EventKind.TRANSACTION),
                profile=profile,
                service_id__in=[s.service_id for s in steps],
            ).values_list("service_id", flat=True)
        )
        marked |= {s.id for s in steps if s.service_id in used}
    return marked


def _journey(catalog: Catalog, event: LifeEventInfo, declared: bool, done: set[int]) -> Journey:
    steps = [
        JourneyStep(
            s.id,
            s.position,
            catalog.services[s.service_id].title,
            _service_url(catalog.services[s.service_id].slug),
            s.note,
            s.id in done,
        )
        for s in event.steps
    ]
    return Journey(event.slug, event.title, event.summary, declared, steps)
