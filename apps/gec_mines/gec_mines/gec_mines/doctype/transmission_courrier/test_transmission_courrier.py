"""A forward (Transmission Courrier) is written through its mail; only its recipient reads it."""

import frappe

from gec_mines.tests.utils import GECTestCase, as_user, make_courrier, make_gec_users


class TestTransmissionCourrier(GECTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.users = make_gec_users("transmission")
		with as_user(cls.users["agent"]):
			cls.mail = make_courrier(objet="Lettre à transmettre").name

	def test_a_forward_opens_the_mail_to_its_recipient_who_marks_it_read(self):
		recipient = self.users["gest_tech"]
		with as_user(self.users["agent"]):
			frappe.get_doc("Courrier", self.mail).transmettre(recipient, "Pour information")
		with as_user(recipient):
			self.assertTrue(frappe.has_permission("Courrier", "read", doc=self.mail))
		with as_user(self.users["agent2"]):
			frappe.get_doc("Courrier", self.mail).marquer_lu()  # someone else's forward stays unread
		self.assertEqual(frappe.db.get_value("Transmission Courrier", {"courrier": self.mail}, "lu"), 0)
		with as_user(recipient):
			frappe.get_doc("Courrier", self.mail).marquer_lu()
		self.assertEqual(frappe.db.get_value("Transmission Courrier", {"courrier": self.mail}, "lu"), 1)

	def test_nobody_writes_a_forward_directly(self):
		with as_user(self.users["agent"]), self.assertRaises(frappe.PermissionError):
			frappe.get_doc(
				{
					"doctype": "Transmission Courrier",
					"courrier": self.mail,
					"destinataire": self.users["gest_seul"],
					"transmis_par": self.users["sg"],
				}
			).insert()
		frappe.clear_messages()
		self.assertFalse(
			frappe.db.exists(
				"Transmission Courrier", {"courrier": self.mail, "destinataire": self.users["gest_seul"]}
			)
		)
