"""Editing the catalog: draft → review → published, with every version kept."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.audit.actions import record_write
from cityhall.catalog.models import (
    Article,
    ContentKind,
    ContentRevision,
    LifeEvent,
    RevisionStatus,
    Service,
)
from cityhall.catalog.queries import can_edit, can_review
from cityhall.search.actions import request_index_refresh

TEXT_FIELDS = {
    ContentKind.SERVICE: [
        "title_en", "title_es", "summary_en", "summary_es", "eligibility_en", "eligibility_es",
        "fees_en", "fees_es", "duration_en", "duration_es",
    ],
    ContentKind.ARTICLE: ["title_en", "title_es", "body_en", "body_es"],
    ContentKind.LIFE_EVENT: ["title_en", "title_es", "summary_en", "summary_es"],
}  # fmt: skip
LIST_FIELDS = {
    ContentKind.SERVICE: ["steps_en", "steps_es", "keywords_en", "keywords_es"],
    ContentKind.ARTICLE: ["keywords_en", "keywords_es"],
    ContentKind.LIFE_EVENT: ["keywords_en", "keywords_es"],
}
REQUIRED = {"title_en", "title_es", "summary_en", "summary_es", "body_en", "body_es"}
MODELS: dict[str, type[Service] | type[Article] | type[LifeEvent]] = {
    ContentKind.SERVICE: Service,
    ContentKind.ARTICLE: Article,
    ContentKind.LIFE_EVENT: LifeEvent,
}


def editable_fields(kind: str) -> list[str]:
    return [*TEXT_FIELDS[ContentKind(kind)], *LIST_FIELDS[ContentKind(kind)], "is_published"]


def snapshot(item: Any, kind: str) -> dict[str, Any]:
    return {name: getattr(item, name) for name in editable_fields(kind)}


def clean_content(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for name in TEXT_FIELDS[ContentKind(kind)]:
        value = str(data.get(name) or "").strip()
        limit = 200 if name.startswith("title") else 5000
        if name in REQUIRED and not value:
            errors[name] = [_("This field is required in both languages.")]
        elif len(value) > limit:
            errors[name] = [_("Use %(n)d characters or fewer.") % {"n": limit}]
        cleaned[name] = value
    for name in LIST_FIELDS[ContentKind(kind)]:
        raw = data.get(name) or []
        if isinstance(raw, str):
            raw = raw.split("\n" if name.startswith("steps") else ",")
        items = [str(v).strip() for v in raw if str(v).strip()]
        if len(items) > 40 or any(len(v) > 300 for v in items):
            errors[name] = [_("Up to 40 items of 300 characters each.")]
        cleaned[name] = items
    cleaned["is_published"] = bool(data.get("is_published", True))
    if errors:
        raise ValidationError(errors)
    return cleaned


def _next_number(kind: str, object_id: int) -> int:
    top = ContentRevision.objects.filter(kind=kind, object_id=object_id).aggregate(n=Max("number"))
    return (top["n"] or 0) + 1


@transaction.atomic
def save_draft(
    *,
    actor: Any,
    kind: str,
    item: Any,
    data: dict[str, Any],
    submit: bool = False,
    idempotency_key: str | None = None,
) -> ContentRevision:
    """Save a new version; with `submit`, send it for review in the same transaction.
    A retried form post with the same key returns the version the first one saved."""
    if not can_edit(actor, kind, item):
        raise PermissionDenied
    key = (idempotency_key or "").strip()[:64] or None
    if key:
        previous = ContentRevision.objects.filter(author=actor, creation_key=key).first()
        if previous:
            return previous
    cleaned = clean_content(kind, data)
    type(item).objects.select_for_update().filter(pk=item.pk).first()  # serialise numbering
    revision = ContentRevision.objects.create(
        kind=kind,
        object_id=item.pk,
        number=_next_number(kind, item.pk),
        base_version=item.version,
        data=cleaned,
        author=actor,
        creation_key=key,
    )
    record_write(
        actor=actor,
        action=f"catalog.{kind}.draft_saved",
        summary=f"Draft v{revision.number} of “{item.title_en}”",
        obj=revision,
    )
    if submit:
        return submit_for_review(actor=actor, revision=revision)
    return revision


@transaction.atomic
def submit_for_review(*, actor: Any, revision: ContentRevision) -> ContentRevision:
    revision = ContentRevision.objects.select_for_update().get(pk=revision.pk)
    if revision.author_id != actor.pk:
        raise PermissionDenied
    if revision.status != RevisionStatus.DRAFT:
        raise ValidationError({"__all__": [_("Only a draft can be sent for review.")]})
    revision.status = RevisionStatus.IN_REVIEW
    revision.submitted_at = timezone.now()
    revision.save(update_fields=["status", "submitted_at"])
    record_write(
        actor=actor,
        action=f"catalog.{revision.kind}.submitted",
        summary=f"Sent v{revision.number} for review",
        obj=revision,
    )
    return revision


@transaction.atomic
def publish_revision(*, actor: Any, revision: ContentRevision) -> Any:
    """A reviewer (not the author) publishes: the live item takes the revision's fields."""
    revision = ContentRevision.objects.select_for_update().get(pk=revision.pk)
    model = MODELS[revision.kind]
    item = model.objects.select_for_update().get(pk=revision.object_id)
    if not can_review(actor, revision.kind, item) or revision.author_id == actor.pk:
        raise PermissionDenied
    if revision.status != RevisionStatus.IN_REVIEW:
        raise ValidationError({"__all__": [_("Only a revision in review can be published.")]})
    if revision.base_version != item.version:
        raise ValidationError(
            {
                "__all__": [
                    _(
                        "A newer version was published after this draft was written. "
                        "Send it back so the author can redo it on the current text."
                    )
                ]
            }
        )
    for name, value in revision.data.items():
        setattr(item, name, value)
    item.version += 1
    item.save()
    revision.status = RevisionStatus.PUBLISHED
    revision.reviewer = actor
    revision.decided_at = timezone.now()
    revision.save(update_fields=["status", "reviewer", "decided_at"])
    record_write(
        actor=actor,
        action=f"catalog.{revision.kind}.published",
        summary=f"Published v{revision.number} of “{item.title_en}”",
        obj=item,
    )
    request_index_refresh()
    return item


