"""Staff dashboards, maps and the equity view; the public scorecard. Views parse the filters,
call one query and format (HTML, or CSV for any panel)."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cityhall.insights import charts, queries
from cityhall.insights.forms import InsightsFilterForm, MapForm


def _filters(
    request: HttpRequest, form_class: type[InsightsFilterForm] = InsightsFilterForm
) -> tuple[Any, queries.Filters | None]:
    scope = queries.scope_for(request.user)
    form = form_class(request.GET or None, choices=queries.filter_choices(scope))
    if not form.is_bound:
        return form, queries.Filters.default()
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, queries.Filters(
        start=data["start"],
        end=data["end"],
        department=data["department"],
        service_type=data["service_type"],
        neighbourhood=data["neighbourhood"],
    )


def _csv(name: str, rows: Any) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response)
    for row in rows:
        writer.writerow([_safe_cell(v) for v in row])
    return response


def _safe_cell(value: Any) -> Any:
    """Spreadsheets run cells that start with = + - @ as formulas; search queries are typed by
    the public, so such text is quoted."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    if filters is None:
        return render(request, "insights/dashboard.html", {"form": form, "panels": []}, status=400)
    board = queries.dashboard(request.user, filters)
    return render(
        request,
        "insights/dashboard.html",
        {
            "form": form,
            "panels": [(p, charts.chart(p)) for p in board.panels],
            "refreshed_at": board.refreshed_at,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def panel_csv(request: HttpRequest, name: str) -> HttpResponse:
    form, filters = _filters(request)
    if filters is None:
        return HttpResponse(
            _errors_text(form), status=400, content_type="text/plain; charset=utf-8"
        )
    panel = queries.panel(request.user, name, filters)
    return _csv(f"{name}-{filters.start}-{filters.end}", queries.panel_rows_as_csv(panel))


def _errors_text(form: Any) -> str:
    return "\n".join(f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}"
                     for f, e in form.errors.items())  # fmt: skip


@login_required
def equity(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    if filters is None:
        if request.GET.get("format") == "csv":
            return HttpResponse(
                _errors_text(form), status=400, content_type="text/plain; charset=utf-8"
            )
        return render(request, "insights/equity.html", {"form": form}, status=400)
    panel = queries.equity(request.user, filters)
    if request.GET.get("format") == "csv":
        return _csv(f"equity-{filters.start}-{filters.end}", queries.panel_rows_as_csv(panel))
    return render(
        request,
        "insights/equity.html",
        {"form": form, "panel": panel, "query": request.GET.urlencode()},
    )


@login_required
def city_map(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request, MapForm)
    if filters is None:
        if request.GET.get("format") == "csv":
            return HttpResponse(
                _errors_text(form), status=400, content_type="text/plain; charset=utf-8"
            )
        return render(request, "insights/map.html", {"form": form}, status=400)
    mode = form.cleaned_data.get("mode") if form.is_bound else ""
    view = queries.map_view(request.user, filters, mode or "overdue")
    if request.GET.get("format") == "csv":
        return _csv(f"hotspots-{view.mode}", queries.panel_rows_as_csv(view.hotspot_panel))
    return render(
        request,
        "insights/map.html",
        {
            "form": form,
            "view": view,
            "hexmap": charts.hexmap(
                view.city, view.spots, str(view.hotspot_panel.title), view.spot_links, view.corners
            ),
            "choropleth": charts.choropleth(
                view.city, view.area_counts, str(view.area_panel.title), view.area_links
            ),
            "query": request.GET.urlencode(),
        },
    )


def scorecard(request: HttpRequest) -> HttpResponse:
    cards = queries.scorecards()
    if request.GET.get("format") == "csv":
        rows: list[list[Any]] = [["department", "opened_last_30_days", "closed_last_30_days",
                 "closed_in_time_pct_last_90_days", "median_days_to_close_last_90_days",
                 "open_now", "overdue_now"]]  # fmt: skip
        rows += [[c.department, c.opened_30, c.closed_30, c.met_pct_90, c.median_days_90,
                  c.open_now, c.overdue_now] for c in cards]  # fmt: skip
        return _csv("scorecard", [["" if v is None else v for v in r] for r in rows])
    return render(
        request,
        "insights/scorecard.html",
        {"cards": [(c, charts.chart(c.trend)) for c in cards]},
    )
