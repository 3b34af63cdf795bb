"""Assigning a courrier to a member of staff (a ToDo; who may assign whom: circuit.check_assignment)."""

import frappe
from frappe import _

from gec_mines import chiffrement, notifications


def assigner(doc, utilisateur: str, note: str | None = None):
	"""The head of a department concerned (or the SG) hands the mail to a member of staff."""
	doc.check_permission("write")
	frappe.get_doc(
		{
			"doctype": "ToDo",
			"allocated_to": utilisateur,
			"reference_type": "Courrier",
			"reference_name": doc.name,
			"description": note
			or _("Process mail {0}: {1}").format(doc.name, chiffrement.texte_affichable(doc, "objet")),
			"assigned_by": frappe.session.user,
			"date": doc.date_echeance,
			"priority": "High" if doc.priorite != "Normale" else "Medium",
		}
	).insert(ignore_permissions=True)  # who may assign whom: circuit.check_assignment
	if doc.workflow_state == "Imputé":
		doc.workflow_state = "En traitement"
		doc.save()
	notifications.notifier("assignation", doc, {utilisateur}, note=note or "")
