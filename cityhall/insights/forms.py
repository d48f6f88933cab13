"""The dashboard filters. Every value is checked here; a bad one is a field message and a 400."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityhall.core.forms import FastSelect

EARLIEST = dt.date(2000, 1, 1)
LONGEST_RANGE_DAYS = 5 * 366
MAP_MODES = [
    ("overdue", _("Open and overdue now")),
    ("open", _("Open now")),
    ("opened", _("Reported in the dates chosen")),
]


class DateInput(forms.DateInput):
    input_type = "date"


class InsightsFilterForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DateInput)
    end = forms.DateField(label=_("To"), required=False, widget=DateInput)
    department = forms.TypedChoiceField(
        label=_("Department"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    service_type = forms.TypedChoiceField(
        label=_("Type"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    neighbourhood = forms.TypedChoiceField(
        label=_("Neighbourhood"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )

    def __init__(self, *args: Any, choices: dict[str, list[tuple[Any, str]]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name, options in choices.items():
            self.fields[name].choices = [("", _("All")), *options]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        end = data.get("end") or today
        start = data.get("start") or (end - dt.timedelta(days=364))
        for name, value in (("start", start), ("end", end)):
            if name in self.errors:
                continue
            if value < EARLIEST or value > today + dt.timedelta(days=1):
                self.add_error(
                    name,
                    _("Choose a date between %(first)s and today.")
                    % {"first": EARLIEST.isoformat()},
                )
        if not self.errors and start > end:
            self.add_error("end", _("The end date must be on or after the start date."))
        if not self.errors and (end - start).days > LONGEST_RANGE_DAYS:
            self.add_error("start", _("Choose a range of five years or less."))
        data["start"], data["end"] = start, end
        return data


class MapForm(InsightsFilterForm):
    mode = forms.ChoiceField(
        label=_("Cases to show"), required=False, choices=MAP_MODES, initial="overdue"
    )
