"""The legacy activity log (Journal Legacy GEC) is history: read by the administrator and the
auditor, written by the import only."""

import frappe

from gec_mines.tests.utils import GECTestCase, as_user, make_gec_users


class TestJournalLegacyGEC(GECTestCase):
	def test_it_is_read_by_the_administrator_and_the_auditor_and_written_by_nobody(self):
		users = make_gec_users("journal-legacy")
		for key in ("admin", "auditeur"):
			with as_user(users[key]):
				self.assertTrue(frappe.has_permission("Journal Legacy GEC", "read"), key)
		for key in users:
			with as_user(users[key]):
				for ptype in ("create", "write", "delete"):
					self.assertFalse(frappe.has_permission("Journal Legacy GEC", ptype), f"{key} {ptype}")
		for key in ("agent", "sg", "chef_jur", "gest_jur"):
			with as_user(users[key]):
				self.assertFalse(frappe.has_permission("Journal Legacy GEC", "read"), key)
