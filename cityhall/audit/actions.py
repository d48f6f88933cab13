"""Writing audit rows. Call from inside the action's transaction so both commit together."""

from __future__ import annotations

from typing import Any

from django.db import models

from cityhall.audit.models import AuditEvent, AuditKind


def _label(actor: Any) -> str:
    if actor is None:
        return "system"
    return getattr(actor, "email", "") or f"user {actor.pk}"


def record_audit(
    *,
    actor: Any,
    kind: AuditKind,
    action: str,
    summary: str,
    subject: Any = None,
    obj: models.Model | None = None,
    case_reference: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_label=_label(actor),
        kind=kind,
        action=action,
        subject=subject,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        case_reference=case_reference,
        summary=summary[:255],
        detail=detail or {},
    )


def record_write(*, actor: Any, action: str, summary: str, **kwargs: Any) -> AuditEvent:
    return record_audit(actor=actor, kind=AuditKind.WRITE, action=action, summary=summary, **kwargs)


def record_read(*, actor: Any, action: str, summary: str, **kwargs: Any) -> AuditEvent:
    return record_audit(actor=actor, kind=AuditKind.READ, action=action, summary=summary, **kwargs)
