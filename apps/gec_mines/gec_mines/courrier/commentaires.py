"""Typed comments on a courrier (Commentaire Courrier): comment, annotation or instruction."""

import frappe
from frappe import _

from gec_mines import circuit, notifications
from gec_mines.constants import CHEF, SG

TYPES_COMMENTAIRE = ("Commentaire", "Annotation", "Instruction")


def commenter(doc, type_commentaire: str, texte: str):
	"""A comment, annotation or instruction; the author of the mail and its holder are told."""
	texte = (texte or "").strip()
	if not texte:
		frappe.throw(_("{0} is required.").format(frappe.bold(_("Text"))), exc=frappe.MandatoryError)
	if type_commentaire not in TYPES_COMMENTAIRE:
		frappe.throw(_("Kind: {0} is not a kind of comment.").format(frappe.bold(type_commentaire)))
	if type_commentaire == "Instruction" and not {SG, CHEF} & set(frappe.get_roles()):
		frappe.throw(
			_("Only the Secretary General and heads of department give instructions."),
			exc=frappe.PermissionError,
		)
	frappe.get_doc(
		{
			"doctype": "Commentaire Courrier",
			"courrier": doc.name,
			"type_commentaire": type_commentaire,
			"texte": texte,
			"auteur": frappe.session.user,
		}
	).insert(ignore_permissions=True)  # read access checked by run_doc_method
	notifications.notifier(
		"commentaire",
		doc,
		{doc.owner} | circuit.holders(doc),
		type_commentaire=_(type_commentaire),
		texte=texte,
	)
