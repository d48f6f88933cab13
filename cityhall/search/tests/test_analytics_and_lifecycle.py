import pytest
from django.core.management import call_command
from django.urls import reverse

from cityhall.org.models import Role
from cityhall.search.index import current_engine
from cityhall.search.models import IndexState, SynonymGroup
from cityhall.search.queries import search_catalog
from cityhall.testing import fresh_search_index, make_resident, make_service, make_staff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("who", "expected"), [("anonymous", 302), ("resident", 404), ("agent", 200), ("auditor", 200)]
)
def test_analytics_matrix(client, who, expected):
    users = {
        "resident": make_resident(),
        "agent": make_staff(Role.AGENT),
        "auditor": make_staff(Role.AUDITOR),
    }
    if who != "anonymous":
        client.force_login(users[who])
    assert client.get(reverse("search_analytics")).status_code == expected


def test_analytics_show_top_and_unanswered_queries(client):
    make_service("pothole", "Report a pothole")
    fresh_search_index()
    for q in ["pothole"] * 3 + ["unicorn stables"] * 3 + ["call jane at 410 555 0199"]:
        client.get("/search/", {"q": q})
    client.force_login(make_staff(Role.SUPERVISOR))
    page = client.get(reverse("search_analytics")).content.decode()
    assert "pothole" in page and "unicorn stables" in page
    assert "7 searches" in page
    assert "jane" not in page, "a query searched once stays out of the staff view"
    from cityhall.search.models import QueryStat

    assert not QueryStat.objects.filter(query__contains="0199").exists(), "numbers are masked"


def test_rebuild_command_moves_the_shared_version(capsys):
    make_service("pothole", "Report a pothole")
    before = IndexState.objects.get_or_create(pk=1)[0].version
    call_command("rebuild_search_index")
    assert IndexState.objects.get(pk=1).version == before + 1
    assert "1 documents" in capsys.readouterr().out


def test_staff_synonyms_apply_after_the_worker_runs(client, run_worker):
    make_service("graffiti", "Remove graffiti")
    fresh_search_index()
    assert search_catalog("tagging", record=False).results == []
    admin = make_staff(Role.CITY_ADMIN)
    client.force_login(admin)
    response = client.post(
        "/admin/search/synonymgroup/add/",
        {"terms": '["Tagging", "graffiti"]', "is_active": "on"},
    )
    assert response.status_code == 302
    assert SynonymGroup.objects.get().terms == ["tagging", "graffiti"]
    run_worker()
    assert [r.title for r in search_catalog("tagging", record=False).results] == ["Remove graffiti"]


def test_every_process_sees_a_publish(run_worker):
    """Two processes are simulated by the version check: a bump makes the next query rebuild."""
    make_service("pothole", "Report a pothole")
    fresh_search_index()
    first = current_engine()
    assert current_engine() is first
    make_service("bulk", "Bulk item pickup")
    from cityhall.search.actions import bump_index_version

    bump_index_version()
    second = current_engine()
    assert second is not first and len(second.docs) == 2


@pytest.mark.parametrize("terms", ["5", '"trash"', '["only-one"]', '["x", "' + "y" * 61 + '"]'])
def test_bad_synonyms_get_a_form_error(client, terms):
    client.force_login(make_staff(Role.CITY_ADMIN))
    response = client.post("/admin/search/synonymgroup/add/", {"terms": terms, "is_active": "on"})
    assert response.status_code == 200
    assert not SynonymGroup.objects.exists()
