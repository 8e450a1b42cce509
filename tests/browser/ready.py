"""Waiting for a page to be what its user sees (without guessing at timeouts), and what
the browser tests check on every page they open."""

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, Response, expect

PASSWORD = "a-long-test-password"  # UserFactory's


def open_ready(page: Page, url: str) -> Response | None:
    """Go to ``url`` and wait until it is loaded and every chart on it is drawn.

    dashboard.js marks each drawn chart ``data-drawn``; waiting for that mark is exact,
    where Playwright's "networkidle" waits for half a second of silence after every page.
    A chart that never draws fails here, as it would fail its user."""
    response = page.goto(url)
    expect(page.locator(".dash-chart:not([data-drawn])")).to_have_count(0)
    return response


def serious_accessibility_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now, one line each."""
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def sideways_overflow(page: Page) -> int:
    """How many pixels the page scrolls sideways (0 or less: it does not)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def sign_in(page: Page, base_url: str, username: str) -> None:
    """Sign in through the form, as a user does, and wait until the header says so."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    signed_in = page.get_by_role("button", name=re.compile(rf"Sign out \({re.escape(username)}\)"))
    expect(signed_in).to_be_visible()
