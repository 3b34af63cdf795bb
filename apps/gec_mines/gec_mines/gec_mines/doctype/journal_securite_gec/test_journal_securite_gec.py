"""The security journal is written by the server and never changed nor deleted."""

import frappe

from gec_mines.securite.journal import journal
from gec_mines.tests.utils import GECTestCase


class TestJournalSecuriteGEC(GECTestCase):
	def test_a_record_is_never_changed_nor_deleted(self):
		journal("Accès refusé", details="essai du journal")
		name = frappe.db.get_value("Journal Securite GEC", {"details": "essai du journal"}, "name")
		record = frappe.get_doc("Journal Securite GEC", name)
		record.details = "réécrit"
		with self.assertRaises(frappe.PermissionError):
			record.save(ignore_permissions=True)
		with self.assertRaises(frappe.PermissionError):
			frappe.delete_doc("Journal Securite GEC", name, ignore_permissions=True)
		frappe.clear_messages()
		self.assertEqual(frappe.db.get_value("Journal Securite GEC", name, "details"), "essai du journal")
