"""Reads for notifications: who gets what on which channel, campaign audiences, the inbox,
the dashboard, and the permission gates."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from cityhall.accounts.models import Digest, Profile, SavedAddress
from cityhall.notifications.models import (
    Campaign,
    CampaignCount,
    Channel,
    DailyCount,
    Kind,
    KindPreference,
    Message,
    Status,
    TopicOptOut,
)
from cityhall.org.models import Role
from cityhall.org.queries import roles_of

COMPOSER_ROLES = frozenset({Role.SUPERVISOR, Role.DEPARTMENT_ADMIN, Role.CITY_ADMIN})
EMERGENCY_ROLES = frozenset({Role.CITY_ADMIN})
APPROVAL_THRESHOLD = 10_000
# Quiet hours and digests hold back what can wait; these channels never interrupt anyone.
INTERRUPTING_CHANNELS = frozenset({Channel.EMAIL, Channel.SMS})


def can_compose(user: Any) -> bool:
    return bool(roles_of(user) & COMPOSER_ROLES)


def can_send_emergency(user: Any) -> bool:
    return bool(roles_of(user) & EMERGENCY_ROLES)


def can_approve(user: Any, campaign: Campaign) -> bool:
    """A second person: anyone who may compose, except the author."""
    if not can_compose(user) or user.pk == campaign.created_by_id:
        return False
    return not campaign.is_emergency or can_send_emergency(user)


@dataclass(frozen=True)
class Recipient:
    user_id: int
    name: str
    language: str
    email: str
    sms_phone: str
    channels: tuple[str, ...]
    quiet_start: dt.time | None
    quiet_end: dt.time | None
    daily_digest: bool


# Kinds a resident chooses channels for (emergencies always come; digests follow the rest).
CHOOSABLE_KINDS = (Kind.CASE_UPDATE, Kind.REMINDER, Kind.NEWS)


def chosen_channels(profile: Profile | None, preference: KindPreference | None) -> dict[str, bool]:
    """The channels for one kind: the resident's choice for that kind, else their profile's
    general switches (an account without a profile gets the inbox only)."""
    if preference is not None:
        return {"email": preference.email, "sms": preference.sms, "inbox": preference.inbox}
    if profile is None:
        return {"email": False, "sms": False, "inbox": True}
    return {
        "email": profile.notify_email,
        "sms": profile.notify_sms,
        "inbox": profile.notify_in_app,
    }


def channel_choices(user: Any) -> dict[str, dict[str, bool]]:
    """Per choosable kind, the channels this account gets it on."""
    profile = Profile.objects.filter(account=user, is_primary=True).first()
    saved = {p.kind: p for p in KindPreference.objects.filter(account=user)}
    return {kind: chosen_channels(profile, saved.get(kind)) for kind in CHOOSABLE_KINDS}


def _profile_channels(profile: Profile, preference: KindPreference | None) -> list[str]:
    return [channel for channel, on in chosen_channels(profile, preference).items() if on]


def recipients(user_ids: list[int], kind: str) -> list[Recipient]:
    """Each account's primary profile and the channels it chose for this kind of message.
    Emergency alerts go on every channel the person can be reached on."""
    profiles = Profile.objects.filter(
        account_id__in=user_ids,
        is_primary=True,
        account__is_active=True,
        account__anonymised_at__isnull=True,
    ).select_related("account")
    preferences = {
        p.account_id: p for p in KindPreference.objects.filter(account_id__in=user_ids, kind=kind)
    }
    found = []
    for profile in profiles:
        if kind == Kind.EMERGENCY:
            channels = ["email", "inbox"] + (["sms"] if profile.sms_phone else [])
        else:
            channels = _profile_channels(profile, preferences.get(profile.account_id))
        email = profile.account.email or ""
        channels = [
            c
            for c in channels
            if (c != Channel.EMAIL or email) and (c != Channel.SMS or profile.sms_phone)
        ]
        found.append(
            Recipient(
                user_id=profile.account_id,
                name=profile.name,
                language=profile.language or "en",
                email=email,
                sms_phone=profile.sms_phone,
                channels=tuple(channels),
                quiet_start=profile.quiet_hours_start,
                quiet_end=profile.quiet_hours_end,
                daily_digest=profile.digest == Digest.DAILY,
            )
        )
    return found


def quiet_until(start: dt.time | None, end: dt.time | None, now: dt.datetime) -> dt.datetime | None:
    """When quiet hours (in the city's time) end, if `now` falls inside them."""
    if start is None or end is None or start == end:
        return None
    local = timezone.localtime(now)
    clock = local.time()
    inside = (start <= clock < end) if start < end else (clock >= start or clock < end)
    if not inside:
        return None
    day = local.date() if clock < end else local.date() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, end), timezone.get_current_timezone())


# Campaign audiences ---------------------------------------------------------------------


def _address_ids_in_polygon(points: list[list[float]]) -> list[int]:
    from shapely.geometry import Point, Polygon

    from cityhall.places.models import Address

    if len(points) < 3:
        return []
    shape = Polygon([(lng, lat) for lat, lng in points])
    return [
        pk
        for pk, lat, lng in Address.objects.values_list("pk", "lat", "lng")
        if shape.covers(Point(lng, lat))
    ]


