"""`frappe.desk.listview.get_group_by_count` counts "Assigned To" over every record matching the
filters (`frappe.qb.get_query`, no permission), which tells who holds a mail one may not see.

To wire: `override_whitelisted_methods["frappe.desk.listview.get_group_by_count"]` points here;
every other field still goes through `gec_mines.recherche.get_group_by_count` (full-text words
of the Courrier list, then Frappe's `frappe.get_list`, which applies the rule)."""

import frappe
from frappe.query_builder import DocType, Order
from frappe.query_builder.functions import Count
from pypika.terms import LiteralValue

from gec_mines import recherche


@frappe.whitelist(methods=["GET", "POST"])
def get_group_by_count(doctype: str, current_filters: str, field: str) -> list[dict]:
	if field != "assigned_to":
		return recherche.get_group_by_count(doctype, current_filters, field)
	frappe.local.form_dict.update(doctype=doctype, current_filters=current_filters)
	with recherche.plein_texte("current_filters"):
		filters = frappe.parse_json(frappe.local.form_dict.current_filters)
		readable = frappe.get_list(doctype, filters=filters, fields=["name"], run=False)
	return _count_assignees(doctype, readable)


def _count_assignees(doctype: str, readable: str) -> list[dict]:
	"""Frappe's "Assigned To" count, over the records of `readable` (the SQL that `frappe.get_list`
	wrote, permissions included, values escaped) only."""
	todo, user = DocType("ToDo"), DocType("User")
	count = Count("*").as_("count")
	return (
		frappe.qb.from_(todo)
		.from_(user)
		.select(todo.allocated_to.as_("name"), count)
		.where(
			(todo.status != "Cancelled")
			& (todo.allocated_to == user.name)
			& (user.user_type == "System User")
			& (todo.reference_type == doctype)
			& todo.reference_name.isin(LiteralValue(f"({readable})"))
		)
		.groupby(todo.allocated_to)
		.orderby(count, order=Order.desc)
		.limit(50)
		.run(as_dict=True)
	)
