"""/api/v1/me/notifications: each resident reads and marks only their own inbox."""

import pytest

from cityhall.notifications import actions
from cityhall.notifications.models import Kind, KindPreference, Message
from cityhall.org.models import Role
from cityhall.testing import make_resident, make_staff

pytestmark = pytest.mark.django_db


def inbox_message(user, dedupe):
    actions.queue_messages(
        user_ids=[user.pk],
        kind=Kind.REMINDER,
        dedupe=dedupe,
        values=lambda language: {"title": "Dog licence", "due_date": "Dec 1", "link": ""},
    )
    return Message.objects.get(user=user, channel="inbox", dedupe_key__startswith=dedupe)


@pytest.mark.parametrize("who", ["anonymous", "resident", "other_resident", "staff"])
def test_each_person_sees_only_their_own_inbox(client, who):
    owner = make_resident()
    message = inbox_message(owner, "a")
    viewers = {
        "resident": owner,
        "other_resident": make_resident(),
        "staff": make_staff(Role.SUPERVISOR),
    }
    if who != "anonymous":
        client.force_login(viewers[who])
    response = client.get("/api/v1/me/notifications")
    if who == "anonymous":
        assert response.status_code == 401 and response.json()["detail"]
        return
    ids = [m["id"] for m in response.json()]
    assert (message.pk in ids) == (who == "resident")


def test_marking_read_touches_only_my_messages(client):
    mine, theirs = make_resident(), make_resident()
    my_message, their_message = inbox_message(mine, "m"), inbox_message(theirs, "t")
    client.force_login(mine)
    response = client.post(
        "/api/v1/me/notifications/read",
        {"ids": [my_message.pk, their_message.pk]},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json() == {"marked": 1}
    their_message.refresh_from_db()
    assert their_message.read_at is None
    unread = client.get("/api/v1/me/notifications?unread=true").json()
    assert unread == []


def test_choosing_channels_per_kind_with_field_errors(client):
    person = make_resident()
    client.force_login(person)
    kinds = {row["kind"] for row in client.get("/api/v1/me/notifications/preferences").json()}
    assert kinds == {"case_update", "reminder", "news"}
    ok = client.put(
        "/api/v1/me/notifications/preferences/reminder",
        {"email": False, "sms": True, "inbox": True},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["sms"] is True
    assert KindPreference.objects.get(account=person, kind="reminder").email is False
    bad_kind = client.put(
        "/api/v1/me/notifications/preferences/emergency",
        {"email": False, "sms": False, "inbox": False},
        content_type="application/json",
    )
    assert bad_kind.status_code == 422 and "kind" in bad_kind.json()["errors"]
    missing = client.put(
        "/api/v1/me/notifications/preferences/reminder",
        {"email": True},
        content_type="application/json",
    )
    assert missing.status_code == 422 and "sms" in missing.json()["errors"]
