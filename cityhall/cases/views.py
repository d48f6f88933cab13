"""Reporting a problem on the web, its public timeline, and the resident's own list."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cityhall.cases import actions, queries
from cityhall.cases.forms import ReportForm
from cityhall.cases.models import Channel
from cityhall.catalog.models import ServiceType
from cityhall.core.forms import apply_errors


def report(request: HttpRequest, service_code: str) -> HttpResponse:
    service_type = ServiceType.objects.filter(code=service_code).first()
    if service_type is None:
        raise Http404
    form = ReportForm(request.POST or None, initial={"idempotency_key": uuid.uuid4().hex})
    if request.user.is_authenticated:
        form.fields.pop("contact_email")
    if request.method == "POST" and form.is_valid():
        try:
            case, created = actions.submit_case(
                actor=request.user,
                service_code=service_code,
                description=form.cleaned_data["description"],
                channel=Channel.WEB,
                address_text=form.cleaned_data["address"],
                contact_email=form.cleaned_data.get("contact_email", ""),
                idempotency_key=form.cleaned_data.get("idempotency_key"),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if created:
                messages.success(
                    request, _("Thank you. Your request number is %s.") % case.reference
                )
            return redirect("cases:detail", reference=case.reference)
    return render(
        request,
        "cases/report.html",
        {"form": form, "service_type": service_type},
        status=400 if form.errors else 200,
    )


def detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = queries.public_case(reference)
    return render(
        request,
        "cases/detail.html",
        {"case": case, "timeline": queries.public_timeline(case)},
    )


@login_required
def my_cases(request: HttpRequest) -> HttpResponse:
    return render(
        request, "cases/my_cases.html", {"cases": queries.cases_for_resident(request.user)}
    )
