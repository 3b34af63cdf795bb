"""`frappe.desk.search.get_link_title` reads the title of any record with `frappe.db.get_value`."""

import frappe
from frappe.desk import search

from gec_mines.overrides import check_document


@frappe.whitelist(methods=["GET", "POST"])
def get_link_title(doctype: str, docname: str) -> str | None:
	if frappe.get_meta(doctype).show_title_field_in_link:
		check_document(doctype, docname, "select" if _select_only(doctype) else "read")
	return search.get_link_title(doctype, docname)


def _select_only(doctype: str) -> bool:
	"""A Link field may show the title of a record its user can only select, not read."""
	return not frappe.has_permission(doctype, "read") and frappe.has_permission(doctype, "select")
