"""Dashboards, maps, equity and the scorecard over HTTP: who may see what, bad filters, CSV."""

import csv
import io

import pytest
from django.test import Client

from cityhall.insights import actions
from cityhall.testing import PASSWORD

STAFF_PAGES = [
    "/staff/insights/",
    "/staff/insights/map/",
    "/staff/insights/equity/",
    "/staff/insights/panels/volume.csv",
]


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        assert client.login(email=user.email, password=PASSWORD)
    return client


@pytest.fixture
def built(cases):
    actions.rebuild_rollups()
    return cases


@pytest.mark.parametrize("path", STAFF_PAGES)
@pytest.mark.parametrize(
    "who,expected",
    [
        ("anonymous", 302),
        ("resident", 404),
        ("other_department", 200),
        ("caseworker", 200),
        ("supervisor", 200),
        ("auditor", 200),
        ("admin", 200),
    ],
)
def test_staff_pages_authorization_matrix(built, people, who, expected, path):
    response = client_for(people.get(who)).get(path)
    assert response.status_code == expected
    if expected == 302:
        assert "/accounts/login/" in response["Location"]


def totals(response) -> dict[str, int]:
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    return {r[0]: int(r[1]) for r in rows[1:]}


def test_department_staff_see_only_their_department(built, people, city):
    url = "/staff/insights/panels/departments.csv?start=2026-01-01"
    own = totals(client_for(people["supervisor"]).get(url))
    assert own == {"Transportation": 3}
    other = totals(client_for(people["other_department"]).get(url))
    assert other == {"Parks": 3}
    everything = totals(client_for(people["auditor"]).get(url))
    assert everything == {"Transportation": 3, "Parks": 3}


def test_asking_for_another_departments_figures_finds_nothing(built, people, city):
    parks = city["parks"].pk
    response = client_for(people["supervisor"]).get(f"/staff/insights/?department={parks}")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    csv_response = client_for(people["supervisor"]).get(
        f"/staff/insights/panels/volume.csv?department={parks}"
    )
    assert csv_response.status_code == 400


