"""`frappe.social.doctype.energy_point_log.energy_point_log.get_reviews` lists the reviews (points,
reasons, users) given on any record with `frappe.get_all`."""

import frappe
from frappe.social.doctype.energy_point_log import energy_point_log

from gec_mines.overrides import check_document


@frappe.whitelist(methods=["GET", "POST"])
def get_reviews(doctype: str, docname: str) -> list:
	check_document(doctype, docname)
	return energy_point_log.get_reviews(doctype, docname)
