"""Resident account pages. Each view parses, calls one action or query, and renders."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cityhall.accounts import actions, queries
from cityhall.accounts.forms import AddressForm, ConsentForm, PhoneForm, ProfileForm
from cityhall.accounts.middleware import SESSION_KEY
from cityhall.accounts.models import ConsentPurpose, SavedAddress
from cityhall.core.forms import apply_errors
from cityhall.personalization.actions import set_personalisation
from cityhall.places.queries import suggest_addresses


def _profile_initial(profile: Any = None) -> dict[str, Any]:
    if profile is None:
        return {
            "language": translation.get_language() or "en",
            "notify_email": True,
            "notify_in_app": True,
            "digest": "immediate",
            "idempotency_key": uuid.uuid4().hex,
        }
    return {
        "name": profile.name,
        "language": profile.language,
        "personas": profile.personas,
        "interests": profile.interests,
        "notify_email": profile.notify_email,
        "notify_sms": profile.notify_sms,
        "notify_in_app": profile.notify_in_app,
        "sms_phone": profile.sms_phone,
        "quiet_hours_start": profile.quiet_hours_start,
        "quiet_hours_end": profile.quiet_hours_end,
        "digest": profile.digest,
    }


def _profile_fields(form: ProfileForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("idempotency_key", None)
    return data


@login_required
def account_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/home.html",
        {
            "profiles": request.profiles,  # type: ignore[attr-defined]
            "deletion": queries.pending_deletion(request.user),
            "max_profiles": settings.MAX_PROFILES_PER_ACCOUNT,
        },
    )


@login_required
def profile_create(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, initial=_profile_initial())
    if request.method == "POST" and form.is_valid():
        try:
            profile, created = actions.create_profile(
                actor=request.user,  # type: ignore[arg-type]
                idempotency_key=form.cleaned_data.get("idempotency_key"),
                **_profile_fields(form),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if created:
                messages.success(request, _("Profile “%s” added.") % profile.name)
            return redirect("accounts:profile_edit", profile_id=profile.pk)
    status = 400 if form.errors else 200
    return render(request, "accounts/profile_form.html", {"form": form}, status=status)


@login_required
def profile_edit(request: HttpRequest, profile_id: int) -> HttpResponse:
    profile = queries.profile_for_owner(request.user, profile_id)
    form = ProfileForm(request.POST or None, initial=_profile_initial(profile))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_profile(
                actor=request.user,  # type: ignore[arg-type]
                profile=profile,
                **_profile_fields(form),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            response = redirect("accounts:profile_edit", profile_id=profile.pk)
            if profile.pk == getattr(request.profile, "pk", None):  # type: ignore[attr-defined]
                # The active profile's new language applies at once on this device.
                response.set_cookie("django_language", profile.language, samesite="Lax")
            return response
    address_form = AddressForm(auto_id="address_%s", initial={"idempotency_key": uuid.uuid4().hex})
    status = 400 if form.errors else 200
    return render(
        request,
        "accounts/profile_form.html",
        {"form": form, "profile": profile, "address_form": address_form},
        status=status,
    )


@login_required
@require_POST
def profile_delete(request: HttpRequest, profile_id: int) -> HttpResponse:
    profile = queries.profile_for_owner(request.user, profile_id)
    try:
        actions.delete_profile(actor=request.user, profile=profile)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Profile removed."))
    return redirect("accounts:home")


@login_required
@require_POST
def profile_switch(request: HttpRequest) -> HttpResponse:
    try:
        profile = queries.profile_for_owner(request.user, int(request.POST.get("profile", "")))
    except (ValueError, Http404):
        messages.error(request, _("Choose one of your household's profiles."))
        return redirect("accounts:home")
    request.session[SESSION_KEY] = profile.pk
    messages.success(request, _("You are now using %s's profile.") % profile.name)
    next_url = request.POST.get("next") or reverse("core:home")
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = reverse("core:home")
    response = redirect(next_url)
    response.set_cookie("django_language", profile.language, samesite="Lax")
    return response


@login_required
def address_add(request: HttpRequest, profile_id: int) -> HttpResponse:
    profile = queries.profile_for_owner(request.user, profile_id)
    form = AddressForm(request.POST or None, auto_id="address_%s")
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_saved_address(
                actor=request.user,  # type: ignore[arg-type]
                profile=profile,
                address_text=form.cleaned_data["address"],
                label=form.cleaned_data["label"],
                unit=form.cleaned_data["unit"],
                idempotency_key=form.cleaned_data.get("idempotency_key"),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Address saved."))
            return redirect("accounts:profile_edit", profile_id=profile.pk)
    suggestions = (
        suggest_addresses(request.POST.get("address", "")) if request.method == "POST" else []
    )
    return render(
        request,
        "accounts/address_form.html",
        {"form": form, "profile": profile, "suggestions": suggestions},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def address_remove(request: HttpRequest, profile_id: int, address_id: int) -> HttpResponse:
    profile = queries.profile_for_owner(request.user, profile_id)
    saved = get_object_or_404(SavedAddress, pk=address_id, profile=profile)
    actions.remove_saved_address(actor=request.user, saved=saved)  # type: ignore[arg-type]
    messages.success(request, _("Address removed."))
    return redirect("accounts:profile_edit", profile_id=profile.pk)


@require_GET
def address_suggestions(request: HttpRequest) -> HttpResponse:
    """htmx enhancement: options for the address field's datalist as the resident types."""
    return render(
        request,
        "accounts/_address_options.html",
        {"suggestions": suggest_addresses(request.GET.get("address", ""))},
    )


