"""Reads for SMS and email intake: which request type the words mean, which address of the
city's list a text names, and which case an email reply belongs to."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings

from cityhall.cases.models import Case
from cityhall.catalog.models import Service, ServiceType
from cityhall.intake.models import EmailThread, InboundEmail, OutboundEmail
from cityhall.places.models import Address
from cityhall.places.queries import find_address, normalise_address, suggest_addresses
from cityhall.search.queries import search_catalog

# "Other request" in the demo city's catalog (Baltimore's 311 "ECC-Miscellaneous Request").
DEFAULT_FALLBACK_SERVICE_CODE = "baltimore-ecc-miscellaneous-request"
CONFIDENT_RATIO = 1.5  # the best match must score this much above the next to skip asking
MAX_CHOICES = 4


@dataclass(frozen=True)
class TypeMatch:
    code: str
    name_en: str
    name_es: str
    score: float

    def name(self, lang: str) -> str:
        return self.name_es if lang == "es" and self.name_es else self.name_en


def match_service_types(
    text: str, *, lang: str = "en", limit: int = MAX_CHOICES
) -> list[TypeMatch]:
    """Request types the words point at, best first, through the site's own search (typos,
    synonyms, Spanish). Only services that are a reportable request type count. Nothing is
    recorded in search analytics: texts and emails carry personal details."""
    response = search_catalog(text, lang=lang, limit=30, record=False)
    scores: dict[int, float] = {}
    for result in response.results:
        if result.type == "service" and result.id not in scores:
            scores[result.id] = result.score
    if not scores:
        return []
    services = Service.objects.filter(
        pk__in=scores, is_published=True, request_type__isnull=False
    ).select_related("request_type")
    by_id = {s.pk: s for s in services}
    matches = []
    for service_id, score in scores.items():  # dicts keep the ranking order
        service = by_id.get(service_id)
        if service is None or service.request_type is None:
            continue
        request_type = service.request_type
        matches.append(
            TypeMatch(request_type.code, request_type.name_en, request_type.name_es, score)
        )
        if len(matches) == limit:
            break
    return matches


def is_confident(matches: list[TypeMatch]) -> bool:
    return len(matches) == 1 or (
        len(matches) > 1 and matches[0].score >= CONFIDENT_RATIO * matches[1].score
    )


def fallback_service_type() -> ServiceType | None:
    """The catch-all "other request" type for an email nothing else fits."""
    code = getattr(settings, "INTAKE_FALLBACK_SERVICE_CODE", DEFAULT_FALLBACK_SERVICE_CODE)
    return ServiceType.objects.filter(code=code).first()


def service_type_name(code: str, lang: str) -> str:
    service_type = ServiceType.objects.filter(code=code).first()
    if service_type is None:
        return code
    return service_type.name_es if lang == "es" else service_type.name_en


# --- Addresses -------------------------------------------------------------------------------

_NUMBER = re.compile(r"\b\d{1,6}[A-Za-z]?\b")
_MAX_WORDS_AFTER_NUMBER = 6


def address_in_text(text: str) -> Address | None:
    """An address from the city's list named in free text: the whole text first ("3600 Falls
    Rd"), then every "number + up to six words" window in it ("… at 3600 Falls Road, near
    the school"), longest first, in one query."""
    text = text[:4000]
    whole = find_address(text)
    if whole is not None:
        return whole
    candidates: list[str] = []
    for line in text.splitlines():
        for match in _NUMBER.finditer(line):
            tail = line[match.start() :].split(",")[0]
            words = tail.split()[: _MAX_WORDS_AFTER_NUMBER + 1]
            for size in range(len(words), 1, -1):
                candidate = normalise_address(" ".join(words[:size]))
                if candidate and candidate not in candidates:
                    candidates.append(candidate)
            if len(candidates) > 300:
                break
    if not candidates:
        return None
    found = {
        a.normalised: a
        for a in Address.objects.select_related("neighbourhood").filter(normalised__in=candidates)
    }
    for candidate in candidates:
        if candidate in found:
            return found[candidate]
    return None


def address_suggestions(text: str, limit: int = 3) -> list[str]:
    return [a.line for a in suggest_addresses(text, limit=limit)]


# --- Cases -----------------------------------------------------------------------------------


def case_by_reference(reference: str) -> Case | None:
    """What anyone with the reference may see (as on the public case page)."""
    return Case.objects.select_related("service_type").filter(reference=reference).first()


_REFERENCE = re.compile(r"\b(\d{4}-\d{6,})\b")


def reference_in(text: str) -> str:
    match = _REFERENCE.search(text or "")
    return match.group(1) if match else ""


def thread_for_message_ids(message_ids: list[str]) -> EmailThread | None:
    """The thread an email replies to: one of our own messages, or one of theirs we filed."""
    if not message_ids:
        return None
    outbound = (
        OutboundEmail.objects.filter(message_id__in=message_ids)
        .select_related("thread")
        .order_by("-pk")
        .first()
    )
    if outbound is not None:
        return outbound.thread
    inbound = (
        InboundEmail.objects.filter(message_id__in=message_ids, thread__isnull=False)
        .select_related("thread")
        .order_by("-pk")
        .first()
    )
    return inbound.thread if inbound is not None else None


def opted_out_phones(phones: set[str]) -> set[str]:
    """Which of these numbers texted STOP (and not START since): nothing goes to them."""
    from cityhall.intake.models import SmsConversation

    return set(
        SmsConversation.objects.filter(phone__in=phones, opted_out_at__isnull=False).values_list(
            "phone", flat=True
        )
    )
