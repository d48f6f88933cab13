from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def cell(value: Any) -> Any:
    """A table cell: — for no value, numbers with thousands separators."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return number_format(value, force_grouping=True)
    return value
