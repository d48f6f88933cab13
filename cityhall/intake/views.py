"""Webhooks for SMS (Twilio's format, answered in TwiML) and inbound email (a raw message
from the mail server). Neither is a browser form: each authenticates its caller itself."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cityhall.intake import actions
from cityhall.intake.mail import MAX_EMAIL_BYTES
from cityhall.intake.models import InboundOutcome
from cityhall.intake.twilio import request_is_from_twilio, twiml

MAX_MEDIA = 10


def _error(status: int, detail: str, errors: dict[str, list[str]] | None = None) -> JsonResponse:
    return JsonResponse({"detail": detail, "errors": errors or {}}, status=status)


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@csrf_exempt  # Twilio signs its requests; there is no browser session
@require_POST
def twilio_sms(request: HttpRequest) -> HttpResponse:
    if not request_is_from_twilio(request):
        return _error(403, _("The request signature is not valid."))
    try:
        count = min(int(request.POST.get("NumMedia") or 0), MAX_MEDIA)
    except ValueError:
        count = 0
    media = [request.POST[f"MediaUrl{i}"] for i in range(count) if request.POST.get(f"MediaUrl{i}")]
    try:
        reply = actions.receive_sms(
            actor=None,
            sid=request.POST.get("MessageSid") or request.POST.get("SmsMessageSid", ""),
            from_number=request.POST.get("From", ""),
            body=request.POST.get("Body", ""),
            media_urls=media,
            site_url=_site_url(request),
        )
    except ValidationError as error:
        return _error(400, _("This is not an inbound message we can read."), error.message_dict)
    return HttpResponse(twiml(reply), content_type="text/xml; charset=utf-8")


@csrf_exempt  # the mail server authenticates with a shared secret, not a session
@require_POST
def inbound_email(request: HttpRequest) -> HttpResponse:
    secret = getattr(settings, "INTAKE_EMAIL_SECRET", "")
    given = request.headers.get("X-Intake-Secret", "")
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        return _error(403, _("Missing or wrong X-Intake-Secret header."))
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_EMAIL_BYTES:
        return _error(
            400,
            _("The message is larger than 1 MB."),
            {"message": [_("The message is larger than 1 MB.")]},
        )
    try:
        result = actions.receive_email(actor=None, raw=request.body, site_url=_site_url(request))
    except ValidationError as error:
        return _error(400, _("This is not an email we can act on."), error.message_dict)
    status = 201 if result.outcome == InboundOutcome.CREATED and not result.duplicate else 200
    return JsonResponse(
        {"outcome": result.outcome, "reference": result.reference, "duplicate": result.duplicate},
        status=status,
    )
