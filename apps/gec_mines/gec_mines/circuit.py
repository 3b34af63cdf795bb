"""The `Circuit du Courrier` workflow as the server enforces it.

Frappe checks that a transition exists for the user's roles; this module adds what Frappe only
does in the desk or not at all: the initial state per direction, who may edit in each state,
self-approval on every road (REST included), the reason a rejection needs, what dispatching
needs, and what follows a transition (notifications, the reply closing the incoming mail).
"""

import frappe
from frappe import _
from frappe.utils import now_datetime

from gec_mines import notifications
from gec_mines.permissions import AGENT, CHEF, GESTIONNAIRE, SG, can_read, departements_concernes, profil

WORKFLOW = "Circuit du Courrier"
# Fields the server maintains itself: changing them is never "editing" the mail.
SYSTEM_FIELDS = {
	"workflow_state",
	"texte_recherche",
	"mots_recherche",
	"doublon_probable",
	"secretaire_general_copie",
	"niveau_relance",
	"date_traitement",
	"departement",
	"date_echeance",
	"en_attente",
	"motif_attente",
	"attente_depuis",
	"modified",
	"modified_by",
}
OPEN_INCOMING = ("Enregistré", "Chez le SG", "Imputé", "En traitement")


def workflow():
	from frappe.model.workflow import get_workflow

	return get_workflow("Courrier")


def initial_state(doc) -> str:
	"""Incoming mail starts at the desk; outgoing mail is a draft, unless the desk registers a
	letter that was already signed on paper, which is then ready to be dispatched."""
	if doc.type_courrier == "Entrant":
		# Secret mail goes straight to the SG: once registered, the desk no longer sees it.
		return "Chez le SG" if doc.confidentialite == "Secret" else "Enregistré"
	roles = set(frappe.get_roles())
	return "Validé" if AGENT in roles and not roles & {CHEF, SG, GESTIONNAIRE} else "Brouillon"


def editors(state: str) -> set:
	return {row.allow_edit for row in workflow().states if row.state == state}


def check_edit_allowed(doc):
	"""Only the roles the workflow names for the current state change a mail's content."""
	before = doc.get_doc_before_save()
	if (
		doc.is_new()
		or not before
		or doc.flags.gec_system
		or doc.flags.gec_trash_action
		or doc.flags.gec_declassification
	):
		return
	if frappe.session.user == "Administrator":
		return
	changed = changed_fields(doc, before)
	if not changed or editors(before.workflow_state) & set(frappe.get_roles()):
		return
	frappe.throw(
		_("In state {0}, this mail can only be changed by: {1}. Field changed: {2}.").format(
			frappe.bold(_(before.workflow_state)),
			", ".join(_(r) for r in sorted(editors(before.workflow_state))),
			frappe.bold(_(doc.meta.get_label(changed[0]))),
		),
		exc=frappe.PermissionError,
		title=_("Not allowed"),
	)


def changed_fields(doc, before) -> list[str]:
	changed = []
	for df in doc.meta.fields:
		if df.fieldname in SYSTEM_FIELDS or df.fieldtype in frappe.model.no_value_fields:
			continue
		if df.fieldtype == "Table":
			if routing_rows(doc) != routing_rows(before):
				changed.append(df.fieldname)
		elif (doc.get(df.fieldname) or None) != (before.get(df.fieldname) or None):
			if str(doc.get(df.fieldname) or "") != str(before.get(df.fieldname) or ""):
				changed.append(df.fieldname)
	return changed


def routing_rows(doc) -> list[tuple]:
	return [(r.departement, r.instruction, str(r.date_echeance or ""), r.note or "") for r in doc.imputations]


def check_transition(doc):
	"""What a transition needs beyond Frappe's role check, on every road to the server."""
	before = doc.get_doc_before_save()
	if doc.is_new() or not before or before.workflow_state == doc.workflow_state:
		return
	previous, state = before.workflow_state, doc.workflow_state
	if not doc.flags.gec_system:
		check_self_approval(doc, previous, state)
	if previous == "En validation" and state == "Brouillon" and not (doc.motif_rejet or "").strip():
		frappe.throw(
			_("{0} is required to reject a draft.").format(frappe.bold(_("Reason for Rejection"))),
			exc=frappe.MandatoryError,
			title=_("Missing value"),
		)
	if state == "Expédié":
		for fieldname in ("date_envoi", "mode_envoi"):
			if not doc.get(fieldname):
				frappe.throw(
					_("{0} is required to dispatch the mail.").format(
						frappe.bold(_(doc.meta.get_label(fieldname)))
					),
					exc=frappe.MandatoryError,
					title=_("Missing value"),
				)
	if state == "Imputé" and not doc.imputations:
		frappe.throw(
			_("Route the mail to at least one department (Routing Slip) before routing it."),
			exc=frappe.MandatoryError,
			title=_("Missing value"),
		)
	if state == "En validation":
		doc.motif_rejet = None
	if state == "Traité" and not doc.date_traitement:
		doc.date_traitement = now_datetime()


def check_self_approval(doc, previous: str, state: str):
	user = frappe.session.user
	if user == "Administrator" or doc.owner != user:
		return
	roles = set(frappe.get_roles())
	rows = [
		t
		for t in workflow().transitions
		if t.state == previous and t.next_state == state and t.allowed in roles
	]
	if rows and not any(t.allow_self_approval for t in rows):
		frappe.throw(
			_("You drafted this mail: another person must approve it."),
			exc=frappe.PermissionError,
			title=_("Self approval is not allowed"),
		)


