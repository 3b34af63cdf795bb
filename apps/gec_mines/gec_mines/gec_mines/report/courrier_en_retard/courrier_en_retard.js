// Copyright (c) 2026, Secrétariat Général des Mines
// License: MIT. See license.txt

frappe.query_reports["Courrier en Retard"] = {
	filters: [
		{ fieldname: "departement", label: __("Department"), fieldtype: "Link", options: "Departement" },
		{ fieldname: "utilisateur", label: __("Held By"), fieldtype: "Link", options: "User" },
		{ fieldname: "date", label: __("On Date"), fieldtype: "Date", default: frappe.datetime.get_today() },
	],
};
