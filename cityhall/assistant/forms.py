from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ChatForm(forms.Form):
    text = forms.CharField(
        label=_("Your message"),
        max_length=20_000,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    # Checked (a real JPEG, PNG or WebP within size) when the request is filed.
    photo = forms.FileField(label=_("Photo (optional)"), required=False)
    client_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean() or {}
        if not (data.get("text") or "").strip() and not data.get("photo"):
            self.add_error("text", _("Type a message."))
        return data


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your reply"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    close = forms.BooleanField(label=_("Close the conversation after this reply"), required=False)


class ArticleFromQuestionForm(forms.Form):
    title_en = forms.CharField(label=_("Title in English"), max_length=200)
    title_es = forms.CharField(label=_("Title in Spanish"), max_length=200)
    slug = forms.SlugField(label=_("Web address (short name)"), max_length=120)
