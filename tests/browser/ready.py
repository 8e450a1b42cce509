"""Waiting for a page to be what its user sees, without guessing at timeouts."""

from playwright.sync_api import Page, Response, expect


def open_ready(page: Page, url: str) -> Response | None:
    """Go to ``url`` and wait until it is loaded and every chart on it is drawn.

    dashboard.js marks each drawn chart ``data-drawn``; waiting for that mark is exact,
    where Playwright's "networkidle" waits for half a second of silence after every page.
    A chart that never draws fails here, as it would fail its user."""
    response = page.goto(url)
    expect(page.locator(".dash-chart:not([data-drawn])")).to_have_count(0)
    return response