@transaction.atomic
def send_back(*, actor: Any, revision: ContentRevision, note: str) -> ContentRevision:
    revision = ContentRevision.objects.select_for_update().get(pk=revision.pk)
    item = MODELS[revision.kind].objects.get(pk=revision.object_id)
    if not can_review(actor, revision.kind, item):
        raise PermissionDenied
    if revision.status != RevisionStatus.IN_REVIEW:
        raise ValidationError({"__all__": [_("Only a revision in review can be sent back.")]})
    revision.status = RevisionStatus.REJECTED
    revision.reviewer = actor
    revision.note = note.strip()[:500]
    revision.decided_at = timezone.now()
    revision.save(update_fields=["status", "reviewer", "note", "decided_at"])
    record_write(
        actor=actor,
        action=f"catalog.{revision.kind}.sent_back",
        summary=f"Sent back v{revision.number}",
        obj=revision,
    )
    return revision


def create_article(*, actor: Any, slug: str, title_en: str, title_es: str) -> Article:
    """A new, unpublished article with its titles only: staff write the rest as a draft and
    it goes live through review like any other change."""
    from django.utils.text import slugify

    item = Article(title_en=title_en)
    if not can_edit(actor, ContentKind.ARTICLE, item):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    slug = slugify(slug or title_en)[:120]
    if not slug:
        errors["slug"] = [_("Give the article a short web address.")]
    elif Article.objects.filter(slug=slug).exists():
        errors["slug"] = [_("Another article already uses this web address.")]
    for name, value in (("title_en", title_en), ("title_es", title_es)):
        if not (value or "").strip():
            errors[name] = [_("Write the title in both languages.")]
        elif len(value) > 200:
            errors[name] = [_("Keep the title under 200 characters.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        article = Article.objects.create(
            slug=slug,
            title_en=title_en.strip(),
            title_es=title_es.strip(),
            body_en="",
            body_es="",
            is_published=False,
        )
        record_write(
            actor=actor,
            action="catalog.article.created",
            summary=f"New article “{article.title_en}” (unpublished)",
            obj=article,
        )
    return article
