from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.models import Digest, Persona, Topic


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    personas = forms.MultipleChoiceField(
        label=_("Which of these describe this person?"),
        choices=Persona.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interests = forms.MultipleChoiceField(
        label=_("Topics to follow"),
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notify_email = forms.BooleanField(label=_("Email"), required=False)
    notify_sms = forms.BooleanField(label=_("Text message (SMS)"), required=False)
    notify_in_app = forms.BooleanField(label=_("In-app inbox"), required=False)
    sms_phone = forms.CharField(
        label=_("Mobile number for texts"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    quiet_hours_start = forms.TimeField(
        label=_("Quiet hours from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("No messages during these hours, except emergency alerts."),
    )
    quiet_hours_end = forms.TimeField(
        label=_("Quiet hours until"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    digest = forms.ChoiceField(
        label=_("How often"), choices=Digest.choices, widget=forms.RadioSelect
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class AddressForm(forms.Form):
    address = forms.CharField(
        label=_("Street address"),
        max_length=200,
        help_text=_("House number and street, for example 3016 Thorndale Ave."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address", "list": "address-options"}),
    )
    unit = forms.CharField(label=_("Apartment or unit (optional)"), max_length=20, required=False)
    label = forms.CharField(
        label=_("Label (optional)"),
        max_length=40,
        required=False,
        help_text=_("For example Home, Work or Mum's house."),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class ConsentForm(forms.Form):
    purpose = forms.CharField(widget=forms.HiddenInput)
    granted = forms.TypedChoiceField(
        choices=[("1", _("Yes")), ("0", _("No"))], coerce=lambda v: v == "1"
    )


class StaffResidentSearchForm(forms.Form):
    q = forms.CharField(label=_("Resident's email"), max_length=254, min_length=3)


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("With its area code, for example 410 555 0100."),
    )
