"""Staff work on cases: status with public notes, internal notes, assignment, transfer,
merge and bulk changes, each gated by department and role and audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cityhall.audit.models import AuditEvent
from cityhall.cases import actions, queries
from cityhall.cases.models import Case, CaseFollow, CaseStatus

pytestmark = pytest.mark.django_db(transaction=True)


def test_status_change_is_public_with_its_note_and_audited(make_case, people):
    case = make_case()
    actions.update_status(
        actor=people["caseworker"], case=case, status="scheduled", public_note="Crew booked Tue"
    )
    case.refresh_from_db()
    assert case.status == "scheduled" and case.status_notes == "Crew booked Tue"
    assert "Crew booked Tue" in [e.message for e in queries.public_timeline(case)]
    assert AuditEvent.objects.filter(
        action="case.status_changed", case_reference=case.reference
    ).exists()
    actions.update_status(actor=people["caseworker"], case=case, status="resolved")
    case.refresh_from_db()
    assert case.closed_at is not None


def test_internal_notes_never_reach_the_public_timeline(make_case, people):
    case = make_case()
    actions.add_internal_note(actor=people["caseworker"], case=case, text="Caller is the landlord")
    assert "Caller is the landlord" not in [e.message for e in queries.public_timeline(case)]
    assert "Caller is the landlord" in [e.message for e in queries.staff_timeline(case)]


@pytest.mark.parametrize("who", ["resident", "other_department", "auditor"])
def test_people_outside_the_department_cannot_work_the_case(make_case, people, who):
    case = make_case()
    with pytest.raises(PermissionDenied):
        actions.update_status(actor=people[who], case=case, status="in_progress")
    with pytest.raises(PermissionDenied):
        actions.add_internal_note(actor=people[who], case=case, text="x")


def test_assignment_moves_a_received_case_to_assigned(make_case, people):
    case = make_case()
    actions.assign_case(actor=people["supervisor"], case=case, assignee=people["caseworker"])
    case.refresh_from_db()
    assert case.assignee == people["caseworker"] and case.status == CaseStatus.ASSIGNED
    with pytest.raises(ValidationError) as error:
        actions.assign_case(
            actor=people["supervisor"], case=case, assignee=people["other_department"]
        )
    assert "assignee" in error.value.message_dict


def test_transfer_hands_the_case_to_another_queue(make_case, people, parks):
    case = make_case()
    actions.transfer_case(
        actor=people["caseworker"], case=case, department=parks, reason="Park path"
    )
    case.refresh_from_db()
    assert case.department == parks and case.assignee is None
    assert queries.can_work_case(people["other_department"], case)
    assert not queries.can_work_case(people["caseworker"], case)
    with pytest.raises(ValidationError):
        actions.transfer_case(actor=people["other_department"], case=case, department=parks)


def test_merge_carries_followers_and_closes_the_duplicate(make_case, people):
    keep = make_case()
    duplicate = make_case(actor=people["resident"])
    CaseFollow.objects.create(case=duplicate, user=people["other_resident"])
    with pytest.raises(PermissionDenied):
        actions.merge_cases(actor=people["caseworker"], duplicate=duplicate, into=keep)
    actions.merge_cases(actor=people["supervisor"], duplicate=duplicate, into=keep)
    duplicate.refresh_from_db()
    assert duplicate.merged_into == keep and duplicate.status == CaseStatus.CLOSED
    followers = set(keep.follows.values_list("user_id", flat=True))
    assert {people["resident"].pk, people["other_resident"].pk} <= followers
    assert any(duplicate.reference in e.message for e in queries.public_timeline(keep))
    with pytest.raises(ValidationError):
        actions.merge_cases(actor=people["supervisor"], duplicate=keep, into=keep)


def test_bulk_changes_are_all_or_nothing(make_case, people, parks):
    mine = [make_case(), make_case()]
    count = actions.bulk_update(actor=people["caseworker"], cases=mine, action="in_progress")
    assert count == 2
    assert set(Case.objects.values_list("status", flat=True)) == {"in_progress"}
    other = make_case()
    actions.transfer_case(actor=people["caseworker"], case=other, department=parks)
    with pytest.raises(PermissionDenied):
        actions.bulk_update(actor=people["caseworker"], cases=[*mine, other], action="resolved")
    assert not Case.objects.filter(status="resolved").exists(), "nothing half-done"
    with pytest.raises(ValidationError):
        actions.bulk_update(actor=people["caseworker"], cases=mine, action="explode")


def test_saved_views_belong_to_their_owner(people):
    view = actions.save_view(actor=people["caseworker"], name="Overdue", query="overdue=on")
    again = actions.save_view(actor=people["caseworker"], name="Overdue", query="overdue=on&q=2")
    assert view.pk == again.pk and again.query == "overdue=on&q=2"
    actions.delete_view(actor=people["supervisor"], view_id=view.pk)
    assert queries.saved_views(people["caseworker"]).count() == 1
    with pytest.raises(PermissionDenied):
        actions.save_view(actor=people["resident"], name="x", query="")


def test_ready_made_reply_goes_out_in_the_requesters_language(make_case, people):
    from cityhall.accounts.models import Profile
    from cityhall.cases.models import ResponseTemplate

    template = ResponseTemplate.objects.create(
        title="Fixed", body_en="Fixed.", body_es="Arreglado."
    )
    resident = people["resident"]
    Profile.objects.filter(account=resident, is_primary=True).update(language="es")
    case = make_case(actor=resident)
    actions.update_status(
        actor=people["caseworker"], case=case, status="resolved", template=template
    )
    assert "Arreglado." in [e.message for e in queries.public_timeline(case)]
    other = make_case()
    actions.update_status(
        actor=people["caseworker"], case=other, status="resolved", public_note="Own words",
        template=template,
    )  # fmt: skip
    assert "Own words" in [e.message for e in queries.public_timeline(other)]
