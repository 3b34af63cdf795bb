"""A colleague of another department with a REST client, against the mail's own actions.

The attacker is the head (or a Gestionnaire) of Technique; the mail belongs to Juridique. Every
request is a hand-made HTTP request through Frappe's real pipeline, signed with an API key. Each
test checks what the database holds afterwards and what the response body says.
"""

import json

import frappe

from gec_mines.tests.hostile_support import HostileTestCase
from gec_mines.tests.utils import as_user, make_courrier


class TestDocumentMethods(HostileTestCase):
	"""`/api/method/run_doc_method` with a document built by the client."""

	prefix = "hostile-methodes"

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.secret = cls.secret_mail()

	def forged(self, name: str) -> dict:
		"""The mail as a client rebuilds it: new, Normal, in charge of Technique."""
		return self.client_copy(name, confidentialite="Normal", departement="TECH", imputations=[])

	def assertUntouched(self, name: str, before: dict):
		after = self.stored(name)
		for field in (
			"workflow_state",
			"is_deleted",
			"en_attente",
			"motif_rejet",
			"confidentialite",
			"departement",
		):
			self.assertEqual(after[field], before[field], field)

	def test_a_head_of_technique_cannot_forward_a_secret_mail_to_himself_with_a_forged_new_document(self):
		response = self.run_doc_method(
			"chef_tech", "transmettre", self.forged(self.secret), {"utilisateur": self.users["chef_tech"]}
		)
		self.assertRefused(response, 403)
		self.assertNoLeak(response, *self.secrets_of(self.secret))
		self.assertEqual(
			self.count("Transmission Courrier", courrier=self.secret, destinataire=self.users["chef_tech"]), 0
		)
		self.assertEqual(self.count("Comment", reference_name=self.secret, owner=self.users["chef_tech"]), 0)

	def test_a_head_of_technique_cannot_forward_a_secret_mail_to_himself_by_name(self):
		response = self.run_doc_method(
			"chef_tech",
			"transmettre",
			args={"utilisateur": self.users["chef_tech"]},
			dt="Courrier",
			dn=self.secret,
		)
		self.assertRefused(response, 403)
		self.assertNoLeak(response, *self.secrets_of(self.secret))
		self.assertEqual(
			self.count("Transmission Courrier", courrier=self.secret, destinataire=self.users["chef_tech"]), 0
		)

	def test_a_head_of_technique_cannot_forward_a_secret_mail_that_claims_to_be_new_but_keeps_its_level(self):
		copy = self.client_copy(self.secret)
		response = self.run_doc_method(
			"chef_tech", "transmettre", copy, {"utilisateur": self.users["gest_tech"]}
		)
		self.assertRefused(response, 403)
		self.assertNoLeak(response, *self.secrets_of(self.secret))
		self.assertEqual(self.count("Transmission Courrier", courrier=self.secret), 0)

	def test_a_gestionnaire_of_technique_cannot_comment_on_a_secret_mail(self):
		response = self.run_doc_method(
			"gest_tech",
			"commenter",
			self.forged(self.secret),
			{"type_commentaire": "Commentaire", "texte": "Vu"},
		)
		self.assertRefused(response, 403)
		self.assertNoLeak(response, *self.secrets_of(self.secret))
		self.assertEqual(
			self.count("Commentaire Courrier", courrier=self.secret, auteur=self.users["gest_tech"]), 0
		)

	def test_a_head_of_technique_cannot_give_an_instruction_on_a_secret_mail_by_name(self):
		response = self.run_doc_method(
			"chef_tech",
			"commenter",
			args={"type_commentaire": "Instruction", "texte": "Classer sans suite"},
			dt="Courrier",
			dn=self.secret,
		)
		self.assertRefused(response, 403)
		self.assertEqual(
			self.count("Commentaire Courrier", courrier=self.secret, auteur=self.users["chef_tech"]), 0
		)

	def test_a_gestionnaire_of_technique_cannot_mark_a_secret_mail_read(self):
		response = self.run_doc_method("gest_tech", "marquer_lu", self.forged(self.secret))
		self.assertRefused(response, 403)
		self.assertNoLeak(response, *self.secrets_of(self.secret))

	def test_a_head_of_technique_cannot_assign_a_secret_mail_to_his_own_staff(self):
		before = self.stored(self.secret)
		response = self.run_doc_method(
			"chef_tech", "assigner", self.forged(self.secret), {"utilisateur": self.users["gest_tech"]}
		)
		self.assertRefused(response, 403)
		self.assertNoLeak(response, *self.secrets_of(self.secret))
		self.assertEqual(self.count("ToDo", reference_type="Courrier", reference_name=self.secret), 0)
		self.assertUntouched(self.secret, before)

	def test_a_head_of_technique_cannot_stop_the_clock_of_a_secret_mail(self):
		before = self.stored(self.secret)
		response = self.run_doc_method(
			"chef_tech", "suspendre", self.forged(self.secret), {"motif": "En attente"}
		)
		self.assertRefused(response, 403)
		self.assertNoLeak(response, *self.secrets_of(self.secret))
		self.assertUntouched(self.secret, before)
		self.assertEqual(self.count("Comment", reference_name=self.secret, owner=self.users["chef_tech"]), 0)

	def test_a_head_of_technique_cannot_restart_the_clock_of_a_waiting_secret_mail(self):
		name = self.secret_mail("Pli secret en attente du demandeur")
		with as_user(self.users["sg"]):
			frappe.get_doc("Courrier", name).suspendre("Pièces manquantes")
		before = self.stored(name)
		self.assertEqual(before.en_attente, 1)
		response = self.run_doc_method("chef_tech", "reprendre", self.forged(name) | {"en_attente": 1})
		self.assertRefused(response, 403)
		self.assertNoLeak(response, *self.secrets_of(name))
		self.assertUntouched(name, before)
		self.assertEqual(self.stored(name).date_echeance, before.date_echeance)

	def test_a_clerk_cannot_put_a_secret_mail_in_the_trash_with_a_forged_copy(self):
		before = self.stored(self.secret)
		response = self.run_doc_method("agent", "mettre_a_la_corbeille", self.forged(self.secret))
		self.assertRefused(response, 403)
		self.assertNoLeak(response, *self.secrets_of(self.secret))
		self.assertUntouched(self.secret, before)

	def test_an_administrator_cannot_restore_a_secret_mail_from_the_trash_with_a_forged_copy(self):
		name = self.secret_mail("Pli secret mis à la corbeille")
		with as_user(self.users["sg"]):
			frappe.get_doc("Courrier", name).mettre_a_la_corbeille()
		before = self.stored(name)
		response = self.run_doc_method("admin", "restaurer", self.forged(name) | {"is_deleted": 1})
		self.assertRefused(response, 403)
		self.assertNoLeak(response, *self.secrets_of(name))
		self.assertUntouched(name, before)
		self.assertEqual(self.stored(name).is_deleted, 1)

	def test_an_administrator_cannot_purge_a_secret_mail_that_is_not_in_the_trash(self):
		response = self.run_doc_method("admin", "purger", self.forged(self.secret) | {"is_deleted": 1})
		self.assertRefused(response)
		self.assertNoLeak(response, *self.secrets_of(self.secret))
		self.assertTrue(frappe.db.exists("Courrier", self.secret))
		self.assertEqual(
			self.count("Deleted Document", deleted_doctype="Courrier", deleted_name=self.secret), 0
		)

	def test_an_administrator_cannot_purge_a_normal_mail_out_of_the_trash_by_claiming_it_is_in_it(self):
		name = self.mail("Normal", "Demande ordinaire hors corbeille")
		response = self.run_doc_method("admin", "purger", self.client_copy(name, is_deleted=1))
		self.assertRefused(response)
		self.assertTrue(frappe.db.exists("Courrier", name))
		self.assertEqual(self.stored(name).is_deleted, 0)

	def test_a_head_of_technique_cannot_reject_a_secret_mail_claimed_to_be_awaiting_validation(self):
		before = self.stored(self.secret)
		response = self.run_doc_method(
			"chef_tech",
			"rejeter",
			self.forged(self.secret) | {"workflow_state": "En validation"},
			{"motif": "Non"},
		)
		self.assertRefused(response, 403)
		self.assertNoLeak(response, *self.secrets_of(self.secret))
		self.assertUntouched(self.secret, before)

	def test_a_draft_cannot_be_rejected_by_claiming_it_awaits_validation(self):
		with as_user(self.users["gest_tech"]):
			draft = make_courrier("Sortant", objet="Projet de réponse technique").name
		frappe.db.commit()  # nosemgrep: the requests read through their own connection
		response = self.run_doc_method(
			"chef_tech",
			"rejeter",
			self.client_copy(draft, workflow_state="En validation"),
			{"motif": "Refait"},
		)
		self.assertRefused(response)
		stored = self.stored(draft)
		self.assertEqual(stored.workflow_state, "Brouillon")
		self.assertFalse(stored.motif_rejet)

	def test_a_forged_copy_of_a_readable_mail_acts_on_the_stored_mail_only(self):
		name = self.mail("Normal", "Rapport d'inspection technique", departement="TECH")
		copy = self.client_copy(name, objet="Objet réécrit par le client", confidentialite="Secret")
		response = self.run_doc_method(
			"chef_tech", "commenter", copy, {"type_commentaire": "Annotation", "texte": "Annotation du chef"}
		)
		self.assertEqual(response.status_code, 200, response)
		self.assertEqual(self.count("Commentaire Courrier", courrier=name, texte="Annotation du chef"), 1)
		stored = self.stored(name, "confidentialite")
		self.assertEqual(stored.confidentialite, "Normal")
		with as_user(self.users["sg"]):
			self.assertEqual(frappe.get_doc("Courrier", name).objet, "Rapport d'inspection technique")
		self.assertNotIn("Objet réécrit par le client", response.text)

	def test_the_secretary_general_still_forwards_secret_mail_by_name(self):
		name = self.secret_mail("Pli secret à transmettre")
		response = self.run_doc_method(
			"sg", "transmettre", args={"utilisateur": self.users["chef_jur"]}, dt="Courrier", dn=name
		)
		self.assertEqual(response.status_code, 200, response)
		self.assertEqual(
			self.count("Transmission Courrier", courrier=name, destinataire=self.users["chef_jur"]), 1
		)


