"""`frappe.model.document.unlock_document` removes the lock of any document, with no check."""

import frappe
from frappe.model import document

from gec_mines.overrides import check_document


@frappe.whitelist(methods=["POST"])
def unlock_document(doctype: str | None = None, name: str | None = None, args: str | None = None):
	if not doctype and not name and args:
		values = frappe.parse_json(args)
		doctype, name = str(values["doctype"]), str(values["name"])
	check_document(doctype, name, "write")
	return document.unlock_document(doctype, name)
