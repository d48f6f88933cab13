import pytest

from cityhall.search.actions import search_counter
from cityhall.search.models import ClickStat, QueryStat
from cityhall.testing import fresh_search_index, make_article, make_service

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def catalog():
    make_service("report-pothole", "Report a pothole", "Reportar un bache", keywords_en=["road"])
    make_article("trash-day", "When is my trash picked up?", "Trash is collected weekly.",
                 title_es="¿Cuándo recogen mi basura?")  # fmt: skip
    fresh_search_index()


def test_search_returns_the_documented_shape(client):
    body = client.get("/api/v1/search", {"q": "pothle", "lang": "es"}).json()
    assert body["query"] == "pothle"
    first = body["results"][0]
    assert first["type"] == "service" and first["title"] == "Reportar un bache"
    assert first["url"] == "/services/report-pothole/"
    assert set(first) == {"type", "id", "title", "url", "snippet", "score"}
    assert body["did_you_mean"] == "pothole"


def test_suggest_matches_prefixes(client):
    body = client.get("/api/v1/search/suggest", {"q": "potho"}).json()
    assert body[0]["title"] == "Report a pothole"


@pytest.mark.parametrize(
    ("params", "status"),
    [({}, 422), ({"q": ""}, 422), ({"q": "x" * 10_000}, 422), ({"q": "a", "lang": "fr"}, 422),
     ({"q": "a", "limit": 0}, 422), ({"q": "🙂"}, 200), ({"q": "' OR 1=1 --"}, 200)],
)  # fmt: skip
def test_bad_input_is_4xx_json_never_500(client, params, status):
    response = client.get("/api/v1/search", params)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    "q", ["", "   ", "🙂🙂", "<script>alert(1)</script>", "'; DROP TABLE x; --", "z" * 10_000]
)
def test_search_page_survives_odd_input_and_escapes_it(client, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code in (200, 400)
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_no_result_page_offers_suggestions_and_did_you_mean(client):
    page = client.get("/search/", {"q": "xyzzy"}).content.decode()
    assert "couldn" in page and "Report a pothole" in page
    typo = client.get("/search/", {"q": "pothoel"}).content.decode()
    assert "Did you mean" in typo


def test_clicks_are_learned_and_counted(client):
    fresh_search_index()
    client.get("/search/", {"q": "trash"})
    results = client.get("/api/v1/search", {"q": "trash"}).json()["results"]
    key = f"{results[0]['type']}:{results[0]['id']}"
    response = client.get("/search/go/", {"q": "trash", "to": key})
    assert response.status_code == 302 and response["Location"] == "/services/help/trash-day/"
    assert ClickStat.objects.get(query="trash").weight == pytest.approx(1.0)
    search_counter.flush()
    stat = QueryStat.objects.get(query="trash", lang="en")
    assert stat.searches == 2 and stat.clicks == 1


def test_clicks_on_results_not_shown_are_not_learned(client):
    results = client.get("/api/v1/search", {"q": "pothole"}).json()["results"]
    article = client.get("/api/v1/search", {"q": "trash"}).json()["results"][0]
    assert all(r["type"] != "article" for r in results)
    response = client.get("/search/go/", {"q": "pothole", "to": f"article:{article['id']}"})
    assert response.status_code == 302
    assert not ClickStat.objects.exists()


def test_click_learning_is_rate_limited(client):
    key = "service:" + str(
        client.get("/api/v1/search", {"q": "pothole"}).json()["results"][0]["id"]
    )
    for _ in range(40):
        client.get("/search/go/", {"q": "pothole", "to": key})
    assert ClickStat.objects.get(query="pothole").weight <= 30.01


def test_go_refuses_unknown_targets(client):
    assert client.get("/search/go/", {"q": "x", "to": "https://evil.example"}).status_code == 404
