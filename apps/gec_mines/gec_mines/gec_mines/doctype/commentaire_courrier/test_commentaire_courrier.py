"""A typed comment (Commentaire Courrier) is written through its mail, never directly."""

import frappe

from gec_mines.tests.utils import GECTestCase, as_user, assigned_incoming, make_gec_users


class TestCommentaireCourrier(GECTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.users = make_gec_users("commentaire")
		cls.mail = assigned_incoming(cls.users, "Demande commentée")

	def test_the_mail_writes_the_comment_with_its_author(self):
		with as_user(self.users["gest_jur"]):
			frappe.get_doc("Courrier", self.mail).commenter("Annotation", "Pièces complètes")
		rows = frappe.get_all(
			"Commentaire Courrier",
			filters={"courrier": self.mail, "texte": "Pièces complètes"},
			fields=["auteur", "type_commentaire"],
		)
		self.assertEqual(rows, [{"auteur": self.users["gest_jur"], "type_commentaire": "Annotation"}])

	def test_a_reader_of_the_mail_cannot_write_or_change_one_directly(self):
		with as_user(self.users["chef_jur"]):
			with self.assertRaises(frappe.PermissionError):
				frappe.get_doc(
					{
						"doctype": "Commentaire Courrier",
						"courrier": self.mail,
						"type_commentaire": "Instruction",
						"texte": "Signé par le SG",
						"auteur": self.users["sg"],
					}
				).insert()
			frappe.clear_messages()
			frappe.get_doc("Courrier", self.mail).commenter("Commentaire", "Premier avis")
			comment = frappe.get_last_doc("Commentaire Courrier", filters={"courrier": self.mail})
			comment.texte = "Avis réécrit"
			with self.assertRaises(frappe.PermissionError):
				comment.save()
		frappe.clear_messages()
		self.assertFalse(frappe.db.exists("Commentaire Courrier", {"auteur": self.users["sg"]}))
		self.assertEqual(frappe.db.get_value("Commentaire Courrier", comment.name, "texte"), "Premier avis")