@pytest.mark.parametrize(
    "query,message",
    [
        ("start=yesterday", "Enter a valid date."),
        ("start=1990-01-01", "Choose a date between 2000-01-01 and today."),
        ("start=2026-05-01&end=2026-04-01", "The end date must be on or after the start date."),
        ("start=2010-01-01&end=2026-01-01", "Choose a range of five years or less."),
        ("service_type=abc", "Select a valid choice."),
        ("neighbourhood=999999", "Select a valid choice."),
        ("end=3000-01-01", "Choose a date between 2000-01-01 and today."),
    ],
)
def test_bad_filters_get_a_clear_message(built, people, query, message):
    client = client_for(people["admin"])
    for path in ("/staff/insights/", "/staff/insights/map/", "/staff/insights/equity/"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400, path
        assert message in response.content.decode(), path
    response = client.get(f"/staff/insights/panels/volume.csv?{query}")
    assert response.status_code == 400 and message in response.content.decode()


def test_unknown_panel_is_not_found(built, people):
    assert client_for(people["admin"]).get("/staff/insights/panels/nope.csv").status_code == 404


def test_dashboard_shows_charts_with_tables_and_csv_links(built, people):
    page = client_for(people["admin"]).get("/staff/insights/").content.decode()
    assert page.count('role="img"') >= 10
    assert page.count("<table") >= 14
    assert "/staff/insights/panels/time_to_close.csv" in page
    assert "No assistant data yet." in page


def test_assistant_deflection_comes_from_its_daily_counters(built, people):
    from django.utils import timezone

    from cityhall.assistant.models import DailyStat

    DailyStat.objects.create(day=timezone.localdate(), channel="web", conversations=8, handed_off=2)
    response = client_for(people["admin"]).get("/staff/insights/panels/assistant.csv")
    assert response.status_code == 200
    body = response.content.decode()
    assert ",8,6" in body.replace("\r", "")
    page = client_for(people["admin"]).get("/staff/insights/").content.decode()
    assert "75.0% of 8 conversations needed no staff." in page


def test_channel_mix_csv_matches_the_cases(built, people):
    response = client_for(people["admin"]).get("/staff/insights/panels/channels.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert totals(response) == {
        "Website": 3, "Phone": 1, "Text message": 1, "Email": 1, "App": 0, "Open311": 0,
        "City staff": 0,
    }  # fmt: skip


def test_map_links_overdue_hot_spot_to_the_queue(built, people, city):
    page = client_for(people["admin"]).get("/staff/insights/map/").content.decode()
    assert "Hot spot with 2 cases" in page
    assert "/staff/cases/?status=open&amp;overdue=on&amp;box=" in page


def test_equity_has_the_city_wide_row_first(built, people):
    response = client_for(people["admin"]).get("/staff/insights/equity/?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][0] == "Whole city" and rows[1][-1] == "2"
    assert {r[0] for r in rows[2:]} == {"Hampden", "Remington"}


def test_scorecard_is_public(built):
    response = Client().get("/scorecard/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Transportation" in page and "Parks" in page
    assert 'role="img"' in page
    assert Client().get("/scorecard/?format=csv").status_code == 200


def test_csv_cells_that_look_like_formulas_are_quoted():
    from cityhall.insights.views import _safe_cell

    assert _safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _safe_cell("pothole") == "pothole"


def test_scorecard_api_matches_the_page(built):
    body = Client().get("/api/v1/insights/scorecard").json()
    by_code = {d["code"]: d for d in body}
    assert set(by_code) == {"transportation", "parks"}
    assert by_code["parks"]["open_now"] == 3 and by_code["parks"]["overdue_now"] == 2
    assert by_code["transportation"]["closed_last_30_days"] == 2
    assert len(by_code["parks"]["months"]) == 12


def test_queue_map_area_filter(built, people, cases):
    client = client_for(people["admin"])
    box = "39.3305,-76.6060,39.3315,-76.6045"
    page = client.get(f"/staff/cases/?status=open&box={box}").content.decode()
    assert cases[3].reference in page and cases[4].reference in page
    assert cases[5].reference not in page and cases[2].reference not in page
    bad = client.get("/staff/cases/?box=north,pole")
    assert bad.status_code == 400
    assert "The map area is not valid" in bad.content.decode()


def test_notification_panel_counts_messages(built, people):
    import datetime as dt

    from django.utils import timezone

    from cityhall.notifications.models import DailyCount

    today = timezone.localdate()
    DailyCount.objects.create(day=today, channel="email", kind="case_update", outcome="sent",
                              count=7)  # fmt: skip
    DailyCount.objects.create(day=today, channel="email", kind="case_update", outcome="failed",
                              count=1)  # fmt: skip
    old = today - dt.timedelta(days=800)
    DailyCount.objects.create(day=old, channel="sms", kind="reminder", outcome="sent", count=5)
    response = client_for(people["admin"]).get("/staff/insights/panels/notifications.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1:] == [["Email", "7", "0", "1", "0"]]


def test_every_panel_exports_csv_with_its_table_header(built, people):
    from cityhall.insights.queries import PANELS

    client = client_for(people["auditor"])
    for name in PANELS:
        response = client.get(f"/staff/insights/panels/{name}.csv?start=2026-06-01")
        assert response.status_code == 200, name
        header = next(csv.reader(io.StringIO(response.content.decode())))
        assert len(header) >= 2, name


def test_percentile_from_histogram():
    from cityhall.insights.queries import percentile

    histogram = [0] * 24
    histogram[0] = 50  # under an hour
    histogram[9] = 50  # 48–72 hours
    assert percentile(histogram, 0.5) == 1.0
    assert 48 < percentile(histogram, 0.9) <= 72
    assert percentile([0] * 24, 0.5) is None
