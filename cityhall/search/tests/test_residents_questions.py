"""The assistant's example questions teach site search residents' words for each article; the
assistant's own retrieval leaves them out, so its evidence never counts them twice."""

import pytest

from cityhall.assistant.nlu import questions_by_article
from cityhall.catalog.models import Article
from cityhall.search.index import build_documents, current_engine
from cityhall.search.queries import search_catalog
from cityhall.testing import fresh_search_index

pytestmark = pytest.mark.django_db


def article(slug, title):
    return Article.objects.create(
        slug=slug, title_en=title, title_es=title, body_en=title, body_es=title, is_published=True
    )


def test_each_article_is_indexed_with_the_questions_residents_ask_about_it():
    examples = questions_by_article()["landlord-wont-fix-heat"]
    assert examples, "the shipped examples cover this article"
    saved = article("landlord-wont-fix-heat", "My landlord won't fix the heat")
    docs = {d.key: d for d in build_documents()}
    asked = docs[f"article:{saved.pk}"].fields["asked"]
    assert examples[0].text in asked[examples[0].lang]
    bare = {d.key: d for d in build_documents(with_questions=False)}
    assert not any(bare[f"article:{saved.pk}"].fields.get("asked", {}).values())


def test_search_finds_an_article_by_a_residents_words_the_article_never_uses():
    question = "my landlord refuses to fix the heat, what can i do"
    assert question in [e.text for e in questions_by_article()["landlord-wont-fix-heat"]]
    saved = article("landlord-wont-fix-heat", "Tenant protections")
    article("pothole-help", "Potholes")
    fresh_search_index()
    found = search_catalog(question, record=False).results
    assert found and found[0].id == saved.pk
    without = search_catalog(question, record=False, with_questions=False).results
    assert saved.pk not in [r.id for r in without if r.type == "article"]


def test_the_two_variants_are_separate_engines_of_the_same_version():
    article("pothole-help", "Potholes")
    fresh_search_index()
    assert current_engine() is not current_engine(with_questions=False)
    assert current_engine() is current_engine()
