"""Every write of the personalization app: engagement events (only with consent), the
personalisation switch, declared life events and journey steps, dismissals, retention and
training."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.models import ConsentPurpose, ConsentRecord, Persona, Profile, User
from cityhall.audit.actions import record_write
from cityhall.personalization import queries
from cityhall.personalization.models import (
    DeclaredLifeEvent,
    Dismissal,
    EngagementEvent,
    EventKind,
    JourneySource,
    StepDone,
    SuggestionModel,
)


def _check_owner(actor: Any, profile: Profile) -> None:
    if actor is None or profile.account_id != actor.pk:
        raise PermissionError("Not your profile")


def _retention_days() -> int:
    return int(getattr(settings, "PERSONALIZATION_EVENT_RETENTION_DAYS", 365))


# --- Engagement events -----------------------------------------------------------------------


def record_event(
    *,
    actor: Any,
    profile: Profile | None,
    kind: EventKind,
    service_id: int | None = None,
    life_event_id: int | None = None,
    query: str = "",
) -> EngagementEvent | None:
    """Remember one thing a profile did, only if its account agreed to personal suggestions.
    Anonymous visitors, other people's profiles and accounts without consent: nothing."""
    if profile is None or actor is None or not actor.is_authenticated:
        return None
    if profile.account_id != actor.pk or not queries.personalisation_on(actor):
        return None
    with transaction.atomic():
        return EngagementEvent.objects.create(
            profile=profile,
            kind=kind,
            service_id=service_id,
            life_event_id=life_event_id,
            query=(query or "").strip()[:100],
        )


def record_service_view(*, actor: Any, profile: Profile | None, service: Any) -> None:
    """The catalog's service page was opened."""
    record_event(actor=actor, profile=profile, kind=EventKind.VIEW, service_id=service.pk)


def record_search(*, actor: Any, profile: Profile | None, query: str) -> None:
    """A search was made (only its words, at most 100 characters)."""
    if query.strip():
        record_event(actor=actor, profile=profile, kind=EventKind.SEARCH, query=query)


def record_search_click(*, actor: Any, profile: Profile | None, doc_key: str) -> None:
    """A search result was chosen; only services ("service:<id>") feed suggestions."""
    kind, _sep, pk = doc_key.partition(":")
    if kind == "service" and pk.isdigit():
        record_event(actor=actor, profile=profile, kind=EventKind.CLICK, service_id=int(pk))


# --- The switch ------------------------------------------------------------------------------


def set_personalisation(*, actor: User, granted: bool) -> int:
    """Turn personal suggestions on or off for the whole account. Off also deletes the
    history already kept (returns how many events went), in the same transaction."""
    from cityhall.accounts.actions import set_consent

    with transaction.atomic():
        set_consent(actor=actor, purpose=ConsentPurpose.PERSONALISATION, granted=granted)
        deleted = 0
        if not granted:
            deleted, _by_model = EngagementEvent.objects.filter(profile__account=actor).delete()
        record_write(
            actor=actor,
            action="personalization.consent",
            summary=(
                "Personal suggestions turned on"
                if granted
                else f"Personal suggestions turned off; {deleted} history events deleted"
            ),
            subject=actor,
            detail={"granted": granted, "deleted": deleted},
        )
    return deleted


# --- Life events and journeys ----------------------------------------------------------------


def declare_life_event(
    *, actor: User, profile: Profile, life_event_slug: str
) -> tuple[DeclaredLifeEvent, bool]:
    """The profile is going through a life event: its journey appears. Declaring it again
    changes nothing (returns created=False)."""
    _check_owner(actor, profile)
    event = queries.life_event_by_slug((life_event_slug or "").strip())
    if event is None:
        raise ValidationError({"life_event": [_("Choose one of the life events listed.")]})
    with transaction.atomic():
        try:
            with transaction.atomic():
                declared = DeclaredLifeEvent.objects.create(
                    profile=profile, life_event_id=event.id, source=JourneySource.DECLARED
                )
        except IntegrityError:
            return DeclaredLifeEvent.objects.get(profile=profile, life_event_id=event.id), False
        record_write(
            actor=actor,
            action="personalization.life_event.declared",
            summary=f"Life event declared: {event.slug}",
            subject=actor,
            obj=declared,
        )
        if queries.personalisation_on(actor):
            EngagementEvent.objects.create(
                profile=profile, kind=EventKind.LIFE_EVENT, life_event_id=event.id
            )
    return declared, True


