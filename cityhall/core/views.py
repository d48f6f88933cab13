from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    from cityhall.personalization.queries import suggestions_for

    profile = getattr(request, "profile", None)
    suggestions = suggestions_for(profile, limit=4) if profile is not None else None
    return render(request, "core/home.html", {"suggestions": suggestions, "next": request.path})


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers and `make demo`."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")