def apply_system_transition(name: str, state: str, comment: str):
	"""A transition the application makes itself (a dispatched reply closing the incoming mail)."""
	doc = frappe.get_doc("Courrier", name)
	if doc.workflow_state == state:
		return
	doc.workflow_state = state
	doc.flags.gec_system = True
	doc.flags.ignore_permissions = True
	doc.save()
	doc.add_comment("Workflow", _(state))
	doc.add_comment("Info", comment)


def after_transition(doc):
	"""Notifications and consequences of the state a mail has just reached."""
	before = doc.get_doc_before_save()
	if not before or before.workflow_state == doc.workflow_state:
		return
	state = doc.workflow_state
	if state == "Chez le SG":
		notifications.notifier("nouveau_courrier", doc, secretaires_generaux())
	elif state == "Imputé":
		notifications.notifier("imputation", doc, chefs({r.departement for r in doc.imputations}))
	elif state == "En validation":
		validators = chefs({doc.departement}) - {doc.owner} or secretaires_generaux()
		notifications.notifier("validation_demandee", doc, validators)
	elif state == "Validé" and before.workflow_state == "En validation":
		notifications.notifier("validation", doc, {doc.owner})
	elif state == "Brouillon" and before.workflow_state == "En validation":
		notifications.notifier("rejet", doc, {doc.owner}, motif=doc.motif_rejet)
	elif state == "Traité":
		from frappe.desk.form.assign_to import close_all_assignments

		close_all_assignments("Courrier", doc.name, ignore_permissions=True)
	if state == "Expédié" and doc.en_reponse_a:
		close_answered_mail(doc)


def close_answered_mail(reply):
	"""Dispatching a reply ends the processing of the incoming mail it answers."""
	state = frappe.db.get_value("Courrier", reply.en_reponse_a, "workflow_state")
	if state in OPEN_INCOMING:
		apply_system_transition(
			reply.en_reponse_a,
			"Traité",
			_("Processed: reply {0} was dispatched.").format(reply.name),
		)


def secretaires_generaux() -> set:
	return set(users_with_role(SG))


def users_with_role(role: str) -> list[str]:
	return frappe.get_all(
		"Has Role",
		filters={"role": role, "parenttype": "User", "parent": ("not in", ("Administrator", "Guest"))},
		pluck="parent",
	)


def chefs(departements: set) -> set:
	departements = {d for d in departements if d}
	if not departements:
		return set()
	heads = set(frappe.get_all("Departement", filters={"name": ("in", list(departements))}, pluck="chef"))
	user, has_role = frappe.qb.DocType("User"), frappe.qb.DocType("Has Role")
	heads |= set(
		frappe.qb.from_(user)
		.join(has_role)
		.on((has_role.parent == user.name) & (has_role.parenttype == "User"))
		.select(user.name)
		.where(user.gec_departement.isin(list(departements)) & (user.enabled == 1) & (has_role.role == CHEF))
		.run(pluck=True)
	)
	return {u for u in heads if u}


def holders(doc) -> set:
	"""Who holds the mail now: its assignees, else the heads of its department, else the SG."""
	assignees = set(
		frappe.get_all(
			"ToDo",
			filters={"reference_type": "Courrier", "reference_name": doc.name, "status": "Open"},
			pluck="allocated_to",
		)
	)
	if assignees:
		return assignees
	if doc.workflow_state in ("Enregistré", "Chez le SG") or not doc.departement:
		return secretaires_generaux()
	return chefs({doc.departement} | {r.departement for r in doc.imputations})


# ------------------------------------------------------------------ assignment


def check_assignment(todo, method=None):
	"""`before_insert` of ToDo: on a courrier, only the SG or the head of a department concerned
	assigns, and a head only to the staff of a department they head."""
	if todo.reference_type != "Courrier" or frappe.flags.in_import or frappe.session.user == "Administrator":
		return
	p = profil()
	if SG in p.roles:
		return
	confidentialite, departement = frappe.db.get_value(
		"Courrier", todo.reference_name, ["confidentialite", "departement"]
	) or (None, None)
	concerned = departements_concernes(todo.reference_name, departement) & p.chef_de
	assignee_department = frappe.db.get_value("User", todo.allocated_to, "gec_departement")
	if confidentialite != "Secret" and concerned and assignee_department in p.chef_de:
		return
	frappe.throw(
		_(
			"Only the Secretary General, or the head of a department the mail is routed to, assigns it,"
			" and a head only to the staff of that department."
		),
		exc=frappe.PermissionError,
		title=_("Assignment refused"),
	)


def check_reopening(todo, method=None):
	"""`validate` of ToDo: reopening a cancelled assignment is assigning again (a user whose
	assignment was cancelled does not give themselves the mail back)."""
	before = todo.get_doc_before_save()
	if todo.is_new() or not before or before.status != "Cancelled" or todo.status == "Cancelled":
		return
	check_assignment(todo)


def can_read_or_throw(doc, user: str):
	if not can_read(doc.name, user):
		frappe.throw(
			_("{0} may not see this mail.").format(frappe.bold(frappe.utils.get_fullname(user))),
			exc=frappe.PermissionError,
		)
