// Copyright (c) 2026, Secrétariat Général des Mines
// License: MIT. See license.txt

// The mail charts of the dashboard share one definition: each `dashboard_chart_source/<name>/<name>.js`
// (which Frappe evals when a chart of that source is shown) names its method and how far back its
// period starts, and this bundle, loaded with the desk, builds the rest.

frappe.provide("gec_mines");
frappe.provide("frappe.dashboards.chart_sources");

gec_mines.define_chart_source = function (source_name, method, days_back) {
	const today = frappe.datetime.get_today();
	frappe.dashboards.chart_sources[source_name] = {
		method,
		filters: [
			{
				fieldname: "from_date",
				label: __("From Date"),
				fieldtype: "Date",
				default: frappe.datetime.add_days(today, -days_back),
			},
			{
				fieldname: "to_date",
				label: __("To Date"),
				fieldtype: "Date",
				default: today,
			},
		],
	};
};
