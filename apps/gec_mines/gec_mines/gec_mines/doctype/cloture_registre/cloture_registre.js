// Copyright (c) 2026, Secrétariat Général des Mines
// License: MIT. See license.txt

frappe.ui.form.on("Cloture Registre", {
	refresh(frm) {
		if (frm.is_new()) return;
		frm.add_custom_button(__("Check the Fingerprint"), () => {
			frappe.xcall("gec_mines.api.registre.verifier_cloture", { name: frm.doc.name }).then((state) => {
				const day = frappe.datetime.str_to_user(state.date);
				frappe.msgprint({
					title: __("Closing of the register"),
					indicator: state.conforme ? "green" : "red",
					message: state.conforme
						? __("The register of {0} still matches its closing ({1} mails).", [
								day,
								state.nombre_cloture,
						  ])
						: __(
								"The register of {0} no longer matches its closing: {1} mails sealed, {2} now, and a different fingerprint.",
								[day, state.nombre_cloture, state.nombre_actuel]
						  ),
				});
			});
		});
		frm.add_custom_button(__("Open the Register of the Day"), () =>
			frappe.set_route("query-report", "Registre du Courrier", {
				from_date: frm.doc.date_registre,
				to_date: frm.doc.date_registre,
			})
		);
	},
});
