import pytest
from django.db import DatabaseError, connection, transaction

from cityhall.audit.actions import record_write
from cityhall.audit.models import AppendOnlyError, AuditEvent

pytestmark = pytest.mark.django_db


def test_orm_refuses_changes_and_deletes():
    event = record_write(actor=None, action="test.write", summary="something happened")
    event.summary = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_database_refuses_raw_updates():
    event = record_write(actor=None, action="test.write", summary="original")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET summary = 'tampered' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).summary == "original"


def test_raw_deletes_are_refused_by_postgres():
    """PostgreSQL guards deletes too; SQLite's guard stops at the ORM (see the migration)."""
    event = record_write(actor=None, action="test.write", summary="original")
    refused = False
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    except DatabaseError:
        refused = True
    assert refused == (connection.vendor == "postgresql")
