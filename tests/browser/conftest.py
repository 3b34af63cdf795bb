"""Playwright driving Debian's Chromium against the test site served by `bench serve`."""

import os
import random
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


# The browser signs in from an address of its own (Frappe reads X-Forwarded-For): sign-in counters
# that the integration tests left for 127.0.0.1 must not lock it out.
BROWSER_ADDRESS = f"192.0.2.{random.randint(1, 254)}"


def context_options() -> dict:
	return {
		"locale": "fr-FR",
		"viewport": {"width": 1400, "height": 900},
		"extra_http_headers": {"X-Forwarded-For": BROWSER_ADDRESS},
	}


@pytest.fixture(scope="session")
def base_url() -> str:
	return os.environ["GEC_URL"]


@pytest.fixture(scope="session")
def browser():
	with sync_playwright() as playwright:
		browser = playwright.chromium.launch(
			executable_path=os.environ.get("GEC_CHROMIUM", "/usr/bin/chromium"),
			headless=True,
			args=CHROMIUM_FLAGS,
		)
		yield browser
		browser.close()


@pytest.fixture
def page(browser, request):
	context = browser.new_context(**context_options())
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
