"""Types, statuses, departments and settings guard themselves."""

import base64
import io

import frappe
from PIL import Image

from gec_mines.core.referentiels import DEPARTEMENTS, STATUTS, TYPES
from gec_mines.setup.install import after_migrate
from gec_mines.tests.utils import GECTestCase, make_courrier


class TestMasterData(GECTestCase):
	def test_seeded_like_the_legacy_registry(self):
		self.assertEqual(
			set(frappe.get_all("Statut Courrier", pluck="name"))
			>= {"URGENT", "RECU", "EN_COURS", "TRAITE", "ARCHIVE"},
			True,
		)
		outgoing = frappe.get_all(
			"Type Courrier", filters={"direction": ["in", ["Sortant", "Entrant et sortant"]]}, pluck="name"
		)
		for legacy in (
			"Note circulaire",
			"Note télégramme",
			"Lettre officielle",
			"Mémorandum",
			"Convocation",
			"Rapport",
			"Note de service",
			"Autre",
		):
			self.assertIn(legacy, outgoing)
		self.assertEqual(
			{"ADM", "JUR", "TECH", "FIN", "SG"} <= set(frappe.get_all("Departement", pluck="name")), True
		)

	def test_migrating_twice_changes_nothing(self):
		after_migrate()
		counts = [frappe.db.count(d) for d in ("Statut Courrier", "Type Courrier", "Departement")]
		after_migrate()
		self.assertEqual(
			counts, [frappe.db.count(d) for d in ("Statut Courrier", "Type Courrier", "Departement")]
		)
		self.assertGreaterEqual(counts, [len(STATUTS), len(TYPES), len(DEPARTEMENTS)])

	def test_a_status_in_use_cannot_be_deleted(self):
		make_courrier(statut="TRAITE")
		with self.assertRaises(frappe.LinkExistsError):
			frappe.delete_doc("Statut Courrier", "TRAITE")

	def test_an_unused_status_can_be_deleted_and_codes_are_normalised(self):
		statut = frappe.get_doc(
			{"doctype": "Statut Courrier", "code": "en attente", "libelle": "En attente", "couleur": "orange"}
		)
		statut.insert()
		self.assertEqual(statut.name, "EN_ATTENTE")
		frappe.delete_doc("Statut Courrier", "EN_ATTENTE")
		with self.assertRaises(frappe.ValidationError):
			frappe.get_doc(
				{"doctype": "Statut Courrier", "code": "9 ABC", "libelle": "x", "couleur": "red"}
			).insert()

	def test_a_type_in_use_cannot_be_deleted(self):
		make_courrier(type_document="Réclamation")
		with self.assertRaises(frappe.LinkExistsError):
			frappe.delete_doc("Type Courrier", "Réclamation")

	def test_department_codes_and_parents(self):
		code = "c" + frappe.generate_hash(length=4).lower()  # a site reused between runs keeps data
		dept = frappe.get_doc(
			{"doctype": "Departement", "nom": f"Cellule des mines artisanales {code}", "code": code}
		).insert()
		self.assertEqual(dept.name, code.upper())
		dept.departement_parent = code.upper()
		with self.assertRaises(frappe.ValidationError):
			dept.save()
		with self.assertRaises(frappe.ValidationError):
			frappe.get_doc(
				{"doctype": "Departement", "nom": "Code trop long", "code": "ABCDEFGHIJK"}
			).insert()


class TestSettingsLogo(GECTestCase):
	def attach(self, content: bytes, name: str) -> str:
		return (
			frappe.get_doc(
				{
					"doctype": "File",
					"file_name": name,
					"content": content,
					"is_private": 0,
					"attached_to_doctype": "GEC Settings",
					"attached_to_name": "GEC Settings",
					"attached_to_field": "logo",
				}
			)
			.insert()
			.file_url
		)

	def test_large_logo_is_shrunk(self):
		buffer = io.BytesIO()
		Image.new("RGB", (2400, 1200), "navy").save(buffer, format="PNG")
		settings = frappe.get_doc("GEC Settings")
		settings.logo = self.attach(buffer.getvalue(), "grand-logo.png")
		settings.save()
		file = frappe.get_doc("File", {"file_url": settings.logo})
		with Image.open(file.get_full_path()) as image:
			self.assertEqual(max(image.size), 800)

	def test_a_logo_that_is_not_an_image_is_refused(self):
		settings = frappe.get_doc("GEC Settings")
		settings.logo = self.attach(base64.b64encode(b"not an image at all") + b"\x00\xff", "faux-logo.png")
		with self.assertRaises(frappe.ValidationError):
			settings.save()
