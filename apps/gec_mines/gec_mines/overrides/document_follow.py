"""`frappe.desk.form.document_follow.get_follow_users` lists who follows any record (`frappe.get_all`).
Following itself creates a Document Follow, refused on unreadable mail by `rattaches`."""

import frappe
from frappe.desk.form import document_follow

from gec_mines.overrides import check_document


@frappe.whitelist(methods=["GET", "POST"])
def get_follow_users(doctype: str, doc_name: str) -> list:
	check_document(doctype, doc_name)
	return document_follow.get_follow_users(doctype, doc_name)
