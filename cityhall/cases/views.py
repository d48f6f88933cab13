"""Reporting a problem and following it (residents), and working cases (staff console)."""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.models import User
from cityhall.cases import actions, queries
from cityhall.cases.forms import (
    AssignForm,
    BulkForm,
    CallerLookupForm,
    MergeForm,
    NoteForm,
    PhoneIntakeForm,
    QueueFilterForm,
    RateForm,
    ReopenForm,
    ReportForm,
    SaveViewForm,
    StatusForm,
    TransferForm,
)
from cityhall.cases.models import CasePhoto, Channel
from cityhall.catalog.models import ServiceType
from cityhall.core.forms import apply_errors
from cityhall.org.models import Department, Team
from cityhall.places.models import Neighbourhood
from cityhall.places.queries import city_map, find_address, map_point

# --- Residents -------------------------------------------------------------------------------


def _map_context(form: ReportForm) -> dict[str, Any]:
    pin = None
    if form.is_bound and form.is_valid() and form.cleaned_data.get("lat") is not None:
        pin = map_point(form.cleaned_data["lat"], form.cleaned_data["lng"])
    return {"city_map": city_map(), "pin": pin}


def report(request: HttpRequest, service_code: str) -> HttpResponse:
    service_type = (
        ServiceType.objects.select_related("department").filter(code=service_code).first()
    )
    if service_type is None:
        raise Http404
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        initial={"idempotency_key": uuid.uuid4().hex},
        questions=service_type.report_questions,
    )
    if request.user.is_authenticated:
        form.fields.pop("contact_email")
    nearby: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            case, created = actions.submit_case(
                actor=request.user,
                service_code=service_code,
                description=form.cleaned_data["description"],
                channel=Channel.WEB,
                address_text=form.cleaned_data["address"],
                lat=form.cleaned_data.get("lat"),
                lng=form.cleaned_data.get("lng"),
                contact_email=form.cleaned_data.get("contact_email", ""),
                answers=form.answers(),
                photos=form.cleaned_data.get("photos") or [],
                idempotency_key=form.cleaned_data.get("idempotency_key"),
                idempotency_scope=str(request.user.pk or ""),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if created:
                messages.success(
                    request, _("Thank you. Your request number is %s.") % case.reference
                )
            return redirect("cases:detail", reference=case.reference)
    if form.is_bound:
        nearby = _nearby_for(service_type, form.data.get("address", ""), form.data)
    return render(
        request,
        "cases/report.html",
        {"form": form, "service_type": service_type, "nearby": nearby, **_map_context(form)},
        status=400 if form.errors else 200,
    )


def _nearby_for(service_type: ServiceType, address_text: str, data: Any) -> list[Any]:
    lat = lng = None
    address = find_address(address_text) if address_text else None
    if address:
        lat, lng = address.lat, address.lng
    else:
        try:
            lat, lng = float(data.get("lat", "")), float(data.get("lng", ""))
        except (TypeError, ValueError):
            return []
        if not (
            math.isfinite(lat) and math.isfinite(lng) and -90 <= lat <= 90 and -180 <= lng <= 180
        ):
            return []
    return queries.nearby_open_cases(service_type.pk, lat, lng)


def nearby(request: HttpRequest, service_code: str) -> HttpResponse:
    """htmx: open cases of this type near the address or pin being entered."""
    service_type = get_object_or_404(ServiceType, code=service_code)
    cases = _nearby_for(service_type, request.GET.get("address", "")[:200], request.GET)
    return render(request, "cases/_nearby.html", {"nearby": cases})


def detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _detail_page(request, queries.public_case(reference))


def _detail_page(
    request: HttpRequest, case: Any, *, status: int = 200, **bound_forms: Any
) -> HttpResponse:
    """The public case page; a form that failed is shown again with its messages."""
    user = request.user
    context = {
        "case": case,
        "timeline": queries.public_timeline(case),
        "photos": case.photos.all(),
        "expectation": queries.expected_resolution(case),
        "following": queries.is_following(user, case),
        "reopen_form": ReopenForm() if queries.can_reopen(user, case) else None,
        "rate_form": RateForm() if queries.can_rate(user, case) else None,
    }
    return render(request, "cases/detail.html", context | bound_forms, status=status)


def photo(request: HttpRequest, reference: str, token: str) -> FileResponse:
    item = get_object_or_404(CasePhoto, case__reference=reference, token=token)
    response = FileResponse(item.image.open("rb"), content_type=item.content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_POST
@login_required
def follow(request: HttpRequest, reference: str) -> HttpResponse:
    case = queries.public_case(reference)
    if request.POST.get("follow") == "0":
        actions.unfollow_case(actor=request.user, case=case)
        messages.success(request, _("You stopped following this request."))
    else:
        actions.follow_case(actor=request.user, case=case)
        messages.success(request, _("You are following this request."))
    return redirect("cases:detail", reference=reference)


def _resident_case_form(
    request: HttpRequest,
    reference: str,
    form_class: type[forms.Form],
    form_name: str,
    act: Callable[[Any, dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    case = queries.public_case(reference)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(case, form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("cases:detail", reference=reference)
    return _detail_page(request, case, status=400, **{form_name: form})


@require_POST
@login_required
def reopen(request: HttpRequest, reference: str) -> HttpResponse:
    return _resident_case_form(
        request,
        reference,
        ReopenForm,
        "reopen_form",
        lambda case, data: actions.reopen_case(
            actor=request.user, case=case, reason=data["reason"]
        ),
        _("We reopened your request and sent it back to the team."),
    )


@require_POST
@login_required
def rate(request: HttpRequest, reference: str) -> HttpResponse:
    return _resident_case_form(
        request,
        reference,
        RateForm,
        "rate_form",
        lambda case, data: actions.rate_case(actor=request.user, case=case, score=data["score"]),
        _("Thank you for telling us."),
    )


@login_required
def my_cases(request: HttpRequest) -> HttpResponse:
    return render(
        request, "cases/my_cases.html", {"cases": queries.cases_for_resident(request.user)}
    )


# --- Staff console ---------------------------------------------------------------------------


def _require_case_worker(request: HttpRequest) -> None:
    if not queries.works_cases(request.user):
        raise Http404


def _filter_choices(user: Any) -> dict[str, list[tuple[Any, str]]]:
    """Options for the queue filters. Hundreds of types and neighbourhoods that change rarely:
    read as plain rows and cached for a few minutes per department set and language."""
    department_ids = queries.workable_department_ids(user)
    spanish = translation.get_language() == "es"
    key = f"queue-choices:{int(spanish)}:{department_ids}"

    def build() -> dict[str, list[tuple[Any, str]]]:
        departments = Department.objects.filter(is_active=True)
        if department_ids is not None:
            departments = departments.filter(pk__in=department_ids)
        name = "name_es" if spanish else "name_en"
        return {
            "department": list(departments.values_list("pk", name)),
            "team": list(Team.objects.filter(department__in=departments).values_list("pk", "name")),
            "service_type": list(
                ServiceType.objects.filter(department__in=departments)
                .order_by(name)
                .values_list("pk", name)
            ),
            "neighbourhood": list(Neighbourhood.objects.values_list("pk", "name")),
        }

    choices = cache.get_or_set(key, build, 300)
    return choices if choices is not None else build()


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _require_case_worker(request)
    form = QueueFilterForm(request.GET or None, choices=_filter_choices(request.user))
    filters = queries.QueueFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = queries.QueueFilters(
            department=data["department"],
            team=data["team"],
            status=data["status"] or "open",
            service_type=data["service_type"],
            neighbourhood=data["neighbourhood"],
            assignee=data["assignee"],
            overdue=data["overdue"],
            q=data["q"],
            box=data["box"],
        )
    try:
        page_number = int(request.GET.get("page", "1"))
    except ValueError:
        page_number = 1
    now = timezone.now()
    page = queries.queue(request.user, filters, page=page_number, now=now)
    rows = [(case, queries.sla_state(case, now)) for case in page.cases]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/staff/queue.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "bulk_form": BulkForm(),
            "save_form": SaveViewForm(initial={"query": query.urlencode()}),
            "saved_views": queries.saved_views(request.user),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def bulk(request: HttpRequest) -> HttpResponse:
    _require_case_worker(request)
    form = BulkForm(request.POST)
    references = request.POST.getlist("selected")
    if form.is_valid():
        cases = [queries.case_for_staff(request.user, ref) for ref in references[:200]]
        try:
            count = actions.bulk_update(
                actor=request.user,
                cases=cases,
                action=form.cleaned_data["action"],
                public_note=form.cleaned_data["public_note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Updated %(n)d cases.") % {"n": count})
    else:
        messages.error(request, _("Choose what to do with the selected cases."))
    back = request.POST.get("query", "")[:500]
    return redirect(reverse("cases:queue") + (f"?{back}" if back else ""))


@require_POST
@login_required
def save_view(request: HttpRequest) -> HttpResponse:
    _require_case_worker(request)
    form = SaveViewForm(request.POST)
    if form.is_valid():
        actions.save_view(
            actor=request.user, name=form.cleaned_data["name"], query=form.cleaned_data["query"]
        )
        messages.success(request, _("View saved."))
    else:
        messages.error(request, _("Give the view a name."))
    return redirect("cases:queue")


@require_POST
@login_required
def delete_view(request: HttpRequest, view_id: int) -> HttpResponse:
    _require_case_worker(request)
    actions.delete_view(actor=request.user, view_id=view_id)
    return redirect("cases:queue")


STAFF_FORMS = {
    "status": StatusForm,
    "note": NoteForm,
    "assign": AssignForm,
    "transfer": TransferForm,
    "merge": MergeForm,
}


def _staff_form(op: str, case: Any, data: Any = None) -> Any:
    form = STAFF_FORMS[op](data)
    if op == "status":
        form.fields["template"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (t.pk, t.title) for t in queries.response_templates(case)
        ]
    elif op == "assign":
        form.fields["assignee"].choices = [("", _("Nobody"))] + [  # type: ignore[attr-defined]
            (u.pk, u.email) for u in queries.colleagues(case)
        ]
    elif op == "transfer":
        form.fields["department"].choices = [  # type: ignore[attr-defined]
            (d.pk, d.name) for d in Department.objects.filter(is_active=True)
        ]
    return form


@login_required
def staff_case(request: HttpRequest, reference: str) -> HttpResponse:
    _require_case_worker(request)
    case = queries.case_for_staff(request.user, reference)
    bound: dict[str, Any] = {}
    if request.method == "POST":
        op = request.POST.get("op", "")
        if op not in STAFF_FORMS:
            raise Http404
        form = _staff_form(op, case, request.POST)
        bound[op] = form
        # A double click or a resent form carries the same one-time token: do it once.
        once = request.POST.get("once", "")[:64]
        once_key = f"staff-once:{request.user.pk}:{once}"
        if once and form.is_valid() and not cache.add(once_key, True, 86400):
            messages.info(request, _("That was already saved."))
            return redirect("cases:staff_case", reference=reference)
        if form.is_valid():
            try:
                where_next = _apply(request, case, op, form.cleaned_data)
            except ValidationError as error:
                cache.delete(once_key)
                apply_errors(form, error)
            except PermissionDenied:
                raise Http404 from None
            else:
                if where_next == "queue":
                    return redirect("cases:queue")
                return redirect("cases:staff_case", reference=reference)
    contact = queries.contact_for_staff(request.user, case)
    return render(
        request,
        "cases/staff/case.html",
        {
            "case": case,
            "timeline": queries.staff_timeline(case),
            "photos": case.photos.all(),
            "contact": contact,
            "sla": queries.sla_state(case, timezone.now()),
            "templates": queries.response_templates(case),
            "can_supervise": queries.can_supervise_case(request.user, case),
            "once": uuid.uuid4().hex,
            **{op: bound.get(op) or _staff_form(op, case) for op in STAFF_FORMS},
        },
        status=400 if any(f.errors for f in bound.values()) else 200,
    )


def _apply(request: HttpRequest, case: Any, op: str, data: dict[str, Any]) -> str | None:
    """Do what the form asks; returns "queue" when the case leaves this person's view."""
    user = request.user
    if op == "status":
        template = (
            queries.response_templates(case).filter(pk=data["template"]).first()
            if data.get("template")
            else None
        )
        actions.update_status(
            actor=user,
            case=case,
            status=data["status"],
            public_note=data["public_note"],
            template=template,
        )
        messages.success(request, _("Status updated."))
    elif op == "note":
        actions.add_internal_note(actor=user, case=case, text=data["text"])
        messages.success(request, _("Note added."))
    elif op == "assign":
        assignee = User.objects.filter(pk=data["assignee"]).first() if data["assignee"] else None
        actions.assign_case(actor=user, case=case, assignee=assignee)
        messages.success(request, _("Assignment updated."))
    elif op == "transfer":
        department = get_object_or_404(Department, pk=data["department"])
        actions.transfer_case(actor=user, case=case, department=department, reason=data["reason"])
        messages.success(request, _("Sent to %(d)s.") % {"d": department.name})
        return "queue"
    elif op == "merge":
        try:
            into = queries.case_for_staff(user, data["into"].strip())
        except Http404:
            raise ValidationError(
                {"into": [_("No request with that number in the queues you work.")]}
            ) from None
        actions.merge_cases(actor=user, duplicate=case, into=into)
        messages.success(request, _("Merged into %(ref)s.") % {"ref": into.reference})
    return None


@login_required
def phone_intake(request: HttpRequest) -> HttpResponse:
    """A 311 agent files for a caller, seeing the caller's earlier requests first."""
    _require_case_worker(request)
    lookup = CallerLookupForm(request.GET or None)
    caller = previous = None
    if lookup.is_valid() and lookup.cleaned_data["caller"]:
        caller = queries.find_caller(request.user, lookup.cleaned_data["caller"])
        if caller is not None:
            previous = queries.cases_for_resident(caller)[:10]
    form = PhoneIntakeForm(
        request.POST or None,
        initial={
            "idempotency_key": uuid.uuid4().hex,
            "caller": caller.pk if caller else None,
            "contact_email": caller.email if caller else "",
        },
    )
    form.fields["service_code"].choices = [  # type: ignore[attr-defined]
        (t.code, t.name) for t in ServiceType.objects.only("code", "name_en", "name_es")
    ]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        on_behalf = queries.caller_for_staff(request.user, data["caller"])
        try:
            case, _created = actions.submit_case(
                actor=request.user,
                on_behalf_of=on_behalf,
                service_code=data["service_code"],
                description=data["description"],
                channel=Channel.INTERNAL if data["channel"] == "internal" else Channel.PHONE,
                address_text=data["address"],
                contact_email=data["contact_email"],
                contact_phone=data["contact_phone"],
                contact_name=data["contact_name"],
                idempotency_key=data["idempotency_key"],
                idempotency_scope=str(request.user.pk),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Filed %(ref)s. Read the number to the caller.") % {"ref": case.reference},
            )
            return redirect("cases:staff_case", reference=case.reference)
    return render(
        request,
        "cases/staff/phone_intake.html",
        {"lookup": lookup, "form": form, "caller": caller, "previous": previous},
        status=400 if form.errors else 200,
    )
