"""A registry clerk registers an incoming letter with its PDF and finds it again."""

import os
import re
import uuid

from conftest import login
from playwright.sync_api import expect

CLERK = "agent.navigateur@example.com"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def field(page, fieldname: str, tag: str = "input"):
	return page.locator(f'.frappe-control[data-fieldname="{fieldname}"] {tag}').first


def test_clerk_registers_an_incoming_letter_and_finds_it_by_sender(page, base_url, tmp_path):
	sender = f"Coopérative minière Essai {uuid.uuid4().hex[:6]}"
	scan = tmp_path / "lettre-entrante.pdf"
	scan.write_bytes(PDF)

	login(page, base_url, CLERK, os.environ["GEC_PASSWORD"])
	page.goto(f"{base_url}/app/courrier/new")
	field(page, "objet", "textarea").fill("Demande d'autorisation d'exploitation artisanale")
	field(page, "expediteur").fill(sender)
	field(page, "numero_reference").fill("COOP/2026/017")
	field(page, "copie_sg", "select").select_option("Oui")

	page.locator('.frappe-control[data-fieldname="fichier"] button').first.click()
	page.locator(".file-uploader input[type=file]").set_input_files(str(scan))
	page.locator(".modal.show .btn-modal-primary").click()

	page.wait_for_url(re.compile(r".*/app/courrier/GEC-E-\d{4}-\d{5}$"))
	number = page.url.rsplit("/", 1)[1]
	page.wait_for_selector('.frappe-control[data-fieldname="fichier"] a[href*="/private/files/"]')

	page.goto(f"{base_url}/app/courrier")
	search = page.locator('.page-form .frappe-control[data-fieldname="texte_recherche"] input')
	search.fill(sender.split()[-1])
	search.press("Enter")
	expect(page.locator(".list-row-container")).to_have_count(1)
	row = page.locator(".list-row-container", has_text=number)
	expect(row).to_contain_text("Demande d'autorisation")
