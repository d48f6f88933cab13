"""Eligibility rules in the city admin site: staff edit them as data, audited like the rest."""

from django import forms

from cityhall.accounts.models import Persona
from cityhall.org.admin import AuditedAdmin, city_admin_site
from cityhall.personalization.models import EligibilityRule


class EligibilityRuleForm(forms.ModelForm):
    personas = forms.MultipleChoiceField(
        choices=Persona.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    household_personas = forms.MultipleChoiceField(
        choices=Persona.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = EligibilityRule
        fields = [
            "name",
            "service",
            "reason_en",
            "reason_es",
            "personas",
            "life_events",
            "household_personas",
            "is_active",
        ]


class EligibilityRuleAdmin(AuditedAdmin):
    form = EligibilityRuleForm
    list_display = ["name", "service", "is_active", "updated_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "reason_en"]
    raw_id_fields = ["service"]
    filter_horizontal = ["life_events"]


city_admin_site.register(EligibilityRule, EligibilityRuleAdmin)