class TestPrintOfClientDocuments(HostileTestCase):
	"""Printing a document the client built: the print formats read the real mail's comments."""

	prefix = "hostile-impression"

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.secret = cls.secret_mail("Pli secret à imprimer")

	def test_a_head_of_technique_cannot_print_a_client_built_copy_of_a_secret_mail(self):
		for print_format in ("Accusé de réception", "Fiche d'imputation", "Standard"):
			with self.subTest(print_format=print_format):
				response = self.http(
					"chef_tech",
					"POST",
					"/api/method/frappe.www.printview.get_html_and_style",
					data={
						"doc": json.dumps(
							self.client_copy(self.secret, confidentialite="Normal", departement="TECH")
						),
						"print_format": print_format,
					},
				)
				self.assertRefused(response, 403)
				self.assertNoLeak(response, *self.secrets_of(self.secret))
				self.assertNotIn("html", response.json.get("message") or {})

	def test_a_head_of_technique_cannot_print_a_secret_mail_by_name(self):
		response = self.http(
			"chef_tech",
			"GET",
			"/api/method/frappe.www.printview.get_html_and_style",
			query={"doc": "Courrier", "name": self.secret, "print_format": "Fiche d'imputation"},
		)
		self.assertRefused(response, 403)
		self.assertNoLeak(response, *self.secrets_of(self.secret))

	def test_a_head_of_technique_cannot_download_a_pdf_of_a_client_built_copy_of_a_secret_mail(self):
		for print_format in ("Accusé de réception", "Fiche d'imputation"):
			with self.subTest(print_format=print_format):
				response = self.http(
					"chef_tech",
					"POST",
					"/api/method/frappe.utils.print_format.download_pdf",
					data={
						"doctype": "Courrier",
						"name": self.secret,
						"format": print_format,
						"doc": json.dumps(self.client_copy(self.secret, confidentialite="Normal")),
					},
				)
				self.assertFalse(response.content.startswith(b"%PDF"), response)
				self.assertNoLeak(response, *self.secrets_of(self.secret))
				self.assertRefused(response)


