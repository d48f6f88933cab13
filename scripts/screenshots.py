"""Take the README's screenshots from a running demo: python scripts/screenshots.py URL."""

import subprocess
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
PASSWORD = "city-hall-demo-2026"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def sign_in(page, email: str, code: bool = False) -> None:
    page.goto(f"{BASE}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    if code:
        value = subprocess.run(
            [".venv/bin/cityhall", "demo_code"], capture_output=True, text=True, check=True
        ).stdout.strip()
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
    browser.close()