def withdraw_life_event(*, actor: User, profile: Profile, life_event_slug: str) -> bool:
    _check_owner(actor, profile)
    event = queries.life_event_by_slug(life_event_slug)
    if event is None:
        return False
    with transaction.atomic():
        deleted, _by_model = DeclaredLifeEvent.objects.filter(
            profile=profile, life_event_id=event.id
        ).delete()
        if deleted:
            record_write(
                actor=actor,
                action="personalization.life_event.withdrawn",
                summary=f"Life event removed: {event.slug}",
                subject=actor,
            )
    return bool(deleted)


def mark_step(
    *, actor: User, profile: Profile, life_event_slug: str, step_id: int, done: bool
) -> bool:
    """Mark one step of a journey done (or not done). Idempotent."""
    _check_owner(actor, profile)
    event = queries.life_event_by_slug(life_event_slug)
    if event is None:
        raise ValidationError({"life_event": [_("Choose one of the life events listed.")]})
    if step_id not in {s.id for s in event.steps}:
        raise ValidationError({"step": [_("That step is not part of this journey.")]})
    with transaction.atomic():
        if done:
            _row, changed = StepDone.objects.get_or_create(profile=profile, step_id=step_id)
        else:
            changed = bool(StepDone.objects.filter(profile=profile, step_id=step_id).delete()[0])
        if changed:
            record_write(
                actor=actor,
                action="personalization.step." + ("done" if done else "undone"),
                summary=f"Journey step {'done' if done else 'not done'}: {event.slug} #{step_id}",
                subject=actor,
            )
    return changed


# --- Dismissing ------------------------------------------------------------------------------


def dismiss_suggestion(*, actor: User, profile: Profile, key: str) -> tuple[Dismissal, bool]:
    """Never suggest this again to this profile. A retried request changes nothing."""
    _check_owner(actor, profile)
    key = (key or "").strip()
    if not key:
        raise ValidationError({"key": [_("Say which suggestion to dismiss.")]})
    if len(key) > 140 or not queries.valid_suggestion_key(key):
        raise ValidationError({"key": [_("There is no such suggestion.")]})
    existing = Dismissal.objects.filter(profile=profile, key=key).first()
    if existing:
        return existing, False
    with transaction.atomic():
        try:
            with transaction.atomic():
                dismissal = Dismissal.objects.create(profile=profile, key=key)
        except IntegrityError:
            return Dismissal.objects.get(profile=profile, key=key), False
        record_write(
            actor=actor,
            action="personalization.dismissed",
            summary=f"Suggestion dismissed: {key}",
            subject=actor,
            obj=dismissal,
        )
    return dismissal, True


# --- Retention -------------------------------------------------------------------------------


