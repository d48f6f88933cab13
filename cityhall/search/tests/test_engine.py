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


# --- understanding residents: multi-word synonyms, plurals, word forms, compounds, sentences


@pytest.fixture(scope="module")
def wordy():
    docs = [
        doc("s:1", "Find emergency shelter", "Encontrar un albergue", "sin hogar"),
        doc("s:2", "Report a broken sidewalk", "Reportar una acera", "sin rampa"),
        doc("s:3", "Trash collection day", "Día de la basura"),
        doc("s:4", "Taxi complaint", "Queja de taxi", "taxi refused a ride"),
        doc("s:5", "Get a senior discount", "Descuento para mayores"),
        doc("s:6", "Sena river tours", "Paseos por el Sena"),
        doc("s:7", "Recycling pickup", "Reciclaje", "blue bin"),
        doc("s:8", "Recycling drop-off centre", "Centro de reciclaje", "recyling"),
        doc("s:9", "Street light out", "Luz de la calle apagada"),
        doc("s:10", "Residential parking permit", "Permiso de estacionamiento residencial"),
        doc("s:11", "Street permit for a dumpster", "Permiso para contenedor en la calle"),
        doc("s:12", "Vehicle registration", "Registro vehicular", "plates"),
        doc("s:13", "Fix a pothole", "Arreglar un bache", "pothole"),
    ]  # fmt: skip
    synonyms = [
        ["homeless", "sin hogar"],
        ["trash", "refuse", "basura"],
        ["license plate", "tags", "placas", "vehicle registration"],
    ]
    return SearchEngine(docs, synonyms)


def keys(engine, query, **kwargs):
    return [h.doc.key for h in engine.search(query, **kwargs)]


def test_multi_word_synonym_needs_all_its_words(wordy):
    # "sin hogar" stands for "homeless"; a document that only says "sin" is not about it.
    assert keys(wordy, "homeless") == ["s:1"]


def test_synonyms_are_found_in_the_singular_and_plural(wordy):
    assert top(wordy, "tag") == "s:12"  # the group says "tags"


def test_synonym_prefers_its_own_word_to_another_of_the_same_stem(wordy):
    # "refuse" (garbage) is in the trash group; "refused" (a ride) shares its stem only.
    assert keys(wordy, "trash")[0] == "s:3"
    assert keys(wordy, "basura")[0] == "s:3"


def test_unseen_word_is_not_matched_through_a_three_letter_stem(wordy):
    # "senoir" is "senior" mistyped, not a form of whatever stems to "sen" ("sena").
    assert top(wordy, "senoir") == "s:5"


def test_rare_known_word_next_to_a_common_one_is_read_as_a_typo_too():
    docs = [doc("s:1", "Electronics recycling", keywords="tv computer")]
    docs += [doc(f"s:{i}", f"Recycling service {i}", keywords="recycling") for i in range(2, 40)]
    docs.append(doc("s:40", "Paint disposal", keywords="recyling"))  # a keyword typo
    engine = SearchEngine(docs)
    assert top(engine, "electronics recyling") == "s:1"
    assert top(engine, "electronics recycling") == "s:1"


def test_words_written_apart_or_together(wordy):
    assert top(wordy, "pot hole") == "s:13"  # no synonym needed: "pothole" is a known word
    assert top(wordy, "streetlight") == "s:9"  # split into two known words


def test_adjacent_query_words_side_by_side_in_a_title_rank_first(wordy):
    assert top(wordy, "parking permit for my street") == "s:10"


def test_function_words_of_a_sentence_are_ignored(wordy):
    clauses = wordy.parse("they just told me that the light was out this morning")
    assert [c.word for c in clauses] == ["told", "light", "out"]


def test_a_mistyped_word_still_counts_for_a_title_pair():
    # "street ligth broken": "ligth" read as "light" keeps the title pair "street light", so
    # "Street light out" ranks above a more popular page with both words apart.
    docs = [
        doc("s:1", "Street light out", keywords="broken"),
        doc("s:2", "Light fixture on a street pole", keywords="broken", popularity=0.3),
    ]
    engine = SearchEngine(docs)
    assert top(engine, "street light broken") == "s:1"
    assert top(engine, "street ligth broken") == "s:1"


def test_did_you_mean_corrects_a_rare_known_typo():
    # A typo someone once wrote in an indexed text is a known word, but still not a word to
    # keep: the common word beside it is suggested.
    docs = [doc(f"s:{i}", f"Business service {i}", keywords="business") for i in range(1, 40)]
    docs.append(doc("s:40", "Food store licence", keywords="bussiness licence for a food stoe"))
    engine = SearchEngine(docs)
    assert engine.did_you_mean("bussiness") == "business"