class TestWorkflowRequests(HostileTestCase):
	prefix = "hostile-circuit"

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.secret = cls.secret_mail("Pli secret en circuit")

	def apply(self, who: str, doc: dict, action: str):
		return self.method(who, "frappe.model.workflow.apply_workflow", doc=doc, action=action)

	def test_a_head_of_technique_cannot_move_a_secret_mail_by_claiming_another_state_and_department(self):
		before = self.stored(self.secret)
		copy = self.client_copy(
			self.secret, workflow_state="Imputé", departement="TECH", confidentialite="Normal", imputations=[]
		)
		copy.pop("__islocal")
		response = self.apply("chef_tech", copy, "Mettre en traitement")
		self.assertRefused(response)
		self.assertNoLeak(response, *self.secrets_of(self.secret))
		self.assertEqual(self.stored(self.secret).workflow_state, before.workflow_state)
		self.assertEqual(self.stored(self.secret).departement, before.departement)

	def test_a_head_of_technique_cannot_route_a_secret_mail_with_a_new_document(self):
		before = self.stored(self.secret)
		response = self.apply("chef_tech", self.client_copy(self.secret, departement="TECH"), "Imputer")
		self.assertRefused(response)
		self.assertNoLeak(response, *self.secrets_of(self.secret))
		self.assertEqual(self.stored(self.secret).workflow_state, before.workflow_state)

	def test_a_draft_cannot_be_dispatched_by_claiming_it_was_validated(self):
		with as_user(self.users["gest_tech"]):
			draft = make_courrier("Sortant", objet="Réponse technique à expédier").name
		frappe.db.commit()  # nosemgrep: the requests read through their own connection
		copy = self.client_copy(draft, workflow_state="Validé")
		copy.pop("__islocal")
		response = self.apply("gest_tech", copy, "Expédier")
		self.assertRefused(response)
		self.assertEqual(self.stored(draft).workflow_state, "Brouillon")

	def test_workflow_actions_of_secret_mail_are_not_listed_to_technique(self):
		if not frappe.db.exists(
			"Workflow Action", {"reference_doctype": "Courrier", "reference_name": self.secret}
		):
			# what Frappe leaves for the SG when the workflow e-mails the next approver
			frappe.get_doc(
				{
					"doctype": "Workflow Action",
					"reference_doctype": "Courrier",
					"reference_name": self.secret,
					"workflow_state": "Chez le SG",
					"status": "Open",
					"user": self.users["sg"],
				}
			).insert(ignore_permissions=True)
		for who in ("chef_tech", "gest_tech"):
			with self.subTest(who=who):
				response = self.http(
					who,
					"GET",
					"/api/resource/Workflow Action",
					query={
						"fields": json.dumps(["name", "reference_name", "workflow_state"]),
						"limit_page_length": 0,
					},
				)
				self.assertNotIn(self.secret, response.text, response)
				self.assertNoLeak(response, *self.secrets_of(self.secret))
				response = self.method(
					who,
					"frappe.client.get_list",
					doctype="Workflow Action",
					fields=["reference_name"],
					filters={"reference_name": self.secret},
				)
				self.assertNotIn(self.secret, response.text, response)
