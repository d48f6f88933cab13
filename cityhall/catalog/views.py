"""Public catalog pages (browse by life event, persona and topic; service and article pages)
and the staff editing workflow."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cityhall.accounts.models import Persona, Topic
from cityhall.catalog import actions, queries
from cityhall.catalog.models import ContentRevision
from cityhall.core.forms import apply_errors
from cityhall.personalization.actions import record_service_view


def browse(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "catalog/browse.html",
        {
            "life_events": queries.life_events(),
            "personas": Persona.choices,
            "topics": Topic.choices,
        },
    )


def life_event(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "catalog/life_event.html", {"event": queries.life_event_by_slug(slug)})


def persona(request: HttpRequest, persona: str) -> HttpResponse:
    labels = dict(Persona.choices)
    if persona not in labels:
        raise Http404
    return render(
        request,
        "catalog/list.html",
        {
            "heading": _("Services for: %s") % labels[persona],
            "services": queries.services_for_persona(persona)[:60],
        },
    )


def topic(request: HttpRequest, topic: str) -> HttpResponse:
    labels = dict(Topic.choices)
    if topic not in labels:
        raise Http404
    return render(
        request,
        "catalog/list.html",
        {
            "heading": labels[topic],
            "services": queries.services_for_topic(topic)[:80],
            "articles": queries.articles_for_topic(topic)[:30],
        },
    )


def service(request: HttpRequest, slug: str) -> HttpResponse:
    item = queries.service_by_slug(slug)
    record_service_view(actor=request.user, profile=getattr(request, "profile", None), service=item)
    return render(request, "catalog/service.html", {"service": item})


def article(request: HttpRequest, slug: str) -> HttpResponse:
    item = queries.article_by_slug(slug)
    return render(request, "catalog/article.html", {"article": item})


# --- Staff: draft → review → published ------------------------------------------------------


class ContentForm(forms.Form):
    title_en = forms.CharField(label=gettext_lazy("Title (English)"), max_length=200)
    title_es = forms.CharField(label=gettext_lazy("Title (Spanish)"), max_length=200)
    summary_en = forms.CharField(
        label=gettext_lazy("Summary (English)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    summary_es = forms.CharField(
        label=gettext_lazy("Summary (Spanish)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    keywords_en = forms.CharField(
        label=gettext_lazy("Search keywords (English, comma-separated)"),
        required=False,
        max_length=3000,
    )
    keywords_es = forms.CharField(
        label=gettext_lazy("Search keywords (Spanish, comma-separated)"),
        required=False,
        max_length=3000,
    )
    is_published = forms.BooleanField(label=gettext_lazy("Visible to residents"), required=False)
    submit = forms.BooleanField(
        label=gettext_lazy("Send for review now"), required=False, initial=True
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


def _form_initial(kind: str, item: Any) -> dict[str, Any]:
    data = actions.snapshot(item, kind)
    summary = "body" if kind == "article" else "summary"
    return {
        "title_en": data["title_en"],
        "title_es": data["title_es"],
        "summary_en": data[f"{summary}_en"],
        "summary_es": data[f"{summary}_es"],
        "keywords_en": ", ".join(data["keywords_en"]),
        "keywords_es": ", ".join(data["keywords_es"]),
        "is_published": data["is_published"],
        "submit": True,
        "idempotency_key": uuid.uuid4().hex,
    }


@login_required
def staff_catalog(request: HttpRequest) -> HttpResponse:
    if not request.staff_roles:  # type: ignore[attr-defined]
        raise Http404
    query = request.GET.get("q", "")[:100]
    return render(
        request,
        "catalog/staff_index.html",
        {
            "services": queries.staff_editable_services(request.user, query)[:50],
            "queue": queries.review_queue(request.user),
            "q": query,
            **queries.staff_editable_city_content(request.user),
        },
    )


@login_required
def staff_edit(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    item = queries.editable_item(request.user, kind, object_id)
    form = ContentForm(request.POST or None, initial=_form_initial(kind, item))
    if request.method == "POST" and form.is_valid():
        data = actions.snapshot(item, kind)
        summary = "body" if kind == "article" else "summary"
        data.update(
            title_en=form.cleaned_data["title_en"],
            title_es=form.cleaned_data["title_es"],
            keywords_en=form.cleaned_data["keywords_en"],
            keywords_es=form.cleaned_data["keywords_es"],
            is_published=form.cleaned_data["is_published"],
        )
        data[f"{summary}_en"] = form.cleaned_data["summary_en"]
        data[f"{summary}_es"] = form.cleaned_data["summary_es"]
        try:
            revision = actions.save_draft(
                actor=request.user,
                kind=kind,
                item=item,
                data=data,
                submit=form.cleaned_data["submit"],
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved as version %d.") % revision.number)
            return redirect("catalog_staff:revision", revision_id=revision.pk)
    return render(
        request,
        "catalog/staff_edit.html",
        {"form": form, "item": item, "kind": kind, "revisions": queries.revisions_of(kind, item)},
        status=400 if form.errors else 200,
    )


@login_required
def staff_revision(request: HttpRequest, revision_id: int) -> HttpResponse:
    revision = get_object_or_404(ContentRevision, pk=revision_id)
    item = queries.editable_item(request.user, revision.kind, revision.object_id)
    live = actions.snapshot(item, revision.kind)
    changes = [
        (name, live.get(name), value)
        for name, value in revision.data.items()
        if live.get(name) != value
    ]
    return render(
        request,
        "catalog/staff_revision.html",
        {
            "revision": revision,
            "item": item,
            "changes": changes,
            "can_publish": queries.can_review(request.user, revision.kind, item)
            and revision.author_id != request.user.pk
            and revision.status == "in_review",
        },
    )


@login_required
@require_POST
def staff_decide(request: HttpRequest, revision_id: int) -> HttpResponse:
    revision = get_object_or_404(ContentRevision, pk=revision_id)
    queries.editable_item(request.user, revision.kind, revision.object_id)
    try:
        if request.POST.get("decision") == "publish":
            actions.publish_revision(actor=request.user, revision=revision)
            messages.success(request, _("Published. Search will find it within seconds."))
        else:
            actions.send_back(
                actor=request.user, revision=revision, note=request.POST.get("note", "")
            )
            messages.success(request, _("Sent back to the author."))
    except PermissionDenied:
        messages.error(request, _("You can't review your own change, or this department's."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("catalog_staff:revision", revision_id=revision.pk)
