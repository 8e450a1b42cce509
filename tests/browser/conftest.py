"""Browser tests: Python Playwright driving Debian's chromium against a live server.

`make test` installs chromium with apt-get; Playwright cannot download its own browser here.
"""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between page actions are ordinary synchronous calls and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def console_errors(page):
    """Collects console errors and page errors; assert it is empty at the end of a test."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


@pytest.fixture(scope="session", autouse=True)
def _static_files_from_the_source():
    """Serve static files from static/ as they are now, never from a collectstatic copy in
    STATIC_ROOT that an earlier run left behind (whitenoise prefers it when DEBUG is off),
    so the browser always runs this tree's CSS and JavaScript. Autouse and session-wide:
    in place before the live server loads its middleware."""
    from django.test.utils import override_settings

    with override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True):
        yield
