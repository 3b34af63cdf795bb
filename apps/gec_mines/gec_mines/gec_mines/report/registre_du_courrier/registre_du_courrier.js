// Copyright (c) 2026, Secrétariat Général des Mines
// License: MIT. See license.txt

frappe.query_reports["Registre du Courrier"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
		{
			fieldname: "type_courrier",
			label: __("Direction"),
			fieldtype: "Select",
			options: ["", "Entrant", "Sortant"],
		},
		{
			fieldname: "type_document",
			label: __("Document Type"),
			fieldtype: "Link",
			options: "Type Courrier",
		},
		{
			fieldname: "statut",
			label: __("Status"),
			fieldtype: "Link",
			options: "Statut Courrier",
		},
		{
			fieldname: "departement",
			label: __("Department in Charge"),
			fieldtype: "Link",
			options: "Departement",
		},
		{
			fieldname: "copie_sg",
			label: __("Secretary General in Copy"),
			fieldtype: "Select",
			options: ["", "Oui", "Non"],
		},
		{ fieldname: "texte", label: __("Search"), fieldtype: "Data" },
	],

	onload(report) {
		const exporter = (format) =>
			open_url_post(
				"/api/method/gec_mines.api.registre.exporter_registre",
				{
					filters: JSON.stringify(report.get_values()),
					format,
				},
				true
			);
		report.page.add_inner_button(__("Register PDF"), () => exporter("pdf"), __("Export"));
		report.page.add_inner_button(__("Register XLSX"), () => exporter("xlsx"), __("Export"));
		// A single day's report also says whether the day is closed and still matches its seal.
		report.page.add_inner_button(__("Close the Day"), () => gec_mines.registre_cloturer(report));
	},
};

frappe.provide("gec_mines");

gec_mines.registre_cloturer = function (report) {
	const { from_date, to_date } = report.get_values() || {};
	if (!from_date || from_date !== to_date) {
		frappe.msgprint(__("Choose a single day: the same From Date and To Date."));
		return;
	}
	const day = frappe.datetime.str_to_user(from_date);
	frappe.confirm(
		__(
			"Close the register of {0}? Its mails are counted and sealed with a fingerprint; the closing cannot be undone.",
			[day]
		),
		() =>
			frappe.xcall("gec_mines.api.registre.cloturer_journee", { date: from_date }).then((closing) => {
				frappe.show_alert({
					message: __("Register of {0} closed: {1} mails sealed.", [day, closing.nombre]),
					indicator: "green",
				});
				report.refresh();
				if (closing.registre_pdf) window.open(closing.registre_pdf);
			})
	);
};
