"""Pytest fixtures for browser tests: one Chromium per session, a fresh page per test.

Register them once, in ``tests/conftest.py``::

    pytest_plugins = ["browser_fixtures"]

(``tests`` is on ``sys.path`` through the ``pythonpath`` pytest setting.)
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from browser_support import ConsoleErrors, launch_chromium


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium, shared by the whole test session."""
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page in its own browser context, so tests share no cookies or storage."""
    context = browser.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def console_errors(page: Page) -> ConsoleErrors:
    """Records the page's console errors; call ``assert_none()`` to check."""
    return ConsoleErrors(page)
