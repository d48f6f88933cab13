"""The staff console's front door and resident look-up (each record opened is audited)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from cityhall.accounts import queries as account_queries
from cityhall.accounts.forms import StaffResidentSearchForm
from cityhall.assistant import queries as assistant_queries
from cityhall.cases import queries as case_queries
from cityhall.insights import queries as insight_queries
from cityhall.notifications import queries as notification_queries
from cityhall.org import queries
from cityhall.org.models import StaffMembership
from cityhall.sso import queries as sso_queries


def _require_staff(request: HttpRequest) -> None:
    if not queries.is_staff_member(request.user):
        raise Http404


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    memberships = StaffMembership.objects.filter(user=request.user.pk).select_related("department")
    return render(
        request,
        "org/staff_home.html",
        {
            "memberships": memberships,
            "can_view_residents": queries.can_view_resident_data(request.user),
            "can_read_audit": queries.can_read_audit(request.user),
            "is_city_admin": queries.is_city_admin(request.user),
            "works_cases": case_queries.works_cases(request.user),
            "can_compose": notification_queries.can_compose(request.user),
            "answers_residents": assistant_queries.can_answer_residents(request.user),
            "sees_insights": insight_queries.can_see_insights(request.user),
            "reads_assistant_figures": assistant_queries.can_read_insights(request.user),
        },
    )


@login_required
def resident_search(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    form = StaffResidentSearchForm(request.GET or None)
    results = []
    if form.is_valid():
        results = list(account_queries.residents_for_staff(request.user, form.cleaned_data["q"]))
    elif not queries.can_view_resident_data(request.user):
        raise Http404
    return render(
        request,
        "org/resident_search.html",
        {"form": form, "results": results},
        status=400 if form.errors else 200,
    )


@login_required
def resident_record(request: HttpRequest, resident_id: int) -> HttpResponse:
    _require_staff(request)
    view = account_queries.resident_record_for_staff(request.user, resident_id)
    profiles = (
        account_queries.profiles_for(view.resident).prefetch_related("addresses__address")
        if view.shares_details
        else []
    )
    single_view = sso_queries.single_view(view.resident) if view.shares_details else {}
    return render(
        request,
        "org/resident_record.html",
        {
            "resident": view.resident,
            "shares": view.shares_details,
            "profiles": profiles,
            **single_view,
        },
    )
