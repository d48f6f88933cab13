"""Staff must set up a second factor before they reach any staff page."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from cityhall.org.queries import has_mfa, roles_of

STAFF_PREFIXES = ("/staff/", "/admin/")


class StaffMFAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        request.staff_roles = roles_of(user)  # type: ignore[attr-defined]
        if (
            request.path.startswith(STAFF_PREFIXES)
            and request.staff_roles  # type: ignore[attr-defined]
            and not has_mfa(user)
        ):
            messages.warning(
                request,
                _("Staff accounts need two-step verification. Set it up to continue."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
