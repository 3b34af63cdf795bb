"""A routing line (Imputation Courrier) is read with its mail, even opened alone by its name."""

import frappe

from gec_mines.tests.utils import GECTestCase, as_user, make_courrier, make_gec_users, route


class TestImputationCourrier(GECTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.users = make_gec_users("imputation")
		with as_user(cls.users["agent"]):
			cls.mail = make_courrier(objet="Lettre imputée", confidentialite="Confidentiel").name
		route(cls.mail, cls.users["sg"], cls.users["agent"], {"departement": "JUR", "note": "Urgent"})
		cls.line = frappe.db.get_value("Imputation Courrier", {"parent": cls.mail}, "name")

	def test_a_line_opened_alone_follows_its_mail(self):
		for key, allowed in (("chef_jur", True), ("sg", True), ("chef_tech", False), ("gest_jur", False)):
			with as_user(self.users[key]):
				self.assertEqual(
					frappe.get_doc("Imputation Courrier", self.line).has_permission("read"), allowed, key
				)

	def test_the_routing_slip_stamps_who_routed_and_when(self):
		row = frappe.db.get_value("Imputation Courrier", self.line, ["impute_par", "impute_le"], as_dict=True)
		self.assertEqual(row.impute_par, self.users["sg"])
		self.assertTrue(row.impute_le)
