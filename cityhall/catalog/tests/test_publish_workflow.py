"""Draft → review → published, with history, permissions and a search that follows."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cityhall.audit.models import AuditEvent
from cityhall.catalog import actions
from cityhall.catalog.models import ContentRevision, Service
from cityhall.org.models import Role
from cityhall.search.queries import search_catalog
from cityhall.testing import fresh_search_index, make_department, make_service, make_staff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def setup():
    parks = make_department("parks", "Parks")
    service = make_service(
        "pavilion", "Reserve a pavilion", "Reservar un pabellón", department=parks
    )
    return {
        "service": service,
        "editor": make_staff(Role.CASEWORKER, parks, email="editor@city.example"),
        "reviewer": make_staff(Role.SUPERVISOR, parks, email="boss@city.example"),
        "outsider": make_staff(Role.SUPERVISOR, make_department("fire", "Fire")),
    }


def edit(service, **changes):
    data = actions.snapshot(service, "service")
    data.update(changes)
    return data


def test_publish_changes_the_live_text_and_search(setup, run_worker):
    service, editor, reviewer = setup["service"], setup["editor"], setup["reviewer"]
    fresh_search_index()
    assert search_catalog("gazebo").results == []
    draft = actions.save_draft(
        actor=editor,
        kind="service",
        item=service,
        data=edit(service, title_en="Reserve a pavilion or gazebo", keywords_en=["gazebo"]),
    )
    actions.submit_for_review(actor=editor, revision=draft)
    service.refresh_from_db()
    assert service.title_en == "Reserve a pavilion", "residents see the old text until published"

    actions.publish_revision(actor=reviewer, revision=draft)
    service.refresh_from_db()
    assert service.title_en == "Reserve a pavilion or gazebo"
    assert service.version == 2  # one publish on top of the original
    run_worker()  # the background task moves the shared index version
    results = search_catalog("gazebo").results
    assert [r.title for r in results] == ["Reserve a pavilion or gazebo"]
    assert AuditEvent.objects.filter(action="catalog.service.published").exists()


def test_author_cannot_publish_own_change(setup):
    service, editor = setup["service"], setup["editor"]
    draft = actions.save_draft(actor=editor, kind="service", item=service, data=edit(service))
    actions.submit_for_review(actor=editor, revision=draft)
    with pytest.raises(PermissionDenied):
        actions.publish_revision(actor=editor, revision=draft)


def test_other_department_cannot_edit_or_review(setup):
    service, outsider, editor = setup["service"], setup["outsider"], setup["editor"]
    with pytest.raises(PermissionDenied):
        actions.save_draft(actor=outsider, kind="service", item=service, data=edit(service))
    draft = actions.save_draft(actor=editor, kind="service", item=service, data=edit(service))
    actions.submit_for_review(actor=editor, revision=draft)
    with pytest.raises(PermissionDenied):
        actions.publish_revision(actor=outsider, revision=draft)


def test_drafts_must_be_reviewed_first(setup):
    service, editor, reviewer = setup["service"], setup["editor"], setup["reviewer"]
    draft = actions.save_draft(actor=editor, kind="service", item=service, data=edit(service))
    with pytest.raises(ValidationError):
        actions.publish_revision(actor=reviewer, revision=draft)


def test_empty_required_text_is_refused_per_field(setup):
    service, editor = setup["service"], setup["editor"]
    with pytest.raises(ValidationError) as error:
        actions.save_draft(
            actor=editor,
            kind="service",
            item=service,
            data=edit(service, title_es="", summary_en=""),
        )
    assert {"title_es", "summary_en"} <= set(error.value.message_dict)
    assert not ContentRevision.objects.exists()


def test_history_keeps_every_version(setup):
    service, editor, reviewer = setup["service"], setup["editor"], setup["reviewer"]
    for title in ["One", "Two"]:
        draft = actions.save_draft(
            actor=editor, kind="service", item=service, data=edit(service, title_en=title)
        )
        actions.submit_for_review(actor=editor, revision=draft)
        actions.publish_revision(actor=reviewer, revision=draft)
        service.refresh_from_db()
    numbers = list(ContentRevision.objects.values_list("number", "status"))
    assert numbers == [(2, "published"), (1, "published")]
    assert Service.objects.get(pk=service.pk).title_en == "Two"


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("resident", 404), ("outsider", 404), ("editor", 200), ("reviewer", 200)],
)
def test_edit_page_matrix(client, setup, who, expected):
    from cityhall.testing import make_resident

    users = {**setup, "resident": make_resident()}
    if who != "anonymous":
        client.force_login(users[who])
    url = reverse("catalog_staff:edit", args=["service", setup["service"].pk])
    assert client.get(url).status_code == expected


def test_a_stale_draft_cannot_undo_a_newer_publish(setup):
    service, editor, reviewer = setup["service"], setup["editor"], setup["reviewer"]
    older = actions.save_draft(
        actor=editor, kind="service", item=service, data=edit(service, fees_en="Free")
    )
    newer = actions.save_draft(
        actor=editor, kind="service", item=service, data=edit(service, title_en="New title")
    )
    for draft in (older, newer):
        actions.submit_for_review(actor=editor, revision=draft)
    actions.publish_revision(actor=reviewer, revision=newer)
    with pytest.raises(ValidationError):
        actions.publish_revision(actor=reviewer, revision=older)
    service.refresh_from_db()
    assert service.title_en == "New title" and service.version == 2


def test_answers_follow_the_same_workflow(setup, client):
    from cityhall.catalog.models import Article
    from cityhall.testing import make_article

    article = make_article("trash-day", "When is trash day?", "Weekly.")
    writer, reviewer = setup["reviewer"], setup["outsider"]
    data = actions.snapshot(article, "article") | {"body_en": "Every Tuesday."}
    draft = actions.save_draft(actor=writer, kind="article", item=article, data=data)
    actions.submit_for_review(actor=writer, revision=draft)
    actions.publish_revision(actor=reviewer, revision=draft)
    assert Article.objects.get(pk=article.pk).body_en == "Every Tuesday."
    with pytest.raises(PermissionDenied):
        actions.save_draft(actor=setup["editor"], kind="article", item=article, data=data)
    client.force_login(writer)
    page = client.get(reverse("catalog_staff:index")).content.decode()
    assert "When is trash day?" in page


def test_double_submitted_edit_saves_one_version(setup, client):
    client.force_login(setup["editor"])
    url = reverse("catalog_staff:edit", args=["service", setup["service"].pk])
    form = {
        "title_en": "Reserve a pavilion",
        "title_es": "Reservar un pabellón",
        "summary_en": "Book one.",
        "summary_es": "Reserve uno.",
        "is_published": "on",
        "submit": "on",
        "idempotency_key": "same-click",
    }
    first, second = client.post(url, form), client.post(url, form)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert ContentRevision.objects.count() == 1
    assert ContentRevision.objects.get().status == "in_review"
