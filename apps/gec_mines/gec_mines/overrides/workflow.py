"""`frappe.workflow.doctype.workflow.workflow.get_workflow_state_count` counts the records per
workflow state with `frappe.get_all`: every mail, Secret included. Same answer, through
`frappe.get_list`, which applies the rule."""

import frappe


@frappe.whitelist(methods=["GET", "POST"])
def get_workflow_state_count(doctype: str, workflow_state_field: str, states: str | list) -> list | None:
	frappe.has_permission(doctype=doctype, ptype="read", throw=True)
	states = frappe.parse_json(states)
	if workflow_state_field not in frappe.get_meta(doctype).get_valid_columns():
		return None
	result = frappe.get_list(
		doctype,
		fields=[workflow_state_field, "count(*) as count"],
		filters={workflow_state_field: ["not in", states]},
		group_by=workflow_state_field,
		order_by="",
	)
	return [r for r in result if r[workflow_state_field]]
