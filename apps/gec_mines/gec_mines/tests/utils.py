"""Factories and hooks shared by the integration tests."""

import base64

import frappe

from gec_mines.install import complete_setup

try:  # Frappe v16
	from frappe.tests import IntegrationTestCase as GECTestCase
except ImportError:  # Frappe v15
	from frappe.tests.utils import FrappeTestCase as GECTestCase  # noqa: F401

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = base64.b64decode(
	"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def before_tests():
	complete_setup()
	frappe.db.commit()  # nosemgrep: test bootstrap


def make_user(email: str, roles: list[str], departement: str | None = None) -> str:
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": email.split("@")[0],
				"send_welcome_email": 0,
				"language": "fr",
				"gec_departement": departement,
			}
		)
		user.insert(ignore_permissions=True)
	user = frappe.get_doc("User", email)
	user.add_roles(*roles)
	return email


def upload(content: bytes = PDF, file_name: str = "lettre.pdf", attached_to: str | None = None, is_private: int = 1):
	"""A File attached to a courrier (or to the temporary name of one being registered)."""
	return frappe.get_doc(
		{
			"doctype": "File",
			"file_name": file_name,
			"content": content,
			"is_private": is_private,
			"attached_to_doctype": "Courrier",
			"attached_to_name": attached_to or "new-courrier-" + frappe.generate_hash(length=8),
			"attached_to_field": "fichier",
		}
	).insert()


def make_courrier(direction: str = "Entrant", attach: bytes = PDF, file_name: str = "lettre.pdf", **values):
	file = upload(attach, file_name)
	doc = frappe.get_doc(
		{
			"doctype": "Courrier",
			"type_courrier": direction,
			"objet": "Demande de renouvellement du permis d'exploitation",
			"fichier": file.file_url,
			**(
				{"expediteur": "Kamoto Copper Company SA", "copie_sg": "Non"}
				if direction == "Entrant"
				else {
					"destinataire": "Division provinciale des Mines du Lualaba",
					"date_redaction": frappe.utils.today(),
					"type_document": "Lettre officielle",
				}
			),
			**values,
		}
	)
	doc.set("__temporary_name", file.attached_to_name)
	return doc.insert()
