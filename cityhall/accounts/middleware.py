"""Attach the active household profile to each request and speak its language."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from cityhall.accounts.queries import profiles_for

SESSION_KEY = "active_profile_id"


class ActiveProfileMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.profile = None  # type: ignore[attr-defined]
        request.profiles = []  # type: ignore[attr-defined]
        if request.user.is_authenticated:
            profiles = list(profiles_for(request.user))
            request.profiles = profiles  # type: ignore[attr-defined]
            wanted = request.session.get(SESSION_KEY)
            active = next((p for p in profiles if p.pk == wanted), None)
            if active is None and profiles:
                active = profiles[0]
            request.profile = active  # type: ignore[attr-defined]
            # The profile's language applies unless the visitor picked one on this device.
            if active and not request.COOKIES.get("django_language"):
                translation.activate(active.language)
                request.LANGUAGE_CODE = active.language
        return self.get_response(request)
