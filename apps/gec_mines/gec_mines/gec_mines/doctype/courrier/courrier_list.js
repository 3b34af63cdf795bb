// Copyright (c) 2026, Secrétariat Général des Mines
// License: MIT. See license.txt

frappe.listview_settings["Courrier"] = {
	add_fields: ["statut", "is_deleted", "type_courrier", "doublon_probable"],
	filters: [["is_deleted", "=", 0]],

	get_indicator(doc) {
		if (doc.is_deleted) {
			return [__("In Trash"), "gray", "is_deleted,=,1"];
		}
		const statut = (frappe.boot.gec_statuts || {})[doc.statut];
		if (statut) {
			return [__(statut.libelle), statut.couleur, "statut,=," + doc.statut];
		}
	},

	onload(listview) {
		listview.page_length = listview.selected_page_count = 25;
		gec_mines.add_free_text_search(listview);
		listview.page.add_menu_item(__("Trash"), () => {
			listview.filter_area
				.clear(false)
				.then(() => listview.filter_area.add([["Courrier", "is_deleted", "=", 1]]));
		});
		listview.page.add_menu_item(__("Senders and Recipients"), () => {
			frappe.set_route("query-report", "Annuaire des Correspondants");
		});
		listview.page.add_menu_item(__("Export List to PDF"), () => {
			// The ticked rows, or else everything the current filters show.
			open_url_post(
				"/api/method/gec_mines.api.registre.exporter_liste",
				{
					filters: JSON.stringify(listview.get_filters_for_args()),
					noms: JSON.stringify(listview.get_checked_items(true)),
					order_by: `${listview.sort_by} ${listview.sort_order}`,
				},
				true
			);
		});
	},
};
