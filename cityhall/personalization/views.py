"""HTML pages: "For you" (suggestions, journeys, the personalisation switch), declaring a life
event, a journey with its progress. Every form works without JavaScript; htmx only swaps the
suggestion list in place after a dismissal."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cityhall.accounts.models import Profile
from cityhall.core.forms import apply_errors
from cityhall.personalization import actions, queries


class DismissForm(forms.Form):
    key = forms.CharField(max_length=140)
    next = forms.CharField(required=False, max_length=300)


class SwitchForm(forms.Form):
    granted = forms.TypedChoiceField(
        choices=[("1", gettext_lazy("On")), ("0", gettext_lazy("Off"))],
        coerce=lambda v: v == "1",
        label=gettext_lazy("Personal suggestions"),
    )


class LifeEventForm(forms.Form):
    life_event = forms.ChoiceField(
        label=gettext_lazy("What is happening?"), widget=forms.RadioSelect, choices=[]
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["life_event"].choices = [  # type: ignore[attr-defined]
            (e.slug, e.title) for e in queries.life_event_choices()
        ]
        self.fields["life_event"].error_messages["required"] = _(
            "Choose the life event you are going through."
        )


class StepForm(forms.Form):
    step = forms.IntegerField(min_value=1)
    done = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")


def _profile(request: HttpRequest) -> Profile:
    profile = getattr(request, "profile", None)
    if profile is None:
        raise Http404
    return profile


def _back(request: HttpRequest, wanted: str) -> str:
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("personalization:for_you")


@login_required
def for_you(request: HttpRequest) -> HttpResponse:
    profile = _profile(request)
    return render(
        request,
        "personalization/for_you.html",
        {
            "suggestions": queries.suggestions_for(profile, limit=8),
            "journeys": queries.journeys_for(profile),
            "next": request.path,
        },
    )


@login_required
@require_POST
def dismiss(request: HttpRequest) -> HttpResponse:
    profile = _profile(request)
    form = DismissForm(request.POST)
    back = _back(request, request.POST.get("next", ""))
    if form.is_valid():
        try:
            actions.dismiss_suggestion(
                actor=request.user,  # type: ignore[arg-type]
                profile=profile,
                key=form.cleaned_data["key"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(back) if not request.htmx else HttpResponse(status=422)  # type: ignore[attr-defined]
    else:
        messages.error(request, _("There is no such suggestion."))
        return redirect(back)
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "personalization/_suggestions.html",
            {
                "suggestions": queries.suggestions_for(
                    profile, limit=8 if back.startswith(reverse("personalization:for_you")) else 4
                ),
                "next": back,
                "announce": _("Suggestion dismissed."),
            },
        )
    messages.success(request, _("Suggestion dismissed. We won't suggest it again."))
    return redirect(back)


@login_required
@require_POST
def switch(request: HttpRequest) -> HttpResponse:
    form = SwitchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose on or off."))
        return redirect("personalization:for_you")
    granted = form.cleaned_data["granted"]
    deleted = actions.set_personalisation(actor=request.user, granted=granted)  # type: ignore[arg-type]
    if granted:
        messages.success(request, _("Personal suggestions are on."))
    else:
        messages.success(
            request,
            _(
                "Personal suggestions are off. We deleted the history we kept (%(count)s "
                "items) and will suggest from your profile, neighbourhood and the season only."
            )
            % {"count": deleted},
        )
    return redirect("personalization:for_you")


@login_required
def declare(request: HttpRequest) -> HttpResponse:
    profile = _profile(request)
    form = LifeEventForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.declare_life_event(
                actor=request.user,  # type: ignore[arg-type]
                profile=profile,
                life_event_slug=form.cleaned_data["life_event"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("personalization:journey", slug=form.cleaned_data["life_event"])
    return render(
        request,
        "personalization/declare.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
def journey(request: HttpRequest, slug: str) -> HttpResponse:
    profile = _profile(request)
    item = queries.journey_for(profile, slug)
    if item is None:
        raise Http404
    return render(request, "personalization/journey.html", {"journey": item})


@login_required
@require_POST
def journey_step(request: HttpRequest, slug: str) -> HttpResponse:
    profile = _profile(request)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That step is not part of this journey."))
        return redirect("personalization:journey", slug=slug)
    try:
        actions.mark_step(
            actor=request.user,  # type: ignore[arg-type]
            profile=profile,
            life_event_slug=slug,
            step_id=form.cleaned_data["step"],
            done=form.cleaned_data["done"],
        )
    except ValidationError as error:
        if "life_event" in getattr(error, "error_dict", {}):
            raise Http404 from None
        messages.error(request, " ".join(error.messages))
    return redirect("personalization:journey", slug=slug)


@login_required
@require_POST
def journey_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    profile = _profile(request)
    if actions.withdraw_life_event(actor=request.user, profile=profile, life_event_slug=slug):  # type: ignore[arg-type]
        messages.success(request, _("Removed from your journeys."))
    return redirect("personalization:for_you")
