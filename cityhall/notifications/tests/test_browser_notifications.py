"""What a resident and a staff member would do: choose how the city reaches you, read an
update in the inbox, unsubscribe in one click; write a campaign, see its audience on the
map, send it."""

import pytest
from playwright.sync_api import expect

from cityhall.accounts.models import SavedAddress
from cityhall.cases import actions as case_actions
from cityhall.cases.models import CaseStatus
from cityhall.notifications import actions
from cityhall.notifications.models import Campaign, CampaignStatus, KindPreference
from cityhall.notifications.tests.conftest import set_profile
from cityhall.org.models import Role
from cityhall.testing import (
    browser_sign_in,
    browser_sign_in_with_code,
    give_totp,
    make_address,
    make_resident,
    make_staff,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_resident_chooses_channels_reads_an_update_and_unsubscribes(page, file_case, caseworker):
    resident = make_resident("maria@example.org")
    set_profile(resident, sms_phone="+14105550150")
    browser_sign_in(page, resident.email)
    page.goto("/account/")
    page.get_by_role("link", name="What we send you").click()
    page.axe.check(page)
    updates = page.get_by_role("group", name="Updates on my requests")
    updates.get_by_label("Text message (SMS)").check()
    page.get_by_role("button", name="Save my choices").click()
    expect(page.locator("body")).to_contain_text("Saved.")
    preference = KindPreference.objects.get(account=resident, kind="case_update")
    assert preference.sms and preference.email

    case = file_case(resident)
    case_actions.update_status(
        actor=caseworker, case=case, status=CaseStatus.SCHEDULED, public_note="Crew on Monday"
    )
    page.get_by_role("link", name="Messages").click()
    page.axe.check(page)
    expect(page.locator("body")).to_contain_text(f"Request {case.reference}: Scheduled")
    expect(page.locator("body")).to_contain_text("Crew on Monday")
    page.get_by_role("button", name="Mark 1 message as read").click()
    assert page.get_by_role("button", name="Mark 1 message as read").count() == 0

    token = actions.unsubscribe_token(resident.pk, "kind:case_update:email")
    page.goto(f"/unsubscribe/{token}/")
    page.axe.check(page)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.locator("body")).to_contain_text("We won't send you")
    preference.refresh_from_db()
    assert not preference.email and preference.sms


def test_staff_write_a_campaign_see_its_audience_and_send_it(page, run_worker):
    address = make_address("3600 Falls Rd")
    for _ in range(2):
        neighbour = make_resident()
        SavedAddress.objects.create(profile=neighbour.profiles.get(is_primary=True),
                                    address=address)  # fmt: skip
    writer = make_staff(Role.SUPERVISOR, email="comms@city.example", with_mfa=False)
    secret = give_totp(writer)
    browser_sign_in_with_code(page, writer.email, secret)
    page.goto("/staff/")
    page.get_by_role("link", name="Notifications").click()
    page.axe.check(page)
    page.get_by_role("link", name="Write a campaign").click()
    page.axe.check(page)
    page.get_by_label("Title").fill("Street sweeping Tuesday")
    page.get_by_role("group", name="Channels").get_by_label("Email").check()
    page.get_by_label("Topic (residents can unsubscribe from it)").select_option("streets")
    page.get_by_label("Neighbourhoods:", exact=True).select_option(label="Hampden")
    page.get_by_label("Subject (English)").fill("Street sweeping on Tuesday")
    page.get_by_label("Message (English):", exact=True).fill("Please move your car, {{ name }}.")
    page.get_by_label("Subject (Spanish)").fill("Barrido de calles el martes")
    page.get_by_label("Message (Spanish):", exact=True).fill("Mueva su auto, {{ name }}.")
    page.get_by_role("button", name="Save and see the audience").click()
    page.axe.check(page)
    expect(page.locator("body")).to_contain_text("It reaches 2 accounts.")
    assert page.get_by_role(
        "img", name="Map of who the campaign reaches, by neighbourhood"
    ).is_visible()
    page.get_by_role("button", name="Send it").click()
    run_worker()
    page.reload()
    expect(page.locator("body")).to_contain_text("Sending")
    campaign = Campaign.objects.get()
    assert campaign.status == CampaignStatus.SENDING and campaign.enqueued == 2


def test_staff_draw_an_area_by_clicking_the_map(page):
    make_address("3600 Falls Rd")  # the neighbourhood the map draws
    writer = make_staff(Role.SUPERVISOR, email="maps@city.example", with_mfa=False)
    browser_sign_in_with_code(page, writer.email, give_totp(writer))
    page.goto("/staff/notifications/campaigns/new/")
    the_map = page.get_by_role("img", name="Map of the city's neighbourhoods")
    box = the_map.bounding_box()
    for dx, dy in ((0.3, 0.3), (0.7, 0.3), (0.5, 0.7)):
        the_map.click(position={"x": box["width"] * dx, "y": box["height"] * dy})
    lines = page.get_by_label("Or an area").input_value().splitlines()
    assert len(lines) == 3 and all(len(line.split(",")) == 2 for line in lines)
    expect(page.locator("body")).to_contain_text("The area has 3 corners.")
    page.get_by_role("button", name="Clear the area").click()
    assert page.get_by_label("Or an area").input_value() == ""
