"""`bench --site SITE gec-demo-data --count N` fills the registry like a real one."""

import frappe

from gec_mines.setup.demo import create_demo_data
from gec_mines.tests.utils import GECTestCase, make_courrier


class TestDemoData(GECTestCase):
	def test_demo_mail_is_numbered_like_real_mail_and_each_has_its_scan(self):
		before = set(frappe.get_all("Courrier", pluck="name"))
		self.assertEqual(create_demo_data(60, seed=7), 60)
		created = frappe.get_all(
			"Courrier",
			filters={"name": ["not in", list(before) or [""]]},
			fields=[
				"name",
				"type_courrier",
				"objet",
				"expediteur",
				"destinataire",
				"fichier",
				"texte_recherche",
			],
		)
		self.assertEqual(len(created), 60)
		for mail in created:
			self.assertRegex(mail.name, r"^GEC-[ES]-\d{4}-\d{5}$")
			self.assertEqual(mail.name.startswith("GEC-E"), mail.type_courrier == "Entrant")
			self.assertTrue(mail.objet)
			self.assertTrue(mail.expediteur if mail.type_courrier == "Entrant" else mail.destinataire)
			self.assertIn(mail.name, mail.texte_recherche)
			self.assertTrue(
				frappe.db.exists(
					"File",
					{
						"attached_to_doctype": "Courrier",
						"attached_to_name": mail.name,
						"file_url": mail.fichier,
					},
				)
			)
		self.assertTrue(frappe.db.exists("User", "agent.courrier@gec-mines.local"))

	def test_registration_continues_after_the_demo_numbers(self):
		create_demo_data(5, seed=11)
		this_year = frappe.utils.now_datetime().year
		highest = frappe.db.sql(
			"select max(name) from `tabCourrier` where name like %s", (f"GEC-E-{this_year}-%",)
		)[0][0]
		courrier = make_courrier()
		if highest:
			self.assertGreater(courrier.name, highest)
