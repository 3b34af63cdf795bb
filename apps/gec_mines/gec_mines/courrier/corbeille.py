"""The trash: a flag, never a deletion; only an administrator purges, and the purge is logged."""

import frappe
from frappe import _
from frappe.utils import now_datetime

from gec_mines import chiffrement
from gec_mines.constants import ADMIN, AGENT, SG

TRASH_ROLES = (AGENT, SG, ADMIN)
RESTORE_ROLES = (SG, ADMIN)
PURGE_ROLE = ADMIN


def mettre_a_la_corbeille(doc):
	doc.check_permission("write")
	require_role(TRASH_ROLES)
	if doc.is_deleted:
		return
	doc.is_deleted = 1
	doc.supprime_par = frappe.session.user
	doc.supprime_le = now_datetime()
	save_trash_action(doc)
	doc.add_comment("Info", _("Moved to the trash."))


def restaurer(doc):
	doc.check_permission("write")
	require_role(RESTORE_ROLES)
	if not doc.is_deleted:
		return
	doc.is_deleted = 0
	doc.supprime_par = None
	doc.supprime_le = None
	save_trash_action(doc)
	doc.add_comment("Info", _("Restored from the trash."))


def purger(doc):
	doc.check_permission("read")
	require_role((PURGE_ROLE,))
	if not doc.is_deleted:
		frappe.throw(_("Only a mail in the trash can be purged."))
	frappe.flags.gec_purge = True
	try:
		frappe.delete_doc("Courrier", doc.name, ignore_permissions=True, delete_permanently=False)
	finally:
		frappe.flags.gec_purge = False
	log_purge(doc)  # after the deletion, which clears the mail's own activity entries


def save_trash_action(doc):
	doc.flags.gec_trash_action = True
	try:
		doc.save()
	finally:
		doc.flags.gec_trash_action = False


def require_role(roles):
	if not set(roles) & set(frappe.get_roles()):
		frappe.throw(_("You are not allowed to do this."), exc=frappe.PermissionError)


def log_purge(doc):
	log = frappe.get_doc(
		{
			"doctype": "Activity Log",
			"subject": _("Mail {0} purged from the trash").format(doc.name),
			"content": _("Subject: {0}").format(chiffrement.texte_affichable(doc, "objet")),
			"link_doctype": "Courrier",
			"link_name": doc.name,
			"status": "Success",
			"user": frappe.session.user,
			"full_name": frappe.utils.get_fullname(frappe.session.user),
		}
	)
	log.flags.ignore_links = True  # the mail it names is gone
	log.insert(ignore_permissions=True)
