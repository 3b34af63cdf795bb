// Copyright (c) 2026, Secrétariat Général des Mines
// License: MIT. See license.txt

// Encrypted values (`gec:v1:<key id>:...`, see gec_mines/chiffrement.py) never show as such in the
// desk: lists, reports, link titles and read-only fields display a mask. Readers of a mail see its
// plaintext in the form, which the server decrypts for them alone.

frappe.provide("gec_mines");

gec_mines.ENVELOPPE = /^gec:v\d{1,3}:[a-z0-9]{1,16}:[A-Za-z0-9_-]{38,}$/;
gec_mines.MASQUE = "••••••";

gec_mines.est_chiffre = (value) => typeof value === "string" && gec_mines.ENVELOPPE.test(value);

gec_mines.masquer = (value) => (gec_mines.est_chiffre(value) ? gec_mines.MASQUE : value);

gec_mines.masque_html = () => {
	const title = __("Encrypted: open the mail to read it");
	return `<span class="text-muted" title="${title}">${gec_mines.MASQUE}</span>`;
};

// Every list column, report cell and read-only field goes through these formatters.
for (const fieldtype of ["Data", "SmallText", "Text", "LongText"]) {
	const original = frappe.form.formatters[fieldtype];
	if (!original) continue;
	frappe.form.formatters[fieldtype] = function (value, ...args) {
		return gec_mines.est_chiffre(value) ? gec_mines.masque_html() : original.call(this, value, ...args);
	};
}

// The title of a linked mail (a reply's "In Reply To", link fields) is its subject.
const get_link_title = frappe.utils.get_link_title;
frappe.utils.get_link_title = function (...args) {
	return gec_mines.masquer(get_link_title.apply(this, args));
};

// A list row's subject does not go through the formatters.
if (frappe.views && frappe.views.ListView) {
	const get_subject_text = frappe.views.ListView.prototype.get_subject_text;
	frappe.views.ListView.prototype.get_subject_text = function (...args) {
		return gec_mines.masquer(get_subject_text.apply(this, args));
	};
}
