from django import forms
from django.utils.translation import gettext_lazy as _


class ReportForm(forms.Form):
    description = forms.CharField(
        label=_("What's the problem?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few words are enough, for example “deep pothole in the bike lane”."),
    )
    address = forms.CharField(
        label=_("Where is it?"),
        max_length=200,
        help_text=_("House number and street, for example 3016 Thorndale Ave."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address", "list": "address-options"}),
    )
    contact_email = forms.EmailField(
        label=_("Email for updates (optional)"),
        required=False,
        help_text=_("We only use it to tell you about this request."),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
