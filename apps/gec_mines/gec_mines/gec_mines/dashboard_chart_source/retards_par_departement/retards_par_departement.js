// Copyright (c) 2026, Secrétariat Général des Mines
// License: MIT. See license.txt

frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Retards par departement"] = {
	method: "gec_mines.api.tableau_de_bord.retards_par_departement",
};
