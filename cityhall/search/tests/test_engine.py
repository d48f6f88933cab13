"""The search engine on its own: typos, prefixes, synonyms, Spanish, ranking priors."""

import pytest

from cityhall.search.engine import IndexDoc, SearchContext, SearchEngine
from cityhall.search.text import allowed_typos


def doc(key, en, es="", keywords="", popularity=0.0, season="", personas=()):
    return IndexDoc(
        key=key,
        kind="service",
        object_id=int(key.split(":")[1]),
        url=f"/services/{key}/",
        title={"en": en, "es": es or en},
        snippet={"en": "", "es": ""},
        fields={"title": {"en": en, "es": es}, "keywords": {"en": keywords, "es": ""}},
        popularity=popularity,
        season=season,
        personas=tuple(personas),
    )


@pytest.fixture(scope="module")
def engine():
    docs = [
        doc("s:1", "Report a pothole", "Reportar un bache", "road damage"),
        doc("s:2", "Pay a parking ticket", "Pagar una multa de estacionamiento", "citation"),
        doc("s:3", "Find your trash collection day", "Día de recolección de basura", "pickup"),
        doc("s:4", "Building permit", "Permiso de construcción", "renovation", popularity=0.2),
        doc("s:5", "Snow emergency parking", "Estacionamiento por nieve", season="snow"),
        doc("s:6", "Property tax credit for seniors", "Crédito fiscal para mayores",
            personas=["senior"]),
        doc("s:7", "Property tax bill", "Factura del impuesto a la propiedad", popularity=0.1),
        doc("s:8", "Car registration", "Registro de vehículo", "vehicle"),
    ]  # fmt: skip
    synonyms = [
        ["trash", "garbage", "basura"],
        ["pot hole", "pothole", "bache"],
        ["dmv", "car registration"],
    ]
    return SearchEngine(docs, synonyms)


def top(engine, query, **kwargs):
    hits = engine.search(query, **kwargs)
    return hits[0].doc.key if hits else None


@pytest.mark.parametrize(
    ("word", "typos"), [("car", 0), ("tree", 0), ("trash", 1), ("pothole", 1), ("permisssion", 2)]
)
def test_typo_budget_grows_with_word_length(word, typos):
    assert allowed_typos(word) == typos


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("pothole", "s:1"),
        ("pothle", "s:1"),  # one typo in a 6-letter word
        ("pot hole", "s:1"),  # synonym phrase
        ("bache", "s:1"),  # Spanish
        ("garbage day", "s:3"),  # synonym
        ("parkng tiket", "s:2"),
        ("multa estacionamiento", "s:2"),
        ("DMV", "s:8"),
        ("Permiso de construcción", "s:4"),
        ("permiso de construccion", "s:4"),  # accents optional
    ],
)
def test_finds_what_residents_mean(engine, query, expected):
    assert top(engine, query) == expected


def test_short_words_get_no_typo(engine):
    assert engine.search("cat") == []  # "car" is one letter away, but 3-letter words are exact


def test_prefix_matching_for_instant_results(engine):
    assert top(engine, "potho", prefix=True) == "s:1"
    assert top(engine, "potho") is None


def test_season_and_persona_lift_ranking(engine):
    plain = [h.doc.key for h in engine.search("property tax")]
    senior = [
        h.doc.key
        for h in engine.search(
            "property tax", context=SearchContext(personas=frozenset({"senior"}))
        )
    ]
    assert plain[0] == "s:7" and senior[0] == "s:6"


def test_learned_clicks_lift_ranking(engine):
    context = SearchContext(clicked={"s:5": 0.4})
    assert top(engine, "parking", context=context) == "s:5"


def test_did_you_mean(engine):
    assert engine.did_you_mean("garbaje") == "garbage"
    assert engine.did_you_mean("pothole") is None


@pytest.mark.parametrize(
    "query",
    ["", "   ", "🙂🙂", "'; DROP TABLE catalog_service; --", "<script>x</script>", "a" * 10000],
)
def test_odd_input_never_raises(engine, query):
    assert isinstance(engine.search(query), list)


def test_neighbourhood_interest_lifts_ranking(engine):
    assert top(engine, "property tax") == "s:7"
    assert top(engine, "property tax", context=SearchContext(local={"s:6": 0.15})) == "s:6"
