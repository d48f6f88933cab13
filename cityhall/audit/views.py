from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from cityhall.audit.models import AuditKind
from cityhall.audit.queries import search_audit


class AuditSearchForm(forms.Form):
    actor = forms.CharField(label=_("Staff member"), required=False, max_length=254)
    subject = forms.CharField(label=_("Resident (email or id)"), required=False, max_length=254)
    action = forms.CharField(label=_("Action"), required=False, max_length=64)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Reads and writes")), *AuditKind.choices]
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


@login_required
def audit_search(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = search_audit(request.user, **filters)
    page = Paginator(events.select_related("subject"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/search.html",
        {"form": form, "page": page},
        status=400 if form.errors else 200,
    )
