"""The access rule written once, and the rights on the fields and records it stands on."""

import json

import frappe
from frappe.utils import add_days, getdate

from gec_mines.permissions import can_read, conditions_courrier
from gec_mines.permissions.cloture import hidden_from
from gec_mines.permissions.regle import branches
from gec_mines.tests.utils import (
	GECTestCase,
	as_user,
	assigned_incoming,
	call_api,
	make_courrier,
	make_gec_users,
	route,
	upload,
)

LEVELS = ("Normal", "Confidentiel", "Secret")


class TestRegleUnique(GECTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.users = make_gec_users("regle")
		u = cls.users
		cls.mails = []
		for level in LEVELS:
			with as_user(u["agent"]):
				name = make_courrier(confidentialite=level, objet=f"Règle {level}").name
			if level != "Secret":
				route(name, u["sg"], u["agent"], {"departement": "JUR"})
			cls.mails.append(name)
		cls.mails.append(assigned_incoming(u, "Règle assignée"))

	def test_one_document_and_the_list_give_the_same_answer_for_every_user(self):
		"""The one-document check is the list's criterion plus the name: they cannot disagree."""
		for key, user in self.users.items():
			with as_user(user):
				listed = set(frappe.get_list("Courrier", filters={"name": ["in", self.mails]}, pluck="name"))
				one_by_one = {name for name in self.mails if can_read(name)}
			self.assertEqual(listed, one_by_one, key)

	def test_the_desks_list_asked_branch_by_branch_gives_what_the_whole_rule_gives(self):
		"""The list endpoints ask each branch of the rule apart (gec_mines.overrides.reportview): the
		pages and the count must be those of the whole rule, for every profile, page after page."""
		filters = [["Courrier", "name", "in", self.mails]]
		for key, user in self.users.items():
			with self.subTest(user=key), as_user(user):
				expected = frappe.get_list(
					"Courrier", filters=filters, pluck="name", order_by="creation desc"
				)
				pages = []
				for start in range(0, len(self.mails), 2):
					page = call_api(
						"frappe.desk.reportview.get",
						"POST",
						doctype="Courrier",
						fields=json.dumps(["`tabCourrier`.`name`"]),
						filters=json.dumps(filters),
						order_by="`tabCourrier`.`creation` desc",
						start=start,
						page_length=2,
					)
					pages += [row[0] for row in (page or {}).get("values", [])]
				count = call_api(
					"frappe.desk.reportview.get_count",
					"POST",
					doctype="Courrier",
					filters=json.dumps(filters),
					limit=1001,
				)
				self.assertEqual(pages, expected)
				self.assertEqual(count, len(expected))

	def test_the_rule_is_the_or_of_its_branches(self):
		with as_user(self.users["gest_jur"]):
			parts = branches()
			whole = conditions_courrier()
		self.assertGreater(len(parts), 2)
		for part in parts:
			self.assertIn(part.get_sql(with_namespace=True, quote_char="`"), whole)
		with as_user(self.users["sg"]):
			self.assertIsNone(branches())

	def test_the_sql_condition_is_the_criterion_of_the_query_builder(self):
		with as_user(self.users["gest_tech"]):
			condition = conditions_courrier()
		self.assertIn("`tabCourrier`.`confidentialite`='Normal'", condition)
		self.assertIn("`tabImputation Courrier`", condition)
		self.assertNotIn("%s", condition)

	def test_a_name_that_is_not_stored_is_readable_by_nobody(self):
		with as_user(self.users["agent"]):
			self.assertFalse(can_read("GEC-0000-NOPE"))
			self.assertFalse(can_read(frappe.new_doc("Courrier")))
		with as_user(self.users["sg"]):
			self.assertFalse(can_read("GEC-0000-NOPE"))

	def test_a_client_built_new_copy_is_judged_as_the_stored_mail(self):
		secret = self.mails[2]
		forged = frappe.get_doc("Courrier", secret).as_dict()
		forged.update({"__islocal": 1, "confidentialite": "Normal", "departement": "TECH"})
		with as_user(self.users["chef_tech"]):
			self.assertFalse(frappe.get_doc(forged).has_permission("read"))


class TestChampsDuServeur(GECTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.users = make_gec_users("champs")

	def registered(self, **values) -> str:
		with as_user(self.users["agent"]):
			return make_courrier(objet="Champs du serveur", **values).name

	def test_the_server_sets_what_it_owns_on_registration(self):
		with as_user(self.users["agent"]):
			doc = make_courrier(
				objet="Enregistrement forgé",
				date_enregistrement="2001-01-01 08:00:00",
				is_deleted=1,
				supprime_par=self.users["sg"],
				niveau_relance=4,
				en_attente=1,
				date_echeance="2001-01-05",
			)
		row = frappe.db.get_value(
			"Courrier",
			doc.name,
			["date_enregistrement", "is_deleted", "supprime_par", "niveau_relance", "en_attente"],
			as_dict=True,
		)
		self.assertEqual(getdate(row.date_enregistrement), getdate())
		self.assertEqual(
			(row.is_deleted, row.supprime_par, row.niveau_relance, row.en_attente), (0, None, 0, 0)
		)

	def test_a_clerk_cannot_back_date_or_trash_by_editing_the_fields(self):
		name = self.registered()
		for field, value in (
			("date_enregistrement", "2001-01-01 08:00:00"),
			("is_deleted", 1),
			("date_echeance", add_days(getdate(), 90)),
			("en_attente", 1),
			("departement", "TECH"),
		):
			before = frappe.db.get_value("Courrier", name, field)
			with as_user(self.users["agent"]):
				doc = frappe.get_doc("Courrier", name)
				doc.set(field, value)
				with self.assertRaises(frappe.PermissionError, msg=field) as caught:
					doc.save()
			frappe.clear_messages()
			self.assertIn(frappe.get_meta("Courrier").get_label(field), str(caught.exception), field)
			self.assertEqual(frappe.db.get_value("Courrier", name, field), before, field)

	def test_raising_the_level_is_allowed_and_lowering_it_is_a_declassification(self):
		name = self.registered(confidentialite="Normal")
		with as_user(self.users["agent"]):
			doc = frappe.get_doc("Courrier", name)
			doc.confidentialite = "Confidentiel"
			doc.save()
			doc.confidentialite = "Normal"
			with self.assertRaises(frappe.PermissionError):
				doc.save()
			frappe.clear_messages()
		self.assertEqual(frappe.db.get_value("Courrier", name, "confidentialite"), "Confidentiel")

		with as_user(self.users["chef_jur"]), self.assertRaises(frappe.PermissionError):
			frappe.get_doc("Courrier", name).changer_confidentialite("Normal", "Plus sensible")
		frappe.clear_messages()
		with as_user(self.users["sg"]):
			with self.assertRaises(frappe.MandatoryError):
				frappe.get_doc("Courrier", name).changer_confidentialite("Normal", "  ")
			frappe.clear_messages()
			frappe.get_doc("Courrier", name).changer_confidentialite("Normal", "Information devenue publique")
		self.assertEqual(frappe.db.get_value("Courrier", name, "confidentialite"), "Normal")
		journal = frappe.get_all(
			"Journal Securite GEC",
			filters={"evenement": "Déclassement", "courrier": name},
			fields=["utilisateur", "details", "confidentialite"],
		)
		self.assertEqual(len(journal), 1)
		self.assertEqual(journal[0].utilisateur, self.users["sg"])
		self.assertIn("Information devenue publique", journal[0].details)
		self.assertTrue(
			frappe.db.exists(
				"Comment",
				{"reference_name": name, "content": ["like", "%Information devenue publique%"]},
			)
		)

	def test_the_clerk_who_raises_a_mail_to_secret_saves_it_and_no_longer_sees_it(self):
		name = self.registered(confidentialite="Normal")
		with as_user(self.users["agent"]):
			doc = frappe.get_doc("Courrier", name)
			doc.confidentialite = "Secret"
			doc.save(ignore_version=False)  # Frappe writes the version as the clerk, after the save
			self.assertFalse(can_read(name))
		self.assertEqual(frappe.db.get_value("Courrier", name, "confidentialite"), "Secret")
		self.assertTrue(frappe.db.exists("Version", {"ref_doctype": "Courrier", "docname": name}))

	def test_a_reply_answers_only_mail_its_author_may_read(self):
		with as_user(self.users["agent"]):
			incoming = make_courrier(objet="Demande adressée au Juridique").name
		route(incoming, self.users["sg"], self.users["agent"], {"departement": "JUR"})
		with as_user(self.users["gest_tech"]), self.assertRaises(frappe.PermissionError) as caught:
			make_courrier("Sortant", objet="Réponse usurpée", en_reponse_a=incoming)
		frappe.clear_messages()
		self.assertNotIn("Demande adressée", str(caught.exception))
		self.assertFalse(frappe.db.exists("Courrier", {"en_reponse_a": incoming}))
		with as_user(self.users["gest_jur"]):
			make_courrier("Sortant", objet="Réponse du Juridique", en_reponse_a=incoming)
		self.assertTrue(frappe.db.exists("Courrier", {"en_reponse_a": incoming}))

	def test_a_user_does_not_choose_their_own_department(self):
		user = self.users["gest_tech"]
		with as_user(user):
			doc = frappe.get_doc("User", user)
			doc.gec_departement = "JUR"
			with self.assertRaises(frappe.PermissionError):
				doc.save()
		frappe.clear_messages()
		self.assertEqual(frappe.db.get_value("User", user, "gec_departement"), "TECH")
		with as_user(self.users["admin"]):
			doc = frappe.get_doc("User", user)
			doc.gec_departement = "JUR"
			doc.save(ignore_permissions=True)
		self.assertEqual(frappe.db.get_value("User", user, "gec_departement"), "JUR")
		frappe.db.set_value("User", user, "gec_departement", "TECH")


class TestRattaches(GECTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.users = make_gec_users("rattache")
		with as_user(cls.users["agent"]):
			cls.normal = make_courrier(objet="Pièce d'un autre département").name
		route(cls.normal, cls.users["sg"], cls.users["agent"], {"departement": "JUR"})

	def test_a_private_file_cannot_be_claimed_by_its_url(self):
		url = frappe.db.get_value("Courrier", self.normal, "fichier")
		rows = frappe.db.count("File", {"file_url": url})
		with as_user(self.users["gest_tech"]):
			self.assertFalse(can_read(self.normal))
			with self.assertRaises(frappe.PermissionError):
				frappe.get_doc({"doctype": "File", "file_url": url, "is_private": 1}).insert()
		frappe.clear_messages()
		self.assertEqual(frappe.db.count("File", {"file_url": url}), rows)

	def test_a_file_cannot_be_moved_to_another_mail(self):
		with as_user(self.users["agent"]):
			mine = make_courrier(objet="Ma pièce").name
			extra = upload(attached_to=mine, file_name="annexe.pdf")
			extra.attached_to_name = self.normal
			with self.assertRaises(frappe.PermissionError):
				extra.save()
		frappe.clear_messages()
		self.assertEqual(frappe.db.get_value("File", extra.name, "attached_to_name"), mine)

	def test_the_tags_of_mail_one_may_not_read_are_not_listed(self):
		from frappe.desk.doctype.tag.tag import add_tag

		with as_user(self.users["agent"]):
			secret = make_courrier(objet="Pli secret étiqueté", confidentialite="Secret").name
		with as_user(self.users["sg"]):
			add_tag("sensible", "Courrier", secret)
		with as_user(self.users["gest_tech"]):
			rows = frappe.get_list("Tag Link", filters={"document_name": secret}, fields=["name", "title"])
			self.assertEqual(rows, [])
		with as_user(self.users["sg"]):
			self.assertEqual(len(frappe.get_list("Tag Link", filters={"document_name": secret})), 1)

	def test_a_cancelled_assignment_is_not_reopened_by_its_assignee(self):
		name = assigned_incoming(self.users, "Assignation annulée")
		todo = frappe.get_doc("ToDo", {"reference_name": name, "allocated_to": self.users["gest_jur"]})
		todo.db_set("status", "Cancelled")
		with as_user(self.users["gest_jur"]):
			todo.reload()
			todo.status = "Open"
			with self.assertRaises(frappe.PermissionError):
				todo.save()
		frappe.clear_messages()
		self.assertEqual(frappe.db.get_value("ToDo", todo.name, "status"), "Cancelled")


class TestCloture(GECTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.users = make_gec_users("cloture")

	def test_a_closing_is_read_only_by_who_sees_its_whole_day(self):
		day = add_days(getdate(), -400)
		with as_user(self.users["agent"]):
			name = make_courrier(objet="Pli secret du jour", confidentialite="Secret").name
		frappe.db.set_value("Courrier", name, "date_enregistrement", f"{day} 09:00:00")
		closing = frappe.get_doc({"doctype": "Cloture Registre", "date_registre": day})
		with as_user(self.users["sg"]):
			closing.insert()
		self.assertTrue(hidden_from(day, self.users["agent"]))
		self.assertFalse(hidden_from(day, self.users["sg"]))
		with as_user(self.users["agent"]):
			self.assertFalse(frappe.has_permission("Cloture Registre", "read", doc=closing.name))
			self.assertNotIn(closing.name, frappe.get_list("Cloture Registre", pluck="name"))
		with as_user(self.users["sg"]):
			self.assertIn(closing.name, frappe.get_list("Cloture Registre", pluck="name"))
