"""The security journal's PDF export: auditors and administrators only, filters applied."""

import frappe

from gec_mines.tests.test_accuse import download, pdf_text
from gec_mines.tests.utils import GECTestCase, as_user, make_gec_users

EXPORT = "gec_mines.api.registre.exporter_journal"


def journal_row(evenement: str, details: str, when: str, utilisateur: str = "Administrator") -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Journal Securite GEC",
				"horodatage": when,
				"evenement": evenement,
				"categorie": "Sécurité",
				"utilisateur": utilisateur,
				"adresse_ip": "10.9.8.7",
				"details": details,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


class TestJournalExport(GECTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.users = make_gec_users("journal")
		journal_row("Échec de connexion", "Essai journal-export-mars", "2025-03-04 10:15:00")
		journal_row("Compte bloqué", "Blocage journal-export-avril", "2025-04-10 08:00:00")

	def test_an_auditor_gets_the_pdf_with_the_period_filtered(self):
		with as_user(self.users["auditeur"]):
			content, meta = download(EXPORT, from_date="2025-03-01", to_date="2025-03-31")
		self.assertEqual(meta["type"], "pdf")
		self.assertTrue(content.startswith(b"%PDF"))
		text = pdf_text(content)
		self.assertIn("journal-export-mars", text)
		self.assertIn("10.9.8.7", text)
		self.assertNotIn("journal-export-avril", text)
		self.assertRegex(text, r"(Page|page) 1 (of|sur) \d+")

	def test_an_administrator_filters_by_event(self):
		with as_user(self.users["admin"]):
			content, _meta = download(EXPORT, evenement="Compte bloqué")
		text = pdf_text(content)
		self.assertIn("journal-export-avril", text)
		self.assertNotIn("journal-export-mars", text)

	def test_a_gestionnaire_is_refused(self):
		with as_user(self.users["gest_jur"]), self.assertRaises(frappe.PermissionError):
			download(EXPORT)

	def test_the_endpoint_is_get_only_and_rate_limited(self):
		fn = frappe.get_attr(EXPORT)
		self.assertEqual(frappe.allowed_http_methods_for_whitelisted_func[fn], ["GET"])
		self.assertTrue(fn.gec_limite)