def purge_events(*, now: dt.datetime | None = None) -> int:
    """Delete events older than the retention limit, and any event of an account whose
    personalisation consent is off now (for example turned off on the account's consent
    page). Returns how many went."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=_retention_days())
    with transaction.atomic():
        old, _by_model = EngagementEvent.objects.filter(created_at__lt=cutoff).delete()
        accounts = set(
            EngagementEvent.objects.values_list("profile__account_id", flat=True).distinct()
        )
        allowed = _consenting(accounts)
        revoked, _by_model = EngagementEvent.objects.filter(
            profile__account_id__in=accounts - allowed
        ).delete()
        if old or revoked:
            record_write(
                actor=None,
                action="personalization.purged",
                summary=f"Suggestion history purged: {old} past retention, "
                f"{revoked} without consent",
                detail={"retention_days": _retention_days(), "old": old, "revoked": revoked},
            )
    return old + revoked


def _consenting(accounts: set[int]) -> set[int]:
    latest: dict[int, bool] = {}
    for account_id, granted in (
        ConsentRecord.objects.filter(
            account_id__in=accounts, purpose=ConsentPurpose.PERSONALISATION
        )
        .order_by("created_at", "id")
        .values_list("account_id", "granted")
    ):
        latest[account_id] = granted
    return {a for a, granted in latest.items() if granted}


# --- Training --------------------------------------------------------------------------------

TRAINING_KINDS = [EventKind.VIEW, EventKind.CLICK, EventKind.CASE, EventKind.TRANSACTION]
MODELS_KEPT = 2


def read_event_log() -> dict[str, Any]:
    """The training input: every kept event on a service of a consenting account within the
    retention limit, as numpy arrays, with each profile's neighbourhood and personas."""
    import numpy as np

    from cityhall.accounts.models import SavedAddress
    from cityhall.catalog.models import Service
    from cityhall.places.models import Neighbourhood

    cutoff = timezone.now() - dt.timedelta(days=_retention_days())
    items = np.array(
        list(Service.objects.filter(is_published=True).order_by("id").values_list("id", flat=True)),
        dtype=np.int64,
    )
    item_index = {int(s): i for i, s in enumerate(items)}
    rows = (
        EngagementEvent.objects.filter(
            kind__in=TRAINING_KINDS, service__isnull=False, created_at__gte=cutoff
        )
        .order_by()
        .values_list("profile_id", "service_id", "created_at")
    )
    profiles: list[int] = []
    events: list[tuple[int, int, float]] = []
    for profile_id, service_id, at in rows.iterator(chunk_size=20_000):
        if service_id in item_index:
            events.append((profile_id, item_index[service_id], at.timestamp()))
    account_of = dict(
        Profile.objects.filter(pk__in={e[0] for e in events}).values_list("id", "account_id")
    )
    allowed = _consenting(set(account_of.values()))
    events = [e for e in events if account_of.get(e[0]) in allowed]
    profiles = sorted({e[0] for e in events})
    profile_index = {p: i for i, p in enumerate(profiles)}
    neighbourhood_ids = np.array(
        list(Neighbourhood.objects.order_by("id").values_list("id", flat=True)), dtype=np.int64
    )
    nb_index = {int(n): i for i, n in enumerate(neighbourhood_ids)}
    profile_nb = np.full(len(profiles), -1, dtype=np.int64)
    for profile_id, nb in (
        SavedAddress.objects.filter(profile_id__in=profiles)
        .order_by("created_at", "id")
        .values_list("profile_id", "address__neighbourhood_id")
    ):
        if nb in nb_index:
            profile_nb[profile_index[profile_id]] = nb_index[nb]
    personas = list(Persona.values)
    bits = {p: 1 << j for j, p in enumerate(personas)}
    profile_masks = np.zeros(len(profiles), dtype=np.int64)
    for profile_id, values in Profile.objects.filter(pk__in=profiles).values_list("id", "personas"):
        profile_masks[profile_index[profile_id]] = sum(bits.get(v, 0) for v in values or [])
    return {
        "items": items,
        "event_profile": np.array([profile_index[e[0]] for e in events], dtype=np.int64),
        "event_item": np.array([e[1] for e in events], dtype=np.int64),
        "event_time": np.array([int(e[2]) for e in events], dtype=np.int64),
        "profile_neighbourhood": profile_nb,
        "profile_personas": profile_masks,
        "neighbourhood_ids": neighbourhood_ids,
        "personas": personas,
    }


def train_suggestion_model() -> SuggestionModel:
    """Read the event log, fit the model (recommender.fit, the code the bench times) and
    store it; serving processes pick it up within PERSONALIZATION_REFRESH_SECONDS."""
    from cityhall.personalization import recommender

    started = time.perf_counter()
    log = read_event_log()
    model = recommender.fit(**log)
    with transaction.atomic():
        stored = SuggestionModel.objects.create(
            events=len(log["event_item"]),
            profiles=len(log["profile_neighbourhood"]),
            seconds=time.perf_counter() - started,
            data=model.to_bytes(),
        )
        old = list(SuggestionModel.objects.values_list("id", flat=True)[MODELS_KEPT:])
        SuggestionModel.objects.filter(pk__in=old).delete()
    return stored


# --- Eligibility rules shipped with the demo catalog -----------------------------------------

RULES_FILE = "content/eligibility_rules.json"


def load_eligibility_rules(*, actor: Any = None) -> int:
    """Create the starter eligibility rules (by name; rules staff already have, edited or
    not, are left alone). Rules naming a service or life event not in the catalog are
    skipped. Returns how many were created."""
    import json
    from pathlib import Path

    from cityhall.catalog.models import LifeEvent, Service
    from cityhall.personalization.models import EligibilityRule

    items = json.loads((Path(__file__).resolve().parent / RULES_FILE).read_text())
    services = dict(Service.objects.values_list("slug", "id"))
    life_events = dict(LifeEvent.objects.values_list("slug", "id"))
    existing = set(EligibilityRule.objects.values_list("name", flat=True))
    created = 0
    with transaction.atomic():
        for item in items:
            if item["name"] in existing or item["service"] not in services:
                continue
            if any(slug not in life_events for slug in item["life_events"]):
                continue
            rule = EligibilityRule.objects.create(
                name=item["name"],
                service_id=services[item["service"]],
                reason_en=item["reason_en"],
                reason_es=item["reason_es"],
                personas=item["personas"],
                household_personas=item["household_personas"],
            )
            rule.life_events.set([life_events[s] for s in item["life_events"]])
            created += 1
        if created:
            record_write(
                actor=actor,
                action="personalization.rules.loaded",
                summary=f"{created} starter eligibility rules loaded",
            )
    return created
