"""The registry desk prints a receipt from a courrier and opens it; the workspace shows its figures."""

import os
import re
import uuid

from conftest import login
from playwright.sync_api import expect

CLERK = "agent.navigateur@example.com"
PDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def register(page, sender: str) -> str:
	"""Register an incoming letter through the registration endpoint, from the logged-in desk."""
	return page.evaluate(
		"""async ([pdf, sender]) => {
			const form = new FormData();
			form.append("type_courrier", "Entrant");
			form.append("objet", "Demande d'autorisation de transport de minerais");
			form.append("expediteur", sender);
			form.append("numero_reference", "TRANS/2026/044");
			form.append("copie_sg", "Non");
			form.append("fichier", new Blob([pdf], { type: "application/pdf" }), "lettre.pdf");
			const response = await fetch("/api/method/gec_mines.api.courrier.enregistrer", {
				method: "POST",
				headers: { "X-Frappe-CSRF-Token": frappe.csrf_token },
				body: form,
			});
			return (await response.json()).message.name;
		}""",
		[PDF, sender],
	)


def fetch(page, url: str) -> tuple[int, str, str]:
	"""Status, content type and first bytes of `url`, fetched by the browser with its session."""
	return tuple(
		page.evaluate(
			"""async (url) => {
				const response = await fetch(url);
				const head = new TextDecoder().decode((await response.arrayBuffer()).slice(0, 4));
				return [response.status, response.headers.get("content-type").split(";")[0], head];
			}""",
			url,
		)
	)


def test_clerk_prints_the_receipt_of_a_courrier_and_opens_it(page, base_url):
	sender = f"Transports miniers Essai {uuid.uuid4().hex[:6]}"
	login(page, base_url, CLERK, os.environ["GEC_PASSWORD"])
	number = register(page, sender)
	assert re.fullmatch(r"GEC-E-\d{4}-\d{5}", number), number

	page.goto(f"{base_url}/app/courrier/{number}")
	page.locator(".page-actions button:has(use[href='#icon-printer'])").first.click()
	page.wait_for_url(re.compile(r".*/app/print/Courrier/.*"))
	chooser = page.locator('.frappe-control[data-fieldname="print_format"] input')
	chooser.fill("Accusé de réception")
	page.get_by_role("option").filter(has_text="Accusé de réception").first.click()
	receipt = page.frame_locator("iframe.print-format-container").locator(".gec-accuse")
	expect(receipt).to_contain_text(number)
	expect(receipt).to_contain_text(sender)
	expect(receipt.locator(".gec-qr svg")).to_have_count(1)

	# Opening it: the official PDF receipt, A4 and the counter's A5.
	for size in ("A4", "A5"):
		status, kind, head = fetch(
			page, f"/api/method/gec_mines.api.accuse_reception?name={number}&format={size}"
		)
		assert (status, kind, head) == (200, "application/pdf", "%PDF"), (size, status, kind, head)


def test_the_workspace_shows_its_cards_filled(page, base_url):
	login(page, base_url, CLERK, os.environ["GEC_PASSWORD"])
	register(page, f"Coopérative Essai {uuid.uuid4().hex[:6]}")

	page.goto(f"{base_url}/app/mail")
	cards = page.locator(".number-widget-box")
	expect(cards).to_have_count(7)
	today = cards.filter(has_text=re.compile("Enregistrés aujourd'hui|Registered Today"))
	expect(today.locator(".number")).to_have_text(re.compile(r"^[1-9]\d*$"))
	for i in range(7):
		expect(cards.nth(i).locator(".number")).to_have_text(re.compile(r"^\d+$"))
	expect(
		page.locator(".dashboard-widget-box .chart-container svg, .dashboard-widget-box .frappe-chart").first
	).to_be_visible()
