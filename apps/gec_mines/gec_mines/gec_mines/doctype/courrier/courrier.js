// Copyright (c) 2026, Secrétariat Général des Mines
// License: MIT. See license.txt

frappe.ui.form.on("Courrier", {
	setup(frm) {
		frm.set_query("type_document", () => ({
			filters: {
				actif: 1,
				direction: ["in", [frm.doc.type_courrier, "Entrant et sortant"]],
			},
		}));
		frm.set_query("statut", () => ({ filters: { actif: 1 } }));
		frm.set_query("departement", () => ({ filters: { actif: 1 } }));
	},

	refresh(frm) {
		const manual = frappe.boot.gec_numbering_mode === "Manuel";
		frm.toggle_display("numero_accuse_reception", !frm.is_new() || manual);
		frm.toggle_reqd("numero_accuse_reception", frm.is_new() && manual);
		frm.set_df_property("numero_accuse_reception", "read_only", !(frm.is_new() && manual));
		if (frm.is_new()) return;

		if (frm.doc.is_deleted) {
			frm.set_intro(__("This mail is in the trash."), "red");
			frm.add_custom_button(__("Restore"), () => gec_mines.courrier_action(frm, "restaurer"));
			frm.add_custom_button(__("Purge"), () => {
				frappe.confirm(
					__("Purge mail {0} for good? Its attachments are deleted too.", [frm.doc.name]),
					() => gec_mines.courrier_action(frm, "purger", () => frappe.set_route("List", "Courrier"))
				);
			});
		} else {
			frm.add_custom_button(__("Move to Trash"), () => {
				frappe.confirm(__("Move mail {0} to the trash?", [frm.doc.name]), () =>
					gec_mines.courrier_action(frm, "mettre_a_la_corbeille")
				);
			});
		}
		if (frm.doc.doublon_probable) {
			frm.dashboard.set_headline_alert(
				__("Another mail from the same correspondent carries reference {0}.", [
					frappe.utils.escape_html(frm.doc.numero_reference),
				]),
				"orange"
			);
		}
	},

	type_courrier(frm) {
		if (frm.doc.type_document) frm.set_value("type_document", null);
	},
});
