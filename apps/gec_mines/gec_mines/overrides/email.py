"""`frappe.email.relink` re-points any Communication with raw SQL: around the tie checks of
`rattaches` (a mail's e-mail moved out of it, or an e-mail moved into a mail one may not read)."""

import frappe
from frappe import email

from gec_mines.overrides import check_document


@frappe.whitelist(methods=["POST"])
def relink(name: str, reference_doctype: str | None = None, reference_name: str | None = None):
	check_document("Communication", name, "write")
	if reference_doctype and reference_name:
		check_document(reference_doctype, reference_name)
	return email.relink(name, reference_doctype, reference_name)
