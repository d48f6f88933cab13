"""The public JSON API (/api/v1/). Routers live in each app's api.py."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import SessionAuth


class SignedInSession(SessionAuth):
    """The browser session. Someone not signed in is told so (401) before any CSRF check, so
    an app calling without a session gets the answer that helps it; signed-in writes still
    need the CSRF token."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


api = NinjaAPI(
    title="Virtual City Hall API",
    version="1.0.0",
    description=(
        "JSON API for residents' apps and partners. Errors are JSON: "
        '`{"detail": "...", "errors": {"field": ["message"]}}`.'
    ),
    urls_namespace="api",
    auth=SignedInSession(),
)


def _field_errors(error: NinjaValidationError) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for item in error.errors:
        loc = [str(part) for part in item.get("loc", []) if part not in ("body", "payload")]
        name = ".".join(loc[-1:]) if loc else "__all__"
        fields.setdefault(name or "__all__", []).append(str(item.get("msg", "Invalid value")))
    return fields


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": "The request has invalid fields.", "errors": _field_errors(exc)},
        status=422,
    )


@api.exception_handler(DjangoValidationError)
def on_domain_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    errors = (
        {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
        if hasattr(exc, "error_dict")
        else {"__all__": [str(m) for m in exc.messages]}
    )
    return api.create_response(
        request, {"detail": "The request could not be completed.", "errors": errors}, status=422
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "Sign in to use this endpoint."}, status=401)


def register_routers() -> None:
    from cityhall.accounts.api import router as accounts_router
    from cityhall.assistant.api import router as assistant_router
    from cityhall.cases.api import router as cases_router
    from cityhall.catalog.api import router as catalog_router
    from cityhall.insights.api import router as insights_router
    from cityhall.notifications.api import router as notifications_router
    from cityhall.personalization.api import router as personalization_router
    from cityhall.places.api import router as places_router
    from cityhall.search.api import router as search_router

    api.add_router("/me/notifications", notifications_router)
    api.add_router("/me/suggestions", personalization_router)
    api.add_router("/assistant", assistant_router)
    api.add_router("/insights", insights_router)
    api.add_router("/me", accounts_router)
    api.add_router("/search", search_router)
    api.add_router("", catalog_router)
    api.add_router("/places", places_router)
    api.add_router("/cases", cases_router)


register_routers()
