"""`frappe.desk.doctype.tag.tag`: a tag is written with raw SQL before any check, and
`get_tagged_docs` lists the names of every tagged record with the query builder."""

import frappe
from frappe.desk.doctype.tag import tag as frappe_tag

from gec_mines.overrides import check_document


@frappe.whitelist(methods=["POST"])
def add_tag(tag: str, dt: str, dn: str, color: str | None = None) -> str:
	check_document(dt, dn, "write")
	return frappe_tag.add_tag(tag, dt, dn, color)


@frappe.whitelist(methods=["POST"])
def add_tags(tags: str | list, dt: str, docs: str | list, color: str | None = None):
	for dn in frappe.parse_json(docs):
		check_document(dt, dn, "write")
	return frappe_tag.add_tags(tags, dt, docs, color)


@frappe.whitelist(methods=["POST"])
def remove_tag(tag: str, dt: str, dn: str):
	check_document(dt, dn, "write")
	return frappe_tag.remove_tag(tag, dt, dn)


@frappe.whitelist(methods=["GET", "POST"])
def get_tagged_docs(doctype: str, tag: str) -> list:
	"""The records tagged `tag` that the user may see (`frappe.get_list`, so the rule applies)."""
	frappe.has_permission(doctype, throw=True)
	return frappe.get_list(doctype, filters={"_user_tags": ["like", tag]}, fields=["name"], as_list=True)
