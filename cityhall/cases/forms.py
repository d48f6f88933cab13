from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityhall.cases.actions import STAFF_STATUSES
from cityhall.cases.models import CaseStatus
from cityhall.core.forms import FastSelect


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several files in one input; the action checks each is a real photo."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        return list(data) if isinstance(data, list | tuple) else [data]


class ReportForm(forms.Form):
    description = forms.CharField(
        label=_("What's the problem?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "A few words are enough, for example “deep pothole in the bike lane”. It is "
            "published with the request as open data, so leave out names and personal details."
        ),
    )
    address = forms.CharField(
        label=_("Where is it?"),
        max_length=200,
        required=False,
        help_text=_(
            "House number and street, for example 3016 Thorndale Ave. Or drop a pin on the map, "
            "or use your location."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "street-address", "list": "address-options"}),
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, widget=forms.HiddenInput)
    photos = PhotosField(
        label=_("Photos (optional)"),
        required=False,
        help_text=_("Up to 3 photos, JPEG, PNG or WebP, 5 MB each."),
    )
    contact_email = forms.EmailField(
        label=_("Email for updates (optional)"),
        required=False,
        max_length=254,
        help_text=_("We only use it to tell you about this request."),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, questions: list[dict[str, Any]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        from cityhall.catalog.models import _lang

        lang = _lang()
        self.question_codes: list[str] = []
        for question in questions or []:
            code = f"q_{question.get('code', '')}"
            label = question.get(f"label_{lang}") or question.get("label_en") or code
            choices = question.get("choices") or []
            if choices:
                field: forms.Field = forms.ChoiceField(
                    label=label,
                    required=bool(question.get("required")),
                    choices=[("", "—")]
                    + [(c["key"], c.get(f"name_{lang}") or c.get("name_en", "")) for c in choices],
                )
            else:
                field = forms.CharField(
                    label=label, required=bool(question.get("required")), max_length=200
                )
            self.fields[code] = field
            self.question_codes.append(code)
        # Questions come right after the description.
        order = ["description", *self.question_codes]
        self.order_fields(order)

    def answers(self) -> dict[str, str]:
        return {
            code[2:]: str(self.cleaned_data[code])
            for code in self.question_codes
            if self.cleaned_data.get(code)
        }


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("What is still wrong?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RateForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How happy are you with how we handled this?"),
        coerce=int,
        widget=forms.RadioSelect,
        choices=[
            (5, _("Very happy")),
            (4, _("Happy")),
            (3, _("Neither happy nor unhappy")),
            (2, _("Unhappy")),
            (1, _("Very unhappy")),
        ],
    )


# --- Staff -----------------------------------------------------------------------------------

STATUS_FILTER_CHOICES = [("open", _("Open")), ("all", _("All")), *CaseStatus.choices]
ASSIGNEE_CHOICES = [("", _("Anyone")), ("me", _("Me")), ("none", _("Nobody"))]


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Request number"), required=False, max_length=20)
    department = forms.TypedChoiceField(
        label=_("Department"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    team = forms.TypedChoiceField(
        label=_("Team"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_FILTER_CHOICES)
    service_type = forms.TypedChoiceField(
        label=_("Type"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    neighbourhood = forms.TypedChoiceField(
        label=_("Neighbourhood"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False, choices=ASSIGNEE_CHOICES)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    # A map area (a hot spot on the insights map links here): "south,west,north,east".
    box = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    def __init__(self, *args: Any, choices: dict[str, list[tuple[Any, str]]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name, options in choices.items():
            self.fields[name].choices = [("", _("All"))] + options  # type: ignore[attr-defined]

    def clean_box(self) -> tuple[float, float, float, float] | None:
        text = self.cleaned_data.get("box") or ""
        if not text:
            return None
        try:
            south, west, north, east = (float(v) for v in text.split(","))
        except ValueError:
            south = west = north = east = float("nan")
        if not (-90 <= south <= north <= 90 and -180 <= west <= east <= 180):
            message = _("The map area is not valid; open the hot spot from the map again.")
            self.add_error(None, message)
            raise forms.ValidationError(message)
        return south, west, north, east


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[(s.value, s.label) for s in STAFF_STATUSES],
    )
    public_note = forms.CharField(
        label=_("Public update (the resident sees this)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    template = forms.TypedChoiceField(
        label=_("Or send a ready-made reply"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Used when the public update is empty; sent in the resident's language."),
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note (staff only)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(
        label=_("Assign to"), coerce=int, empty_value=None, required=False
    )


class TransferForm(forms.Form):
    department = forms.TypedChoiceField(
        label=_("Send to department"), coerce=int, widget=FastSelect
    )
    reason = forms.CharField(label=_("Why (internal)"), required=False, max_length=1000)


class MergeForm(forms.Form):
    into = forms.CharField(
        label=_("Merge into request number"),
        max_length=20,
        help_text=_("This request closes and its followers follow the other one."),
    )


class BulkForm(forms.Form):
    action = forms.ChoiceField(
        label=_("With the selected cases"),
        choices=[
            ("assign_me", _("Assign to me")),
            *[(s.value, s.label) for s in STAFF_STATUSES],
        ],
    )
    public_note = forms.CharField(label=_("Public update"), required=False, max_length=1000)
    cases = forms.CharField(required=False)


class SaveViewForm(forms.Form):
    name = forms.CharField(label=_("Save these filters as"), max_length=80)
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)


class CallerLookupForm(forms.Form):
    caller = forms.CharField(
        label=_("Caller's email or phone"),
        max_length=120,
        required=False,
        help_text=_("Finds their account and previous requests. Every look-up is recorded."),
    )


class PhoneIntakeForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How it came in"),
        choices=[("phone", _("A phone call")), ("internal", _("Found by city staff"))],
        initial="phone",
        widget=forms.RadioSelect,
    )
    service_code = forms.ChoiceField(label=_("What is the caller reporting?"), widget=FastSelect)
    description = forms.CharField(
        label=_("Description"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    address = forms.CharField(
        label=_("Where"), max_length=200, widget=forms.TextInput(attrs={"list": "address-options"})
    )
    contact_name = forms.CharField(label=_("Caller's name"), required=False, max_length=120)
    contact_email = forms.EmailField(label=_("Caller's email"), required=False, max_length=254)
    contact_phone = forms.CharField(label=_("Caller's phone"), required=False, max_length=20)
    caller = forms.IntegerField(required=False, widget=forms.HiddenInput)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
