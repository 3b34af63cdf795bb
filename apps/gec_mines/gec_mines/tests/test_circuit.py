"""The Circuit du Courrier: every transition by every role, through the desk button and through REST."""

import json

import frappe
from frappe.model.workflow import WorkflowPermissionError, WorkflowTransitionError

from gec_mines.tests.utils import (
	GECTestCase,
	apply,
	as_user,
	assigned_incoming,
	make_courrier,
	make_gec_users,
	route,
)

ROLE_OF = {
	"agent": "GEC Agent Courrier",
	"sg": "GEC Secretaire General",
	"chef_jur": "GEC Chef Departement",
	"gest_jur": "GEC Gestionnaire",
	"admin": "GEC Administrateur",
	"auditeur": "GEC Auditeur",
}
REFUSED = (frappe.PermissionError, WorkflowTransitionError, WorkflowPermissionError, frappe.ValidationError)


def transitions() -> list[tuple[str, str, str, set, str]]:
	"""(state, action, next state, allowed roles, direction) from the shipped workflow."""
	workflow = frappe.get_doc("Workflow", "Circuit du Courrier")
	rows: dict[tuple, set] = {}
	for t in workflow.transitions:
		direction = "Entrant" if "Entrant" in t.condition else "Sortant"
		rows.setdefault((t.state, t.action, t.next_state, direction), set()).add(t.allowed)
	return [(s, a, n, roles, d) for (s, a, n, d), roles in rows.items()]


