import os

import pytest
from django.core.management import call_command
from django.utils import translation

# Playwright's sync API runs an event loop in the test thread; Django's ORM guard would
# otherwise refuse the database calls tests make alongside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def run_worker():
    """Run the real django-tasks-db worker until the queue is empty."""

    def run() -> None:
        call_command(
            "db_worker",
            batch=True,
            startup_delay=False,
            interval=0.05,
            reload=False,
            queue_name="*",
            verbosity=0,
        )

    return run


@pytest.fixture(autouse=True)
def _fresh_caches():
    from django.core.cache import cache

    from cityhall.open311.actions import forget_cached_keys
    from cityhall.places.queries import clear_caches
    from cityhall.search.actions import search_counter

    cache.clear()
    clear_caches()
    forget_cached_keys()
    search_counter.forget()
    # A request in Spanish leaves Spanish active in the thread after it ends: the next test in
    # this worker must start in the default language, not the last request's.
    translation.deactivate()
    yield
    translation.deactivate()


# --- Browser tests ---------------------------------------------------------------------------

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_JS = (
    __import__("pathlib").Path(__file__).resolve().parent.parent
    / "node_modules"
    / ("axe-core/axe.min.js")
)
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def _browser():
    if not os.path.exists(CHROMIUM) or not AXE_JS.exists():
        pytest.skip("Browser tests need Debian's chromium and `npm ci` (axe-core); CI has both.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class AxeChecker:
    """Runs axe-core on every page the test visits and collects serious/critical findings."""

    def __init__(self) -> None:
        self.violations: list[str] = []
        self.checked: set[str] = set()

    def check(self, page) -> None:
        from playwright.sync_api import Error

        # A click that navigates returns before the next document exists; axe must wait for it,
        # or it lands in a page with no <head> yet, or in one being replaced (seen as flaky CI).
        for attempt in range(3):
            page.wait_for_load_state("load")
            try:
                page.add_script_tag(path=str(AXE_JS))
                result = page.evaluate(
                    """async () => await axe.run(document, {runOnly: {type: 'tag', values:
                ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"""
                )
                break
            except Error:
                if attempt == 2:
                    raise
                page.wait_for_timeout(200)
        url = page.url.split("?")[0]
        self.checked.add(url)
        for violation in result["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"][:3]]
                self.violations.append(
                    f"{url}: {violation['id']} ({violation['impact']}) {targets}"
                )


@pytest.fixture
def page(_browser, live_server):
    """A fresh browser tab. Tests call `page.axe.check(page)` after each navigation; any serious
    or critical finding fails the test at teardown."""
    context = _browser.new_context(bypass_csp=True, base_url=live_server.url, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    axe = AxeChecker()
    page.axe = axe
    yield page
    context.close()
    assert not axe.violations, "Accessibility problems:\n" + "\n".join(axe.violations)
    assert axe.checked, "axe-core never ran"


# --- In CI, nothing may skip -----------------------------------------------------------------


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if os.environ.get("CI") and reporter and reporter.stats.get("skipped"):
        reporter.write_line("CI: skipped tests are not allowed here.", red=True)
        session.exitstatus = 1
