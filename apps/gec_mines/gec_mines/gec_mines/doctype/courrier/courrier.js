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
		frm.set_query("departement", "imputations", () => ({ filters: { actif: 1 } }));
		frm.set_query("en_reponse_a", () => ({ filters: { type_courrier: "Entrant", is_deleted: 0 } }));
	},

	after_workflow_action(frm) {
		// the state's new fields come back encrypted from apply_workflow: read them as a reader
		frm.reload_doc();
	},

	before_workflow_action(frm) {
		// Rejecting needs a reason and dispatching needs its date and mode: ask, then go on.
		if (frm.selected_workflow_action === "Rejeter") {
			frappe.dom.unfreeze();
			frappe.prompt(
				{ fieldname: "motif", fieldtype: "Small Text", label: __("Reason for Rejection"), reqd: 1 },
				(values) => gec_mines.courrier_action(frm, "rejeter", null, values),
				__("Reject the draft"),
				__("Reject")
			);
			return new Promise(() => {});
		}
		if (frm.selected_workflow_action === "Expédier" && !(frm.doc.date_envoi && frm.doc.mode_envoi)) {
			frappe.dom.unfreeze();
			return new Promise((resolve) => {
				frappe.prompt(
					[
						{
							fieldname: "date_envoi",
							fieldtype: "Date",
							label: __("Dispatch Date"),
							reqd: 1,
							default: frappe.datetime.get_today(),
						},
						{
							fieldname: "mode_envoi",
							fieldtype: "Select",
							label: __("Dispatch Mode"),
							reqd: 1,
							options: frm.fields_dict.mode_envoi.df.options,
						},
					],
					(values) =>
						frm
							.set_value(values)
							.then(() => frm.save())
							.then(() => {
								frappe.dom.freeze();
								resolve();
							}),
					__("Dispatch"),
					__("Dispatch")
				);
			});
		}
	},

	refresh(frm) {
		const manual = frappe.boot.gec_numbering_mode === "Manuel";
		frm.toggle_display("numero_accuse_reception", !frm.is_new() || manual);
		frm.toggle_reqd("numero_accuse_reception", frm.is_new() && manual);
		frm.set_df_property("numero_accuse_reception", "read_only", !(frm.is_new() && manual));
		// Frappe reuses the form's controls from one mail to the next and does not show the
		// Attach button again after a mail that had a file (e.g. "Draft a Reply").
		const attach = frm.fields_dict.fichier;
		if (!frm.doc.fichier && attach && attach.$input) attach.$input.toggle(true);
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
		gec_mines.courrier_circuit_buttons(frm);
		for (const [label, size] of [
			[__("Receipt (A4)"), "A4"],
			[__("Receipt for the Counter (A5)"), "A5"],
		]) {
			frm.add_custom_button(
				label,
				() =>
					window.open(
						`/api/method/gec_mines.api.accuse_reception?name=${encodeURIComponent(
							frm.doc.name
						)}&format=${size}`
					),
				__("Print")
			);
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

gec_mines.courrier_circuit_buttons = function (frm) {
	const roles = frappe.user_roles;
	const is = (role) => roles.includes(role);
	const state = frm.doc.workflow_state;
	const group = __("Follow-up");
	if (frm.doc.is_deleted) return;

	if (state === "Chez le SG" && is("GEC Secretaire General") && !(frm.doc.imputations || []).length) {
		frm.set_intro(__("Fill in the routing slip and save, then route the mail."), "blue");
	}
	if (
		["Imputé", "En traitement"].includes(state) &&
		(is("GEC Chef Departement") || is("GEC Secretaire General"))
	) {
		frm.add_custom_button(
			__("Assign"),
			() =>
				frappe.prompt(
					[
						{
							fieldname: "utilisateur",
							fieldtype: "Link",
							options: "User",
							label: __("Assign To"),
							reqd: 1,
							get_query: () => ({
								query: "frappe.core.doctype.user.user.user_query",
								filters: { ignore_user_type: 0 },
							}),
						},
						{ fieldname: "note", fieldtype: "Small Text", label: __("Note") },
					],
					(values) => gec_mines.courrier_action(frm, "assigner", null, values),
					__("Assign the mail"),
					__("Assign")
				),
			group
		);
	}
	frm.add_custom_button(
		__("Forward Mail"),
		() =>
			frappe.prompt(
				[
					{
						fieldname: "utilisateur",
						fieldtype: "Link",
						options: "User",
						label: __("Forwarded To"),
						reqd: 1,
					},
					{ fieldname: "message", fieldtype: "Small Text", label: __("Message") },
					{
						fieldname: "fichier",
						fieldtype: "Select",
						label: __("File"),
						options: [""].concat((frm.get_docinfo().attachments || []).map((a) => a.file_url)),
					},
				],
				(values) => gec_mines.courrier_action(frm, "transmettre", null, values),
				__("Forward the mail"),
				__("Forward Mail")
			),
		group
	);
	const kinds = ["Commentaire", "Annotation"];
	if (is("GEC Secretaire General") || is("GEC Chef Departement")) kinds.push("Instruction");
	frm.add_custom_button(
		__("Comment on Mail"),
		() =>
			frappe.prompt(
				[
					{
						fieldname: "type_commentaire",
						fieldtype: "Select",
						label: __("Kind"),
						options: kinds.map((k) => ({ value: k, label: __(k) })),
						default: "Commentaire",
						reqd: 1,
					},
					{ fieldname: "texte", fieldtype: "Small Text", label: __("Text"), reqd: 1 },
				],
				(values) => gec_mines.courrier_action(frm, "commenter", null, values),
				__("Add a comment"),
				__("Add")
			),
		group
	);
	const clock_roles = ["GEC Secretaire General", "GEC Chef Departement", "GEC Gestionnaire"];
	if (["Imputé", "En traitement"].includes(state) && clock_roles.some(is)) {
		if (frm.doc.en_attente) {
			frm.set_intro(
				__("Waiting for the requester since {0}: {1}", [
					frappe.datetime.str_to_user(frm.doc.attente_depuis),
					frappe.utils.escape_html(frm.doc.motif_attente || ""),
				]),
				"orange"
			);
			frm.add_custom_button(
				__("Restart the Clock"),
				() => gec_mines.courrier_action(frm, "reprendre"),
				group
			);
		} else {
			frm.add_custom_button(
				__("Wait for the Requester"),
				() =>
					frappe.prompt(
						{
							fieldname: "motif",
							fieldtype: "Small Text",
							label: __("Reason for Waiting"),
							reqd: 1,
						},
						(values) => gec_mines.courrier_action(frm, "suspendre", null, values),
						__("Stop the clock"),
						__("Stop the Clock")
					),
				group
			);
		}
	}
	if (is("GEC Secretaire General")) {
		frm.add_custom_button(
			__("Change Confidentiality"),
			() =>
				frappe.prompt(
					[
						{
							fieldname: "niveau",
							fieldtype: "Select",
							label: __("Confidentiality"),
							options: ["Normal", "Confidentiel", "Secret"]
								.filter((level) => level !== frm.doc.confidentialite)
								.map((level) => ({ value: level, label: __(level) })),
							reqd: 1,
						},
						{ fieldname: "motif", fieldtype: "Small Text", label: __("Reason"), reqd: 1 },
					],
					(values) => gec_mines.courrier_action(frm, "changer_confidentialite", null, values),
					__("Change Confidentiality"),
					__("Change")
				),
			group
		);
	}
	if (is("GEC Secretaire General") || is("GEC Administrateur")) {
		frm.add_custom_button(
			__("Revoke the Receipts"),
			() =>
				frappe.prompt(
					[{ fieldname: "motif", fieldtype: "Small Text", label: __("Reason"), reqd: 1 }],
					(values) =>
						frappe
							.xcall("gec_mines.api.accuse.revoquer_accuse", {
								name: frm.doc.name,
								motif: values.motif,
							})
							.then(() =>
								frappe.show_alert({
									message: __("The receipts printed so far are revoked."),
									indicator: "orange",
								})
							),
					__("Revoke the Receipts"),
					__("Revoke")
				),
			__("Print")
		);
	}
	if (
		frm.doc.type_courrier === "Entrant" &&
		!["Classé"].includes(state) &&
		(is("GEC Gestionnaire") || is("GEC Chef Departement"))
	) {
		frm.add_custom_button(
			__("Draft a Reply"),
			() =>
				frappe.new_doc("Courrier", {
					type_courrier: "Sortant",
					en_reponse_a: frm.doc.name,
					destinataire: frm.doc.expediteur,
					objet: __("Re: {0}", [frm.doc.objet]),
					departement: frm.doc.departement,
				}),
			group
		);
	}
	frappe
		.xcall("frappe.client.get_count", {
			doctype: "Transmission Courrier",
			filters: { courrier: frm.doc.name, destinataire: frappe.session.user, lu: 0 },
		})
		.then((unread) => unread && frm.call({ doc: frm.doc, method: "marquer_lu" }));
};
