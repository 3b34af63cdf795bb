"""Playwright driving Debian's Chromium against the test site served by `bench serve`."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM_FLAGS = [
	"--no-sandbox",
	"--disable-gpu",
	"--disable-quic",
	"--no-first-run",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
]


@pytest.fixture(scope="session")
def base_url() -> str:
	return os.environ["GEC_URL"]


@pytest.fixture(scope="session")
def browser():
	with sync_playwright() as playwright:
		browser = playwright.chromium.launch(
			executable_path=os.environ.get("GEC_CHROMIUM", "/usr/bin/chromium"), headless=True, args=CHROMIUM_FLAGS
		)
		yield browser
		browser.close()


@pytest.fixture
def page(browser, request):
	context = browser.new_context(locale="fr-FR", viewport={"width": 1400, "height": 900})
	page = context.new_page()
	page.set_default_timeout(30_000)
	yield page
	shots = Path(os.environ.get("GEC_SCREENSHOTS", "/tmp"))
	page.screenshot(path=str(shots / f"{request.node.name}.png"), full_page=True)
	context.close()


def login(page, base_url: str, user: str, password: str):
	page.goto(f"{base_url}/login")
	page.fill("#login_email", user)
	page.fill("#login_password", password)
	page.click(".btn-login")
	page.wait_for_url("**/app/**")
