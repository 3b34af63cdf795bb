// Copyright (c) 2026, Secrétariat Général des Mines
// License: MIT. See license.txt

frappe.listview_settings["Journal Securite GEC"] = {
	onload(listview) {
		listview.page.add_menu_item(__("Export to PDF"), () => {
			// The list's date, event and user filters when they are simple; otherwise the whole journal.
			const args = {};
			for (const [, field, operator, value] of listview.get_filters_for_args()) {
				if (field === "horodatage") {
					if (operator === "Between" && Array.isArray(value)) {
						[args.from_date, args.to_date] = value;
					} else if (operator === ">=" || operator === ">") {
						args.from_date = value;
					} else if (operator === "<=" || operator === "<") {
						args.to_date = value;
					} else if (operator === "=") {
						args.from_date = args.to_date = value;
					}
				} else if ((field === "evenement" || field === "utilisateur") && operator === "=") {
					args[field] = value;
				}
			}
			for (const key of ["from_date", "to_date"]) {
				if (args[key]) args[key] = String(args[key]).slice(0, 10);
			}
			window.open(
				"/api/method/gec_mines.api.registre.exporter_journal?" + new URLSearchParams(args).toString()
			);
		});
	},
};
