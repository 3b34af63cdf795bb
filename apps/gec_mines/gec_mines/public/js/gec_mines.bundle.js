import "./chiffrement";
import "./tableau_de_bord";
// Copyright (c) 2026, Secrétariat Général des Mines
// License: MIT. See license.txt

frappe.provide("gec_mines");

gec_mines.courrier_action = function (frm, method, after, args) {
	return frm.call({ doc: frm.doc, method, args, freeze: true }).then(() => {
		if (after) return after();
		return frm.reload_doc();
	});
};

// One search box across number, reference, subject, sender and recipient: each word must
// appear somewhere in them, in any order (accents and case do not matter). The box is a
// standard filter on the hidden field `texte_recherche`, split into one filter per word.
gec_mines.add_free_text_search = function (listview) {
	const filter_area = listview.filter_area;
	const field = listview.page.add_field({
		fieldtype: "Data",
		fieldname: "texte_recherche",
		label: __("Search"),
		placeholder: __("Search number, reference, subject, correspondent"),
		condition: "like",
		change() {
			listview.start = 0;
			listview.refresh();
		},
	});
	const standard_filters = filter_area.get_standard_filters.bind(filter_area);
	filter_area.get_standard_filters = () =>
		standard_filters().flatMap((filter) => {
			if (filter[1] !== "texte_recherche") return [filter];
			const words = field.get_value().split(/\s+/).filter(Boolean);
			return words.map((word) => [filter[0], filter[1], "like", `%${word}%`]);
		});
	return field;
};
