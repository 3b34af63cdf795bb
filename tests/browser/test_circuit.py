"""The Circuit du Courrier in the desk, as its people live it.

The desk registers a letter and sends it to the SG, the SG routes it to Juridique with a
deadline, the head assigns it, the Gestionnaire drafts a reply, the SG approves it, the desk
dispatches it, and both mails end classed; a Gestionnaire of another department never sees either.
"""

import os
import re
import uuid
from pathlib import Path

from conftest import context_options, login
from playwright.sync_api import expect

CLERK = "agent.navigateur@example.com"
SG = "sg.navigateur@example.com"
CHEF = "chef.jur.navigateur@example.com"
GEST = "gest.jur.navigateur@example.com"
OTHER = "gest.tech.navigateur@example.com"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def field(page, fieldname: str, tag: str = "input"):
	return page.locator(f'.frappe-control[data-fieldname="{fieldname}"] {tag}:visible').first


class Desk:
	"""One browser context per person, as if each sat at their own computer."""

	def __init__(self, browser, base_url: str, shots):
		self.browser, self.base_url, self.shots = browser, base_url, shots
		self.context = None

	def as_user(self, user: str):
		if self.context:
			self.context.close()
		self.context = self.browser.new_context(**context_options())
		page = self.context.new_page()
		page.set_default_timeout(30_000)
		login(page, self.base_url, user, os.environ["GEC_PASSWORD"])
		self.page = page
		return page

	def screenshot(self, name: str):
		self.page.screenshot(path=str(self.shots / f"{name}.png"), full_page=True)


def open_mail(page, base_url: str, name: str):
	page.goto(f"{base_url}/app/courrier/{name}")
	expect(page.locator(".page-title .title-text")).to_be_visible()
	page.wait_for_function("(n) => window.cur_frm && cur_frm.doc && cur_frm.doc.name === n", arg=name)


def state(page) -> str:
	return page.evaluate("() => cur_frm.doc.workflow_state")


def workflow_action(page, action: str, expected_state: str):
	"""Click `action` in the form's workflow Actions menu and wait for the new state."""
	page.locator(".page-actions .actions-btn-group > button").click()
	page.locator(".page-actions .actions-btn-group .dropdown-item", has_text=action).first.click()
	page.wait_for_function("(s) => cur_frm.doc.workflow_state === s", arg=expected_state)


def custom_button(page, group: str, label: str):
	page.locator(".inner-group-button", has_text=group).locator("button").first.click()
	page.locator(".inner-group-button .dropdown-item", has_text=label).first.click()


def attach_main_file(page, tmp_path, name: str):
	scan = tmp_path / name
	scan.write_bytes(PDF)
	page.locator('.frappe-control[data-fieldname="fichier"] button:visible').first.click()
	page.locator(".file-uploader input[type=file]").set_input_files(str(scan))
	page.locator(".modal.show .btn-modal-primary").click()


def fill_link_in_dialog(page, fieldname: str, value: str):
	box = page.locator(f'.modal.show .frappe-control[data-fieldname="{fieldname}"] input').first
	box.fill(value)
	box.press("Tab")  # the link is checked on blur
	page.wait_for_function("([f, v]) => cur_dialog && cur_dialog.get_value(f) === v", arg=[fieldname, value])


def test_the_whole_circuit_in_the_desk(browser, base_url, tmp_path):
	sender = f"Société minière du Kasaï {uuid.uuid4().hex[:6]}"
	desk = Desk(browser, base_url, Path(os.environ.get("GEC_SCREENSHOTS", "/tmp")))
	try:
		walk_through(desk, base_url, tmp_path, sender)
	finally:
		desk.screenshot("test_the_whole_circuit_in_the_desk")
		desk.context.close()


