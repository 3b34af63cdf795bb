"""Field-level rights: the fields the access rule and the register stand on.

The form shows these fields read-only, but a request can send any field. The server owns them:
on creation it sets them itself, whatever the request says; afterwards only the application's
own actions change them (the trash actions, the clock, the routing slip, the workflow), and a
request that changes one gets a clear refusal naming the field.

Confidentiality, as a ministry handles classified mail: raising the level is always allowed to
whoever may edit the mail; lowering it is a declassification, done only by the Secretary General
through `Courrier.changer_confidentialite`, with a reason, and journalled.
"""

import frappe
from frappe import _
from frappe.utils import cint, cstr

from gec_mines.constants import ADMIN, AGENT, NIVEAUX, SG
from gec_mines.permissions.regle import can_read

# field -> the flag under which the application itself changes it (None: never after registration)
SERVER_FIELDS = {
	"numero_accuse_reception": None,
	"date_enregistrement": None,
	"is_deleted": "gec_trash_action",
	"supprime_par": "gec_trash_action",
	"supprime_le": "gec_trash_action",
	"en_attente": "gec_clock",
	"motif_attente": "gec_clock",
	"attente_depuis": "gec_clock",
	"date_echeance": "gec_clock",
	"niveau_relance": "gec_clock",
	"motif_rejet": None,  # or with a rejection
	"date_traitement": None,
	"doublon_probable": None,
	"texte_recherche": None,
	"mots_recherche": None,
}
# set by the server on registration, whatever the request sends
INITIAL_VALUES = {
	"is_deleted": 0,
	"supprime_par": None,
	"supprime_le": None,
	"en_attente": 0,
	"motif_attente": None,
	"attente_depuis": None,
	"date_echeance": None,
	"niveau_relance": 0,
	"motif_rejet": None,
	"date_traitement": None,
	"doublon_probable": 0,
}
# who chooses the department in charge: on registration the desk, afterwards the routing slip
DEPARTMENT_CHOOSERS = {AGENT, SG, ADMIN}


def set_initial_values(doc):
	"""`before_insert` of Courrier: what the server owns starts from the server's values."""
	for field, value in INITIAL_VALUES.items():
		doc.set(field, value)
	roles = set(frappe.get_roles())
	if doc.departement and not roles & DEPARTMENT_CHOOSERS and frappe.session.user != "Administrator":
		# a department's own staff register for their department only
		doc.departement = frappe.db.get_value("User", frappe.session.user, "gec_departement")


def check_server_fields(doc):
	"""`validate` of Courrier: a request does not change what the server owns."""
	check_reply_link(doc)
	before = doc.get_doc_before_save()
	if doc.is_new() or not before:
		return
	for field, flag in SERVER_FIELDS.items():
		if (flag and doc.flags.get(flag)) or not changed(doc, before, field):
			continue
		if field == "motif_rejet" and is_rejection(doc, before):
			continue
		refuse(doc, field, _("it is kept by the server and changes only through the mail's actions"))
	if changed(doc, before, "departement") and not may_choose_department(doc):
		refuse(doc, "departement", _("only the Secretary General changes it, through the routing slip"))
	check_confidentiality(doc, before)


def check_reply_link(doc):
	"""A reply answers mail its author may read: dispatching it closes that mail."""
	if not doc.en_reponse_a or not (doc.is_new() or doc.has_value_changed("en_reponse_a")):
		return
	if doc.flags.gec_system or frappe.flags.in_import or can_read(doc.en_reponse_a):
		return
	refuse(doc, "en_reponse_a", _("you may not see mail {0}").format(frappe.bold(doc.en_reponse_a)))


def is_rejection(doc, before) -> bool:
	"""A draft sent back to its author carries its reason (the workflow checks who may do it)."""
	return before.workflow_state == "En validation" and doc.workflow_state == "Brouillon"


def may_choose_department(doc) -> bool:
	return (
		bool(doc.flags.gec_system)
		or frappe.session.user == "Administrator"
		or bool({SG, ADMIN} & set(frappe.get_roles()))
	)


def check_confidentiality(doc, before):
	"""Raising is allowed to whoever may edit the mail; lowering only through the declassification."""
	old, new = before.confidentialite or "Normal", doc.confidentialite or "Normal"
	if new not in NIVEAUX:
		refuse(doc, "confidentialite", _("{0} is not a confidentiality level").format(frappe.bold(new)))
	if NIVEAUX.index(new) < NIVEAUX.index(old) and not doc.flags.gec_declassification:
		refuse(
			doc,
			"confidentialite",
			_("lowering it is a declassification: the Secretary General does it, with a reason"),
		)


def changed(doc, before, field: str) -> bool:
	df = doc.meta.get_field(field)
	if df and df.fieldtype in ("Check", "Int"):
		return cint(doc.get(field)) != cint(before.get(field))
	return cstr(doc.get(field) or "").strip() != cstr(before.get(field) or "").strip()


def refuse(doc, field: str, reason: str):
	frappe.throw(
		_("{0}: {1}.").format(frappe.bold(_(doc.meta.get_label(field))), reason),
		exc=frappe.PermissionError,
		title=_("Change refused"),
	)


# ------------------------------------------------------------------ the user's department


def check_user_department(user, method=None):
	"""`validate` of User: a user's department decides what they read, so only an administrator
	(GEC or System Manager) sets it, never the user on their own record ("My Settings")."""
	if user.is_new() and not user.get("gec_departement"):
		return
	before = user.get_doc_before_save()
	if before is not None and cstr(before.get("gec_departement")) == cstr(user.get("gec_departement")):
		return
	if frappe.session.user == "Administrator" or frappe.flags.in_import or frappe.flags.in_install:
		return
	if {ADMIN, "System Manager"} & set(frappe.get_roles()):
		return
	frappe.throw(
		_("{0}: only an administrator changes a user's department.").format(frappe.bold(_("Department"))),
		exc=frappe.PermissionError,
		title=_("Change refused"),
	)


def check_own_roles(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	"""`has_permission` of User: Frappe silently drops a change of one's own roles (permission
	level 1); the change is refused here, before that, with the field named."""
	actor = user or frappe.session.user
	if ptype != "write" or doc.is_new() or doc.name != actor or actor == "Administrator":
		return None
	if "System Manager" in frappe.get_roles(actor) or doc.get("roles") is None:
		return None
	wanted = {row.role for row in doc.get("roles")}
	stored = set(frappe.get_all("Has Role", filters={"parent": doc.name, "parenttype": "User"}, pluck="role"))
	if wanted != stored:
		frappe.throw(
			_("{0}: only an administrator changes a user's roles.").format(frappe.bold(_("Roles"))),
			exc=frappe.PermissionError,
			title=_("Change refused"),
		)
	return None
