from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from cityhall.audit.models import AuditEvent
from cityhall.org.queries import can_read_audit


def search_audit(
    viewer: Any,
    *,
    actor: str = "",
    subject: str = "",
    action: str = "",
    kind: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """Auditors and city admins search the log; everyone else finds nothing exists."""
    if not can_read_audit(viewer):
        raise Http404
    events = AuditEvent.objects.all()
    if actor:
        events = events.filter(actor_label__icontains=actor)
    if subject:
        subject_filter = Q(subject__email__icontains=subject)
        if subject.isascii() and subject.isdigit() and len(subject) < 19:
            subject_filter |= Q(subject_id=int(subject))
        events = events.filter(subject_filter)
    if action:
        events = events.filter(action__icontains=action)
    if kind:
        events = events.filter(kind=kind)
    if since:
        events = events.filter(created_at__date__gte=since)
    if until:
        events = events.filter(created_at__date__lte=until)
    return events.order_by("-created_at", "-id")