def walk_through(desk, base_url, tmp_path, sender):
	# 1. The desk registers the letter and sends it to the SG.
	page = desk.as_user(CLERK)
	page.goto(f"{base_url}/app/courrier/new")
	field(page, "objet", "textarea").fill("Demande de renouvellement du permis de recherche")
	field(page, "expediteur").fill(sender)
	field(page, "copie_sg", "select").select_option("Oui")
	attach_main_file(page, tmp_path, "demande.pdf")
	page.wait_for_url(re.compile(r".*/app/courrier/GEC-E-\d{4}-\d{5}$"))
	incoming = page.url.rsplit("/", 1)[1]
	open_mail(page, base_url, incoming)
	assert state(page) == "Enregistré"
	workflow_action(page, "Transmettre au SG", "Chez le SG")

	# 2. The SG fills the routing slip (Juridique, with a deadline) and routes the mail.
	page = desk.as_user(SG)
	open_mail(page, base_url, incoming)
	page.evaluate(
		"""() => {
			cur_frm.add_child("imputations", {departement: "JUR", instruction: "Attribution",
				date_echeance: frappe.datetime.add_days(frappe.datetime.get_today(), 10), note: "Avis juridique"});
			return cur_frm.save();
		}"""
	)
	page.wait_for_function("() => !cur_frm.is_dirty() && (cur_frm.doc.imputations || []).length === 1")
	workflow_action(page, "Imputer", "Imputé")
	assert page.evaluate("() => cur_frm.doc.departement") == "JUR"

	# 3. The head of Juridique assigns it to a Gestionnaire.
	page = desk.as_user(CHEF)
	open_mail(page, base_url, incoming)
	custom_button(page, "Suivi", "Assigner")
	fill_link_in_dialog(page, "utilisateur", GEST)
	page.locator(".modal.show .btn-modal-primary").click()
	page.wait_for_function("() => cur_frm.doc.workflow_state === 'En traitement'")

	# 4. The Gestionnaire drafts the reply and submits it.
	page = desk.as_user(GEST)
	open_mail(page, base_url, incoming)
	custom_button(page, "Suivi", "Rédiger une réponse")
	page.wait_for_function(
		"(n) => window.cur_frm && cur_frm.is_new() && cur_frm.doc.en_reponse_a === n", arg=incoming
	)
	page.evaluate("() => cur_frm.set_value('type_document', 'Lettre officielle')")
	page.evaluate("() => cur_frm.set_value('date_redaction', frappe.datetime.get_today())")
	attach_main_file(page, tmp_path, "reponse.pdf")
	page.wait_for_url(re.compile(r".*/app/courrier/GEC-S-\d{4}-\d{5}$"))
	reply = page.url.rsplit("/", 1)[1]
	open_mail(page, base_url, reply)
	assert state(page) == "Brouillon"
	workflow_action(page, "Soumettre pour validation", "En validation")

	# 5. The SG approves it.
	page = desk.as_user(SG)
	open_mail(page, base_url, reply)
	workflow_action(page, "Valider", "Validé")

	# 6. The desk dispatches it (date and mode asked for), then classes both mails.
	page = desk.as_user(CLERK)
	open_mail(page, base_url, reply)
	page.locator(".page-actions .actions-btn-group > button").click()
	page.locator(".page-actions .actions-btn-group .dropdown-item", has_text="Expédier").first.click()
	page.locator('.modal.show .frappe-control[data-fieldname="mode_envoi"] select').select_option("Porteur")
	page.locator(".modal.show .btn-modal-primary").click()
	page.wait_for_function("() => cur_frm.doc.workflow_state === 'Expédié'")
	workflow_action(page, "Classer", "Classé")
	open_mail(page, base_url, incoming)
	assert state(page) == "Traité", "dispatching the reply ends the processing of the incoming mail"
	workflow_action(page, "Classer", "Classé")

	# 7. A Gestionnaire of another department sees neither mail, in the form or in the list.
	page = desk.as_user(OTHER)
	for name in (incoming, reply):
		page.goto(f"{base_url}/app/courrier/{name}")
		expect(page.locator("body")).to_contain_text(re.compile("Permission|autorisation|accès", re.I))
	page.goto(f"{base_url}/app/courrier")
	search = page.locator('.page-form .frappe-control[data-fieldname="texte_recherche"] input')
	search.fill(sender.split()[-1])
	search.press("Enter")
	expect(page.locator(".list-row-container")).to_have_count(0)
