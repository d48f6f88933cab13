"""Pages: the resident's inbox and message choices, one-click unsubscribe, the provider's
delivery receipts, and the staff composer and dashboard."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cityhall.accounts.models import Persona, Topic
from cityhall.core.forms import apply_errors
from cityhall.intake.twilio import request_is_from_twilio
from cityhall.notifications import actions, queries, templating
from cityhall.notifications.forms import CampaignForm, KindPreferenceForm, TemplateForm
from cityhall.notifications.models import Campaign, Channel, Kind, Template


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    messages = list(queries.inbox(request.user)[:100])
    unread = [m.pk for m in messages if m.read_at is None]
    if request.method == "POST":
        actions.mark_read(actor=request.user, message_ids=unread)
        return redirect("notifications:inbox")
    return render(
        request, "notifications/inbox.html", {"messages_list": messages, "unread": len(unread)}
    )


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    data = request.POST if request.method == "POST" else None
    forms = []
    for kind, channels in queries.channel_choices(user).items():
        form = KindPreferenceForm(data, initial=channels, prefix=kind)
        form.kind_label = Kind(kind).label  # type: ignore[attr-defined]
        forms.append((kind, form))
    saved = False
    if data is not None and all(f.is_valid() for _k, f in forms):
        for kind, form in forms:
            actions.set_kind_preference(actor=user, kind=kind, **form.cleaned_data)
        saved = True
    return render(
        request,
        "notifications/preferences.html",
        {
            "forms": [f for _k, f in forms],
            "saved": saved,
            "profile": user.profiles.filter(is_primary=True).first(),
        },
    )


@csrf_exempt  # RFC 8058: mail providers POST here with no session; the token is the proof
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (a link scanner must not unsubscribe anyone); POST unsubscribes,
    from the button or from the mail client's one-click."""
    read = actions.read_unsubscribe_token(token)
    if read is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=404)
    scope = read[1]
    label = _unsubscribe_label(scope)
    if request.method == "POST":
        done = actions.unsubscribe(token=token)
        if done is None:
            return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=404)
        return render(request, "notifications/unsubscribe.html", {"done": True, "label": label})
    return render(request, "notifications/unsubscribe.html", {"label": label})


def _unsubscribe_label(scope: str) -> str:
    parts = scope.split(":")
    if parts[0] == "topic" and len(parts) == 2 and parts[1] in Topic.values:
        return _("news about “%(topic)s”") % {"topic": Topic(parts[1]).label}
    if parts[0] == "kind" and len(parts) == 3 and parts[1] in Kind.values:
        channel = _("by email") if parts[2] == "email" else _("by text message")
        return f"{Kind(parts[1]).label} {channel}"
    return ""


@csrf_exempt  # signed by the provider (X-Twilio-Signature), no browser session
@require_POST
def twilio_status(request: HttpRequest) -> HttpResponse:
    if not request_is_from_twilio(request):
        return JsonResponse(
            {"detail": _("The request signature is not valid."), "errors": {}}, status=403
        )
    sid = request.POST.get("MessageSid", "")
    status = request.POST.get("MessageStatus", "")
    if not sid or not status:
        return JsonResponse(
            {
                "detail": _("This is not a delivery receipt we can read."),
                "errors": {
                    name: [_("This field is required.")]
                    for name, value in (("MessageSid", sid), ("MessageStatus", status))
                    if not value
                },
            },
            status=400,
        )
    if status in ("delivered", "read"):
        actions.record_delivery_receipt(provider_ref=sid, delivered=True)
    elif status in ("failed", "undelivered"):
        code = request.POST.get("ErrorCode", "")
        actions.record_delivery_receipt(
            provider_ref=sid, delivered=False, reason=f"{status} (error {code})" if code else status
        )
    return HttpResponse(status=204)


# Staff ---------------------------------------------------------------------------------------


