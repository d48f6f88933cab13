from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Put an action's field-keyed ValidationError onto the form the resident is looking at."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        target = field if field in form.fields else None
        for item in errors:
            form.add_error(target, item)


class FastSelect(forms.Select):
    """A <select> rendered in Python rather than one template per option: the same HTML
    for long lists (hundreds of request types or neighbourhoods) at a fraction of the cost."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        selected = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) in selected else "", label)
                for key, label in self.choices
                if not isinstance(label, list | tuple)
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)