@login_required
def consent(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ConsentForm(request.POST)
        if form.is_valid():
            try:
                if form.cleaned_data["purpose"] == ConsentPurpose.PERSONALISATION:
                    # Off also deletes the history kept for suggestions, at once.
                    set_personalisation(
                        actor=request.user,  # type: ignore[arg-type]
                        granted=form.cleaned_data["granted"],
                    )
                else:
                    actions.set_consent(
                        actor=request.user,  # type: ignore[arg-type]
                        purpose=form.cleaned_data["purpose"],
                        granted=form.cleaned_data["granted"],
                    )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Your choice is saved."))
                return redirect("accounts:consent")
        else:
            messages.error(request, _("Choose yes or no."))
    return render(
        request, "accounts/consent.html", {"consents": queries.current_consents(request.user)}
    )


@login_required
@require_GET
def data_export(request: HttpRequest) -> HttpResponse:
    data = queries.export_personal_data(request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-city-hall-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/privacy.html",
        {
            "deletion": queries.pending_deletion(request.user),
            "access_history": queries.access_history(request.user)[:50],
            "grace_days": settings.ACCOUNT_DELETION_GRACE_DAYS,
        },
    )


@login_required
@require_POST
def deletion_request(request: HttpRequest) -> HttpResponse:
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm you want your account deleted."))
        return redirect("accounts:privacy")
    deletion = actions.request_deletion(actor=request.user)  # type: ignore[arg-type]
    messages.success(
        request,
        _("Your account will be deleted on %s. You can cancel until then.")
        % deletion.scheduled_for.date().isoformat(),
    )
    return redirect("accounts:privacy")


@login_required
@require_POST
def deletion_cancel(request: HttpRequest) -> HttpResponse:
    if actions.cancel_deletion(actor=request.user):  # type: ignore[arg-type]
        messages.success(request, _("Deletion cancelled. Your account stays."))
    return redirect("accounts:privacy")


@login_required
def phone(request: HttpRequest) -> HttpResponse:
    """Verify a mobile number by texting a code from it, so texted requests join the account."""
    form = PhoneForm(request.POST or None)
    started = None
    if request.method == "POST" and form.is_valid():
        try:
            number, code = actions.start_phone_verification(
                actor=request.user, phone=form.cleaned_data["phone"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            started = {"phone": number, "code": code}
    return render(
        request,
        "accounts/phone.html",
        {"form": form, "started": started, "city_number": settings.CITY_SMS_NUMBER},
        status=400 if form.errors else 200,
    )