def _address_ids_near(lat: float, lng: float, radius_m: float) -> list[int]:
    from cityhall.places.models import Address

    metres_per_degree = 6_371_008.8 * math.pi / 180
    scale = math.cos(math.radians(lat))
    found = []
    for pk, a_lat, a_lng in Address.objects.values_list("pk", "lat", "lng"):
        dy = (a_lat - lat) * metres_per_degree
        dx = (a_lng - lng) * metres_per_degree * scale
        if dx * dx + dy * dy <= radius_m * radius_m:
            found.append(pk)
    return found


def _json_list_has_any(field: str, values: list[str]) -> Q:
    """A JSON list field containing any of `values`, in SQL both databases run: the slugs
    are matched with their quotes in the stored text."""
    condition = Q()
    for value in values:
        condition |= Q(**{f"{field}__icontains": f'"{value}"'})
    return condition


def campaign_audience(campaign: Campaign) -> QuerySet[Profile]:
    """The primary profiles of the accounts a campaign reaches. Geography, personas and
    topics match on any profile of the household (a caregiver hears about the street their
    mother lives on); services match the household's own requests."""
    household = Profile.objects.filter(account_id=OuterRef("account_id"))
    audience = Profile.objects.filter(
        is_primary=True, account__is_active=True, account__anonymised_at__isnull=True
    )
    geography = Q()
    if campaign.neighbourhoods:
        geography |= Q(address__neighbourhood_id__in=campaign.neighbourhoods)
    if campaign.polygon:
        geography |= Q(address_id__in=_address_ids_in_polygon(campaign.polygon))
    if campaign.center_lat is not None and campaign.center_lng is not None and campaign.radius_m:
        geography |= Q(
            address_id__in=_address_ids_near(
                campaign.center_lat, campaign.center_lng, campaign.radius_m
            )
        )
    if geography:
        audience = audience.filter(
            Exists(
                SavedAddress.objects.filter(geography, profile__account_id=OuterRef("account_id"))
            )
        )
    if campaign.personas:
        audience = audience.filter(
            Exists(household.filter(_json_list_has_any("personas", campaign.personas)))
        )
    if campaign.topics:
        audience = audience.filter(
            Exists(household.filter(_json_list_has_any("interests", campaign.topics)))
        )
    if campaign.service_codes:
        from cityhall.cases.models import Case

        audience = audience.filter(
            Exists(
                Case.objects.filter(
                    requester_id=OuterRef("account_id"),
                    service_type__code__in=campaign.service_codes,
                )
            )
        )
    if campaign.topic and not campaign.is_emergency:
        audience = audience.exclude(
            Exists(
                TopicOptOut.objects.filter(account_id=OuterRef("account_id"), topic=campaign.topic)
            )
        )
    return audience


def audience_size(campaign: Campaign) -> int:
    return campaign_audience(campaign).count()


def audience_by_neighbourhood(campaign: Campaign) -> dict[int, int]:
    """Reached accounts per neighbourhood of their first saved address, for the map."""
    from django.db.models import Count, Subquery

    first_neighbourhood = Subquery(
        SavedAddress.objects.filter(profile__account_id=OuterRef("account_id"))
        .order_by("id")
        .values("address__neighbourhood_id")[:1]
    )
    rows = (
        campaign_audience(campaign)
        .annotate(where=first_neighbourhood)
        .values("where")
        .annotate(n=Count("id"))
        .values_list("where", "n")
    )
    return {where: n for where, n in rows if where is not None}


def needs_approval(campaign: Campaign) -> bool:
    return (campaign.audience_size or 0) > APPROVAL_THRESHOLD


# Inbox ----------------------------------------------------------------------------------


def inbox(user: Any) -> QuerySet[Message]:
    return Message.objects.filter(
        user=user,
        channel=Channel.INBOX,
        status__in=[Status.QUEUED, Status.SENT, Status.DELIVERED],
    ).select_related("campaign")


def unread_count(user: Any) -> int:
    return inbox(user).filter(read_at__isnull=True).count()


# Dashboard ------------------------------------------------------------------------------


def daily_table(outcomes: list[str], days: int = 14) -> list[tuple[Any, list[int]]]:
    """(day, [count per outcome in the given order]), newest day first, from the counters."""
    table: dict[Any, dict[str, int]] = {}
    for row in daily_counts(days):
        counts = table.setdefault(row["day"], {})
        counts[row["outcome"]] = counts.get(row["outcome"], 0) + row["total"]
    return [
        (day, [counts.get(o, 0) for o in outcomes])
        for day, counts in sorted(table.items(), key=lambda item: item[0], reverse=True)
    ]


def daily_counts(days: int = 14) -> list[Any]:
    since = timezone.localdate() - dt.timedelta(days=days - 1)
    rows = (
        DailyCount.objects.filter(day__gte=since)
        .values("day", "channel", "outcome")
        .annotate(total=Sum("count"))
        .order_by("-day", "channel", "outcome")
    )
    return list(rows)


def campaign_counts(campaign: Campaign) -> dict[str, int]:
    return dict(CampaignCount.objects.filter(campaign=campaign).values_list("outcome", "count"))


def campaigns_for(user: Any) -> QuerySet[Campaign]:
    if not can_compose(user):
        return Campaign.objects.none()
    return Campaign.objects.select_related("created_by", "approved_by")


def failed_messages(campaign: Campaign | None = None) -> QuerySet[Message]:
    messages = Message.objects.filter(status=Status.FAILED)
    if campaign is not None:
        messages = messages.filter(campaign=campaign)
    return messages


def public_base_url() -> str:
    return getattr(settings, "PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
