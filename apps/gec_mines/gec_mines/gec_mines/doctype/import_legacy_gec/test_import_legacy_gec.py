"""The import's bookkeeping (Import Legacy GEC): one row per legacy record, written by the import."""

import frappe

from gec_mines.tests.utils import GECTestCase, as_user, make_gec_users


class TestImportLegacyGEC(GECTestCase):
	def test_one_row_per_legacy_record_written_by_the_import_only(self):
		row = {
			"doctype": "Import Legacy GEC",
			"table_legacy": "courrier",
			"cle_legacy": "42",
			"doctype_cible": "Courrier",
			"nom_cible": "GEC-2020-00042",
		}
		frappe.get_doc(row).insert(ignore_permissions=True)
		self.assertTrue(frappe.db.exists("Import Legacy GEC", "courrier:42"))
		with self.assertRaises(frappe.DuplicateEntryError):
			frappe.get_doc(row).insert(ignore_permissions=True)
		frappe.clear_messages()
		users = make_gec_users("import-legacy")
		for key in users:
			with as_user(users[key]):
				for ptype in ("create", "write", "delete"):
					self.assertFalse(frappe.has_permission("Import Legacy GEC", ptype), f"{key} {ptype}")
