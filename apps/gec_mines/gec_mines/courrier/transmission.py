"""Forwarding a courrier to a user (Transmission Courrier), and the forwards read by their addressee."""

import frappe
from frappe import _
from frappe.utils import now_datetime

from gec_mines import notifications
from gec_mines.permissions import SG, can_read, departements_concernes, profil


def transmettre(doc, utilisateur: str, message: str | None = None, fichier: str | None = None):
	"""Forward the mail to a user, with a message and optionally one of its files."""
	check_forward_allowed(doc)
	if not frappe.db.get_value("User", utilisateur, "enabled"):
		frappe.throw(
			_("Forwarded To: user {0} does not exist or is disabled.").format(frappe.bold(utilisateur))
		)
	if fichier and not frappe.db.exists(
		"File", {"file_url": fichier, "attached_to_doctype": "Courrier", "attached_to_name": doc.name}
	):
		frappe.throw(_("File: attach the file to this mail first."))
	frappe.get_doc(
		{
			"doctype": "Transmission Courrier",
			"courrier": doc.name,
			"destinataire": utilisateur,
			"transmis_par": frappe.session.user,
			"message": (message or "").strip(),
			"fichier": fichier,
		}
	).insert(ignore_permissions=True)  # checked above
	doc.add_comment("Info", _("Forwarded to {0}.").format(frappe.utils.get_fullname(utilisateur)))
	notifications.notifier("transmission", doc, {utilisateur}, message=message or "")


def check_forward_allowed(doc):
	p = profil()
	if SG in p.roles or p.user == "Administrator":
		return
	if doc.confidentialite == "Normal" and can_read(doc.name):
		return
	if (
		doc.confidentialite == "Confidentiel"
		and departements_concernes(doc.name, doc.departement) & p.chef_de
	):
		return
	frappe.throw(
		_(
			"Only the Secretary General forwards Secret mail, and only the heads concerned forward Confidential mail."
		),
		exc=frappe.PermissionError,
	)


def marquer_lu(doc):
	"""The forwards addressed to the current user are now read."""
	for name in frappe.get_all(
		"Transmission Courrier",
		filters={"courrier": doc.name, "destinataire": frappe.session.user, "lu": 0},
		pluck="name",
	):
		frappe.db.set_value("Transmission Courrier", name, {"lu": 1, "lu_le": now_datetime()})
