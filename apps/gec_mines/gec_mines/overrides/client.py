"""`frappe.client.validate_link` says whether any record exists (`frappe.db.get_value`), whoever asks."""

import frappe
from frappe import client

from gec_mines.overrides import check_document


@frappe.whitelist(methods=["GET", "POST"])
def validate_link(doctype: str, docname: str, fields: str | list | None = None) -> dict:
	if doctype == "Courrier" and frappe.db.exists(doctype, docname):
		check_document(doctype, docname)
	return client.validate_link(doctype, docname, fields)