OUTCOME_LABELS = {
    "sent": gettext_lazy("Sent"),
    "delivered": gettext_lazy("Delivered"),
    "failed": gettext_lazy("Failed"),
    "suppressed": gettext_lazy("Not sent (opted out)"),
    "retried": gettext_lazy("Will retry"),
    "unsubscribed": gettext_lazy("Unsubscribed"),
}


def _require_composer(request: HttpRequest) -> None:
    if not queries.can_compose(request.user):
        raise Http404


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _require_composer(request)
    if request.method == "POST" and request.POST.get("action") == "resend_failed":
        count = actions.resend_failed(actor=request.user)
        from django.contrib import messages

        messages.success(request, _("%(n)d failed messages queued again.") % {"n": count})
        return redirect("notifications:dashboard")
    return render(
        request,
        "notifications/dashboard.html",
        {
            "days": queries.daily_table(list(OUTCOME_LABELS)),
            "outcomes": list(OUTCOME_LABELS.values()),
            "campaigns": queries.campaigns_for(request.user)[:50],
            "failed": queries.failed_messages().count(),
        },
    )


def _campaign_data(form: CampaignForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["neighbourhoods"] = [int(n) for n in data.get("neighbourhoods") or []]
    return data


@login_required
def campaign_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require_composer(request)
    campaign = get_object_or_404(queries.campaigns_for(request.user), pk=pk) if pk else None
    if request.method == "POST":
        form = CampaignForm(request.POST, instance=campaign)
        if form.is_valid():
            try:
                campaign = actions.save_campaign(
                    actor=request.user,
                    data=_campaign_data(form),
                    campaign=campaign,
                    creation_key=request.POST.get("creation_key") or None,
                )
            except ValidationError as error:
                apply_errors(form, error)  # type: ignore[arg-type]
            except PermissionDenied:
                raise Http404 from None
            else:
                return redirect("notifications:campaign", pk=campaign.pk)
    else:
        form = CampaignForm(instance=campaign)
    import secrets

    from cityhall.places.queries import city_map

    return render(
        request,
        "notifications/campaign_edit.html",
        {
            "form": form,
            "campaign": campaign,
            "creation_key": secrets.token_hex(16),
            "city_map": city_map(),
        },
    )


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_composer(request)
    campaign = get_object_or_404(queries.campaigns_for(request.user), pk=pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "submit":
                actions.submit_campaign(actor=request.user, campaign=campaign)
            elif action == "approve":
                actions.approve_campaign(actor=request.user, campaign=campaign)
            elif action == "cancel":
                actions.cancel_campaign(actor=request.user, campaign=campaign)
            elif action == "resend_failed":
                actions.resend_failed(actor=request.user, campaign=campaign)
        except PermissionDenied:
            return render(
                request,
                "notifications/campaign_detail.html",
                _detail_context(request, campaign)
                | {"error": _("You can't do that: a second person must approve.")},
                status=403,
            )
        return redirect("notifications:campaign", pk=campaign.pk)
    return render(request, "notifications/campaign_detail.html", _detail_context(request, campaign))


def _detail_context(request: HttpRequest, campaign: Campaign) -> dict[str, Any]:
    from cityhall.places.models import Neighbourhood
    from cityhall.places.queries import city_map

    per_place = queries.audience_by_neighbourhood(campaign)
    names = dict(Neighbourhood.objects.filter(pk__in=per_place).values_list("pk", "name"))
    slugs = dict(Neighbourhood.objects.values_list("slug", "pk"))
    top = max(per_place.values(), default=0)
    the_map = city_map()
    shapes = []
    for shape in the_map.get("paths", []):  # type: ignore[attr-defined]
        count = per_place.get(slugs.get(shape["slug"], 0), 0)
        shapes.append(
            {**shape, "count": count, "shade": round(0.1 + 0.9 * count / top, 2) if count else 0}
        )
    return {
        "campaign": campaign,
        "counts": queries.campaign_counts(campaign),
        "count_rows": [
            (label, queries.campaign_counts(campaign).get(key, 0))
            for key, label in OUTCOME_LABELS.items()
        ],
        "by_place": sorted(
            ((names.get(k, "?"), v) for k, v in per_place.items()), key=lambda x: -x[1]
        ),
        "map": {**the_map, "paths": shapes},
        "can_approve": queries.can_approve(request.user, campaign),
        "needs_approval": queries.needs_approval(campaign),
        "threshold": queries.APPROVAL_THRESHOLD,
        "personas": dict(Persona.choices),
        "topics": dict(Topic.choices),
        "json_polygon": json.dumps(campaign.polygon),
    }


# Templates --------------------------------------------------------------------------------


@login_required
def templates(request: HttpRequest) -> HttpResponse:
    _require_composer(request)
    saved: dict[tuple[str, str, str], Template] = {}
    for template in Template.objects.order_by("kind", "channel", "language", "-version"):
        saved.setdefault((template.kind, template.channel, template.language), template)
    rows = [
        {
            "kind": kind,
            "kind_label": Kind(kind).label,
            "channel": channel,
            "channel_label": Channel(channel).label,
            "language": language,
            "current": saved.get((kind, channel, language)),
        }
        for kind in templating.EDITABLE_KINDS
        for channel in Channel.values
        for language, _name in settings.LANGUAGES
        if (kind, channel, language) in templating.DEFAULTS or (kind, channel, language) in saved
    ]
    return render(request, "notifications/templates.html", {"rows": rows})


@login_required
def template_edit(request: HttpRequest, kind: str, channel: str, language: str) -> HttpResponse:
    _require_composer(request)
    if kind not in templating.EDITABLE_KINDS or channel not in Channel.values:
        raise Http404
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise Http404
    history = list(Template.objects.filter(kind=kind, channel=channel, language=language))
    subject, body, _template = actions._words(
        kind, channel, language, {(channel, language): history[0]} if history else {}
    )
    form = TemplateForm(request.POST or None, initial={"subject": subject, "body": body})
    preview = None
    if request.method == "POST" and form.is_valid():
        words = dict(form.cleaned_data)  # add_error() drops fields from cleaned_data
        if request.POST.get("action") == "save":
            try:
                actions.save_template(actor=request.user, kind=kind, channel=channel,
                                      language=language, **words)  # fmt: skip
            except ValidationError as error:
                apply_errors(form, error)
            else:
                from django.contrib import messages

                messages.success(request, _("Saved as a new version."))
                return redirect("notifications:template", kind=kind, channel=channel,
                                language=language)  # fmt: skip
        preview = _preview(kind, channel, words["subject"], words["body"], form)
    elif request.method == "GET":
        preview = _preview(kind, channel, subject, body, form)
    return render(
        request,
        "notifications/template_edit.html",
        {
            "form": form,
            "kind_label": Kind(kind).label,
            "channel": channel,
            "channel_label": Channel(channel).label,
            "language": language,
            "placeholders": sorted(templating.PLACEHOLDERS[kind]),
            "preview": preview,
            "history": history,
        },
    )


def _preview(kind: str, channel: str, subject: str, body: str, form: Any) -> dict[str, Any]:
    """The words with sample values, as the resident would see them; unknown placeholders
    are pointed out here too, before anyone tries to save."""
    for field, text in (("subject", subject), ("body", body)):
        unknown = templating.unknown_placeholders(text, kind)
        if unknown and not form.has_error(field):
            form.add_error(field, _("Unknown placeholders: %(names)s.") % {
                "names": ", ".join(f"{{{{ {n} }}}}" for n in unknown)})  # fmt: skip
    text = templating.render(body, templating.SAMPLE_VALUES)
    return {
        "subject": templating.render(subject, templating.SAMPLE_VALUES),
        "text": text,
        "segments": templating.sms_segments(text) if channel == Channel.SMS else None,
    }
