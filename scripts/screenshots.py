"""Take the README's screenshots from a running demo: python scripts/screenshots.py URL."""

import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
PARKING = sys.argv[2] if len(sys.argv) > 2 else "http://127.0.0.1:8001"
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
PASSWORD = "city-hall-demo-2026"
USED_CODES: list[str] = []
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def sign_in(page, email: str, code: bool = False) -> None:
    page.goto(f"{BASE}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    if code:
        # A two-step code works once: wait for the next one when the last sign-in used it.
        while True:
            value = subprocess.run(
                [".venv/bin/cityhall", "demo_code"], capture_output=True, text=True, check=True
            ).stdout.strip()
            if value not in USED_CODES:
                break
            time.sleep(2)
        USED_CODES[:] = [value]
        page.fill("input[name=code]", value)
        page.locator("main form button[type=submit]").first.click()


with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
    page = browser.new_page(viewport={"width": 1100, "height": 760})
    page.goto(BASE + "/")
    page.screenshot(path=OUT / "home.png")
    page.goto(BASE + "/search/?q=potholle+on+my+street")
    page.screenshot(path=OUT / "search.png")
    page.goto(BASE + "/services/life-events/having-a-baby/")
    page.screenshot(path=OUT / "life-event.png")
    page.goto(BASE + "/report/baltimore-trm-pothole-repair/")
    page.get_by_label("What's the problem?").fill("Deep hole in the bike lane")
    page.locator("svg.city-map path").nth(120).click()
    page.screenshot(path=OUT / "report.png", full_page=True)
    sign_in(page, "resident@example.org")
    page.goto(BASE + "/account/")
    page.screenshot(path=OUT / "account.png")
    page.goto(BASE + "/account/notifications/")
    page.screenshot(path=OUT / "notification-choices.png")
    page.goto(BASE + "/for-you/")
    page.screenshot(path=OUT / "for-you.png")
    # The demo City Parking app signs in through City Hall.
    page.goto(PARKING + "/")
    page.get_by_role("link", name="Sign in with City Hall").click()
    page.wait_for_load_state()
    page.screenshot(path=OUT / "sso-consent.png")
    if page.get_by_role("button", name="Allow and continue").count():
        page.get_by_role("button", name="Allow and continue").click()
        page.wait_for_url(PARKING + "/")
    page.screenshot(path=OUT / "parking.png")
    page.context.clear_cookies()
    sign_in(page, "caseworker.sanitation@staff.cityhall.example", code=True)
    page.goto(BASE + "/staff/cases/")
    page.screenshot(path=OUT / "queue.png")
    page.locator("table.queue-table tbody tr a").first.click()
    page.screenshot(path=OUT / "case.png", full_page=True)
    page.context.clear_cookies()
    sign_in(page, "auditor@staff.cityhall.example", code=True)
    page.goto(BASE + "/staff/audit/")
    page.screenshot(path=OUT / "audit.png")
    page.context.clear_cookies()
    sign_in(page, "admin@staff.cityhall.example", code=True)
    page.goto(BASE + "/staff/notifications/campaigns/new/")
    page.get_by_label("Title").fill("Street sweeping Tuesday")
    page.screenshot(path=OUT / "campaign.png")
    page.goto(BASE + "/staff/insights/")
    page.screenshot(path=OUT / "insights.png")
    page.goto(BASE + "/staff/insights/map/")
    page.screenshot(path=OUT / "hotspots.png")
    page.goto(BASE + "/scorecard/")
    page.screenshot(path=OUT / "scorecard.png")
    # The assistant: a question answered with its article, then a hand-off a 311 agent answers.
    page.context.clear_cookies()
    page.goto(BASE + "/assistant/")
    for words in ("How do I pay a parking ticket?", "Can I talk to a person?"):
        page.get_by_label("Your message").fill(words)
        page.get_by_role("button", name="Send").click()
        page.wait_for_timeout(3000)  # htmx swaps the answer in
    page.screenshot(path=OUT / "assistant.png", full_page=True)
    page.context.clear_cookies()
    sign_in(page, "agent.customer-service@staff.cityhall.example", code=True)
    page.goto(BASE + "/staff/assistant/")
    page.locator("main table a").first.click()
    page.get_by_label("Your reply").fill("Hi, this is 311. I can help with that.")
    page.screenshot(path=OUT / "assistant-handoff.png", full_page=True)
    browser.close()