class TestCircuit(GECTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.users = make_gec_users("circuit")

	def mail_in_state(self, direction: str, state: str) -> str:
		"""A mail of Juridique, drafted by someone else than the roles under test, put in `state`."""
		values = {"departement": "JUR"}
		if direction == "Sortant":
			values.update(date_envoi=frappe.utils.today(), mode_envoi="Porteur")
		doc = make_courrier(direction, **values)
		doc.append("imputations", {"departement": "JUR", "instruction": "Attribution"})
		doc.flags.gec_system = True
		doc.save()
		# test set-up only: the application never moves a state without a transition
		frappe.db.set_value("Courrier", doc.name, "workflow_state", state)
		return doc.name

	def test_every_transition_is_allowed_to_its_roles_only_through_the_desk(self):
		wrong = []
		for state, action, next_state, allowed, direction in transitions():
			if action == "Rejeter":
				continue  # needs a reason: see test_rejection_needs_a_reason
			for key, role in ROLE_OF.items():
				name = self.mail_in_state(direction, state)
				try:
					apply(name, action, self.users[key])
					done = True
				except REFUSED:
					frappe.clear_messages()
					done = False
				reached = frappe.db.get_value("Courrier", name, "workflow_state")
				if done != (role in allowed) or (done and reached != next_state):
					wrong.append(
						f"{state} --{action}--> {next_state} by {role}: done={done}, state={reached}"
					)
		self.assertEqual(wrong, [])

	def test_every_transition_is_allowed_to_its_roles_only_through_rest(self):
		from frappe.api import v1 as rest

		wrong = []
		for state, action, next_state, allowed, direction in transitions():
			for key, role in ROLE_OF.items():
				name = self.mail_in_state(direction, state)
				data = {"workflow_state": next_state}
				if action == "Rejeter":
					data["motif_rejet"] = "Références incomplètes"
				with as_user(self.users[key]):
					frappe.local.form_dict = frappe._dict(data=json.dumps(data))
					try:
						rest.update_doc("Courrier", name)
						done = True
					except REFUSED:
						frappe.clear_messages()
						done = False
					finally:
						frappe.local.form_dict = frappe._dict()
				if done != (role in allowed):
					wrong.append(f"{state} --{action}--> {next_state} by {role} (REST): done={done}")
		self.assertEqual(wrong, [])

	def test_a_state_cannot_be_skipped_through_rest(self):
		from frappe.api import v1 as rest

		name = self.mail_in_state("Entrant", "Enregistré")
		with as_user(self.users["sg"]):
			frappe.local.form_dict = frappe._dict(data=json.dumps({"workflow_state": "Classé"}))
			with self.assertRaises(WorkflowPermissionError):
				rest.update_doc("Courrier", name)
			frappe.local.form_dict = frappe._dict()

	def test_only_the_roles_of_a_state_edit_the_mail_in_it(self):
		name = self.mail_in_state("Entrant", "Chez le SG")
		with as_user(self.users["agent"]):
			doc = frappe.get_doc("Courrier", name)
			doc.objet = "Objet corrigé par le bureau"
			with self.assertRaises(frappe.PermissionError) as refusal:
				doc.save()
		self.assertIn("Chez le SG", str(refusal.exception))
		with as_user(self.users["sg"]):
			doc = frappe.get_doc("Courrier", name)
			doc.objet = "Objet corrigé par le SG"
			doc.save()

	def test_the_whole_incoming_circuit(self):
		u = self.users
		with as_user(u["agent"]):
			doc = make_courrier(objet="Plainte d'une communauté riveraine")
		self.assertEqual(doc.workflow_state, "Enregistré")
		with as_user(u["sg"]):
			self.assertRaises(WorkflowTransitionError, apply, doc.name, "Imputer", u["sg"])
		route(
			doc.name,
			u["sg"],
			u["agent"],
			{"departement": "JUR", "date_echeance": "2026-12-04", "note": "Urgent"},
		)
		routed = frappe.get_doc("Courrier", doc.name)
		self.assertEqual((routed.workflow_state, routed.departement), ("Imputé", "JUR"))
		self.assertEqual(str(routed.date_echeance), "2026-12-04")
		self.assertEqual(routed.imputations[0].impute_par, u["sg"])
		with as_user(u["chef_jur"]):
			frappe.get_doc("Courrier", doc.name).assigner(u["gest_jur"], "Préparer une réponse")
		self.assertEqual(frappe.db.get_value("Courrier", doc.name, "workflow_state"), "En traitement")
		apply(doc.name, "Marquer comme traité", u["gest_jur"])
		self.assertTrue(frappe.db.get_value("Courrier", doc.name, "date_traitement"))
		self.assertFalse(
			frappe.db.exists("ToDo", {"reference_name": doc.name, "status": "Open"}),
			"processing the mail closes its assignments",
		)
		apply(doc.name, "Classer", u["agent"])
		self.assertEqual(frappe.db.get_value("Courrier", doc.name, "workflow_state"), "Classé")

	def test_the_sg_sends_back_and_reroutes(self):
		u = self.users
		with as_user(u["agent"]):
			doc = make_courrier(objet="Courrier mal orienté")
		apply(doc.name, "Transmettre au SG", u["agent"])
		apply(doc.name, "Renvoyer au bureau du courrier", u["sg"])
		self.assertEqual(frappe.db.get_value("Courrier", doc.name, "workflow_state"), "Enregistré")
		route(doc.name, u["sg"], u["agent"], {"departement": "TECH"})
		apply(doc.name, "Réimputer", u["sg"])
		with as_user(u["sg"]):
			again = frappe.get_doc("Courrier", doc.name)
			again.imputations = []
			again.append("imputations", {"departement": "JUR", "instruction": "Attribution"})
			again.append("imputations", {"departement": "TECH", "instruction": "Avis"})
			again.save()
		apply(doc.name, "Imputer", u["sg"])
		self.assertEqual(frappe.db.get_value("Courrier", doc.name, "departement"), "JUR")

	def test_outgoing_draft_validation_dispatch_and_reply_closes_the_incoming_mail(self):
		u = self.users
		incoming = frappe._dict(name=assigned_incoming(u, "Demande d'autorisation d'exportation"))
		with as_user(u["gest_jur"]):
			reply = make_courrier("Sortant", objet="Réponse à la demande", en_reponse_a=incoming.name)
		self.assertEqual((reply.workflow_state, reply.departement), ("Brouillon", "JUR"))
		apply(reply.name, "Soumettre pour validation", u["gest_jur"])
		apply(reply.name, "Valider", u["chef_jur"])
		with as_user(u["agent"]):
			doc = frappe.get_doc("Courrier", reply.name)
			doc.workflow_state = "Expédié"
			with self.assertRaises(frappe.MandatoryError):
				doc.save()
			doc = frappe.get_doc("Courrier", reply.name)
			doc.update({"date_envoi": frappe.utils.today(), "mode_envoi": "Porteur"})
			doc.save()
		apply(reply.name, "Expédier", u["agent"])
		self.assertEqual(frappe.db.get_value("Courrier", incoming.name, "workflow_state"), "Traité")
		apply(reply.name, "Classer", u["agent"])
		apply(incoming.name, "Classer", u["agent"])
		self.assertEqual(
			{frappe.db.get_value("Courrier", n, "workflow_state") for n in (incoming.name, reply.name)},
			{"Classé"},
		)

	def test_a_head_does_not_approve_their_own_draft(self):
		u = self.users
		with as_user(u["chef_jur"]):
			draft = make_courrier("Sortant", objet="Note du chef")
		apply(draft.name, "Soumettre pour validation", u["chef_jur"])
		with self.assertRaises(frappe.ValidationError):
			apply(draft.name, "Valider", u["chef_jur"])
		with as_user(u["chef_jur"]):
			doc = frappe.get_doc("Courrier", draft.name)
			doc.workflow_state = "Validé"
			with self.assertRaises(frappe.PermissionError):
				doc.save()  # the REST road, same rule
		apply(draft.name, "Valider", u["sg"])
		self.assertEqual(frappe.db.get_value("Courrier", draft.name, "workflow_state"), "Validé")

	def test_rejection_needs_a_reason(self):
		u = self.users
		with as_user(u["gest_jur"]):
			draft = make_courrier("Sortant", objet="Projet incomplet")
		apply(draft.name, "Soumettre pour validation", u["gest_jur"])
		with as_user(u["chef_jur"]):
			frappe.local.lang = "fr"
			with self.assertRaises(frappe.MandatoryError) as refusal:
				frappe.get_doc("Courrier", draft.name).rejeter("  ")
			self.assertIn("Motif du rejet", str(refusal.exception))
			frappe.get_doc("Courrier", draft.name).rejeter("Ajouter les références du permis")
		rejected = frappe.get_doc("Courrier", draft.name)
		self.assertEqual(
			(rejected.workflow_state, rejected.motif_rejet), ("Brouillon", "Ajouter les références du permis")
		)
		self.assertTrue(
			frappe.db.exists("Notification Log", {"document_name": draft.name, "for_user": u["gest_jur"]})
		)
		apply(draft.name, "Soumettre pour validation", u["gest_jur"])
		self.assertFalse(frappe.db.get_value("Courrier", draft.name, "motif_rejet"))

	def test_typed_comments_notify_the_author_and_the_holder(self):
		u = self.users
		doc = frappe._dict(name=assigned_incoming(u, "Courrier commenté"))
		before = frappe.db.count("Email Queue")
		with as_user(u["sg"]):
			frappe.get_doc("Courrier", doc.name).commenter(
				"Instruction", "Répondre avant vendredi <script>x</script>"
			)
		with as_user(u["gest_jur"]):
			with self.assertRaises(frappe.PermissionError):
				frappe.get_doc("Courrier", doc.name).commenter("Instruction", "Je m'instruis moi-même")
		notified = set(
			frappe.get_all(
				"Notification Log",
				filters={"document_name": doc.name, "subject": ("like", "%Instruction%")},
				pluck="for_user",
			)
		)
		self.assertEqual(notified, {u["agent"], u["gest_jur"]})
		self.assertGreater(frappe.db.count("Email Queue"), before, "e-mails are queued")
		body = frappe.db.get_value(
			"Notification Log",
			{"document_name": doc.name, "for_user": u["gest_jur"], "subject": ("like", "%Instruction%")},
			"email_content",
		)
		self.assertIn("&lt;script&gt;", body)
		self.assertNotIn("<script>", body)
