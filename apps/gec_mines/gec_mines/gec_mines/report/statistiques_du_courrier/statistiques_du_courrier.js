// Copyright (c) 2026, Secrétariat Général des Mines
// License: MIT. See license.txt

frappe.query_reports["Statistiques du Courrier"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.year_start(),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
	],

	onload(report) {
		for (const format of ["pdf", "xlsx"]) {
			report.page.add_inner_button(
				format === "pdf" ? __("Statistics PDF") : __("Statistics XLSX"),
				() =>
					open_url_post(
						"/api/method/gec_mines.api.tableau_de_bord.exporter_statistiques",
						{ filters: JSON.stringify(report.get_values()), format },
						true
					),
				__("Export")
			);
		}
	},
};
