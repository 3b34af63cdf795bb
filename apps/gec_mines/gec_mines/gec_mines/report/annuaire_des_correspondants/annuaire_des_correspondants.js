// Copyright (c) 2026, Secrétariat Général des Mines
// License: MIT. See license.txt

frappe.query_reports["Annuaire des Correspondants"] = {
	filters: [
		{
			fieldname: "correspondant",
			label: __("Correspondent"),
			fieldtype: "Data",
		},
	],
};
