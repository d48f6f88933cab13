"""Reading the catalog, and who may edit or review it."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from cityhall.catalog.models import (
    Article,
    ContentKind,
    ContentRevision,
    LifeEvent,
    LifeEventStep,
    Service,
)
from cityhall.org.models import Role, StaffMembership

EDIT_ROLES: set[str] = {Role.CASEWORKER, Role.SUPERVISOR, Role.DEPARTMENT_ADMIN}
REVIEW_ROLES: set[str] = {Role.SUPERVISOR, Role.DEPARTMENT_ADMIN}


def _memberships(user: Any) -> list[StaffMembership]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(StaffMembership.objects.filter(user=user))


def _allowed(user: Any, item: Any, roles: set[str]) -> bool:
    memberships = _memberships(user)
    if any(m.role == Role.CITY_ADMIN for m in memberships):
        return True
    department_id = getattr(item, "department_id", None)
    if department_id is None:  # articles and life events belong to the whole city
        return any(m.role in REVIEW_ROLES for m in memberships)
    return any(m.role in roles and m.department_id == department_id for m in memberships)


def can_edit(user: Any, kind: str, item: Any) -> bool:
    return _allowed(user, item, EDIT_ROLES)


def can_review(user: Any, kind: str, item: Any) -> bool:
    return _allowed(user, item, REVIEW_ROLES)


def published_services() -> QuerySet[Service]:
    return Service.objects.filter(is_published=True).select_related("department", "request_type")


def service_by_slug(slug: str) -> Service:
    try:
        return published_services().prefetch_related("related").get(slug=slug)
    except Service.DoesNotExist:
        raise Http404 from None


def article_by_slug(slug: str) -> Article:
    try:
        return Article.objects.filter(is_published=True).get(slug=slug)
    except Article.DoesNotExist:
        raise Http404 from None


def life_events() -> QuerySet[LifeEvent]:
    return LifeEvent.objects.filter(is_published=True)


def life_event_by_slug(slug: str) -> LifeEvent:
    steps = LifeEventStep.objects.filter(service__is_published=True).select_related("service")
    try:
        return life_events().prefetch_related(Prefetch("steps", queryset=steps)).get(slug=slug)
    except LifeEvent.DoesNotExist:
        raise Http404 from None


def services_for_persona(persona: str) -> list[Service]:
    ordered = published_services().order_by("-popularity", "title_en")
    return [s for s in ordered if persona in s.personas]


def services_for_topic(topic: str) -> QuerySet[Service]:
    return published_services().filter(topic=topic).order_by("-popularity", "title_en")


def articles_for_topic(topic: str) -> QuerySet[Article]:
    return Article.objects.filter(is_published=True, topic=topic).order_by("title_en")


def editable_item(user: Any, kind: str, object_id: int) -> Any:
    from cityhall.catalog.actions import MODELS

    if kind not in ContentKind.values:
        raise Http404
    try:
        item = MODELS[kind].objects.get(pk=object_id)
    except (MODELS[kind].DoesNotExist, ValueError):  # type: ignore[union-attr]
        raise Http404 from None
    if not can_edit(user, kind, item):
        raise Http404
    return item


def revisions_of(kind: str, item: Any) -> QuerySet[ContentRevision]:
    return ContentRevision.objects.filter(kind=kind, object_id=item.pk).select_related(
        "author", "reviewer"
    )


def review_queue(user: Any) -> list[tuple[ContentRevision, Any]]:
    from cityhall.catalog.actions import MODELS

    out = []
    for revision in ContentRevision.objects.filter(status="in_review").order_by("submitted_at"):
        item = MODELS[revision.kind].objects.filter(pk=revision.object_id).first()
        if item is not None and can_review(user, revision.kind, item):
            out.append((revision, item))
    return out


def staff_editable_services(user: Any, query: str = "") -> QuerySet[Service]:
    memberships = _memberships(user)
    services = Service.objects.select_related("department").order_by("title_en")
    if not any(m.role == Role.CITY_ADMIN for m in memberships):
        departments = [
            m.department_id for m in memberships if m.role in EDIT_ROLES and m.department_id
        ]
        services = services.filter(department_id__in=departments)
    if query:
        services = services.filter(title_en__icontains=query)
    return services


def staff_editable_city_content(user: Any) -> dict[str, list[Any]]:
    """Answers and life events belong to the whole city: reviewers and city admins edit them."""
    if not _allowed(user, None, REVIEW_ROLES):
        return {"articles": [], "life_events": []}
    return {
        "articles": list(Article.objects.order_by("title_en")),
        "life_events": list(LifeEvent.objects.order_by("position", "title_en")),
    }
