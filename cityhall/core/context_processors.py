from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    """What every page needs: the city's name, the active profile and the profile switcher."""
    profile = getattr(request, "profile", None)
    profiles = getattr(request, "profiles", [])
    return {
        "CITY_NAME": settings.CITY_NAME,
        "active_profile": profile,
        "household_profiles": profiles,
        "is_staff_member": bool(getattr(request, "staff_roles", None)),
    }
