from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.models import Persona, Topic
from cityhall.notifications.models import Campaign, Channel


class KindPreferenceForm(forms.Form):
    email = forms.BooleanField(label=_("Email"), required=False)
    sms = forms.BooleanField(label=_("Text message (SMS)"), required=False)
    inbox = forms.BooleanField(label=_("In-app inbox"), required=False)


class TemplateForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 8}))


class PolygonField(forms.CharField):
    """An area as lines of "latitude, longitude" (the map fills it in with JavaScript;
    without it, staff paste or type the points)."""

    def to_python(self, value: Any) -> Any:
        text = (value or "").strip()
        if not text:
            return []
        if text.startswith("["):
            try:
                points = json.loads(text)
            except ValueError:
                raise forms.ValidationError(
                    _("Write one point per line: latitude, longitude.")
                ) from None
        else:
            points = []
            for line in text.splitlines():
                if not line.strip():
                    continue
                try:
                    lat, lng = (float(part) for part in line.replace(";", ",").split(","))
                except ValueError:
                    raise forms.ValidationError(
                        _("Write one point per line: latitude, longitude.")
                    ) from None
                points.append([lat, lng])
        return points

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, list):
            return "\n".join(f"{lat}, {lng}" for lat, lng in value)
        return str(value or "")


class CampaignForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(
        label=_("Channels"), choices=Channel.choices, widget=forms.CheckboxSelectMultiple
    )
    topic = forms.ChoiceField(
        label=_("Topic (residents can unsubscribe from it)"),
        choices=[("", _("— none (emergency alerts only) —"))] + list(Topic.choices),
        required=False,
    )
    neighbourhoods = forms.MultipleChoiceField(
        label=_("Neighbourhoods"), required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    polygon = PolygonField(
        label=_("Or an area (one “latitude, longitude” per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    topics = forms.MultipleChoiceField(
        label=_("People who follow these topics"), choices=Topic.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    personas = forms.MultipleChoiceField(
        label=_("People who describe themselves as"), choices=Persona.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    service_codes = forms.CharField(
        label=_("People whose household asked for these services (codes, comma-separated)"),
        required=False,
    )

    class Meta:
        model = Campaign
        fields = [
            "title", "is_emergency", "topic", "channels", "subject_en", "body_en", "sms_en",
            "subject_es", "body_es", "sms_es", "neighbourhoods", "polygon", "center_lat",
            "center_lng", "radius_m", "topics", "personas", "service_codes",
        ]  # fmt: skip
        labels = {
            "center_lat": _("Or around a point: latitude"),
            "center_lng": _("longitude"),
            "radius_m": _("radius in metres"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from cityhall.places.models import Neighbourhood

        self.fields["neighbourhoods"].choices = list(  # type: ignore[attr-defined]
            Neighbourhood.objects.order_by("name").values_list("pk", "name")
        )
        if self.instance and self.instance.pk:
            self.initial["neighbourhoods"] = [str(n) for n in self.instance.neighbourhoods]
            self.initial["service_codes"] = ", ".join(self.instance.service_codes)

    def clean_service_codes(self) -> list[str]:
        text = self.cleaned_data.get("service_codes") or ""
        return [code.strip() for code in text.split(",") if code.strip()]
