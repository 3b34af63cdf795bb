"""`frappe.desk.doctype.dashboard_chart.dashboard_chart.get` draws a Heatmap with `frappe.get_all`:
daily counts over every record, from a chart the client may build itself. Other chart types go
through `frappe.get_list`. Heatmaps are refused on doctypes that have a row-level rule."""

import frappe
from frappe import _
from frappe.desk.doctype.dashboard_chart import dashboard_chart


@frappe.whitelist(methods=["GET", "POST"])
def get(
	chart_name: str | None = None,
	chart: str | dict | None = None,
	no_cache: str | int | None = None,
	filters: str | list | dict | None = None,
	from_date: str | None = None,
	to_date: str | None = None,
	timespan: str | None = None,
	time_interval: str | None = None,
	heatmap_year: str | int | None = None,
	refresh: str | int | None = None,
):
	if chart_name:
		config = frappe.get_doc("Dashboard Chart", chart_name)
	else:
		config = frappe._dict(frappe.parse_json(chart))
	if config.get("type") == "Heatmap" and config.get("chart_type") != "Group By":
		if config.get("document_type") in frappe.get_hooks("permission_query_conditions"):
			frappe.throw(
				_(
					"A heatmap cannot be drawn over {0}: its records are not all visible to every user."
				).format(_(config.get("document_type"))),
				exc=frappe.PermissionError,
			)
	return dashboard_chart.get(
		chart_name,
		chart,
		no_cache,
		filters,
		from_date,
		to_date,
		timespan,
		time_interval,
		heatmap_year,
		refresh,
	)
