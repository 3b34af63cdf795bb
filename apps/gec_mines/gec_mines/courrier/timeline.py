"""Forwards and typed comments in the Courrier form's timeline (`additional_timeline_content` hook),
drawn by the templates of gec_mines/templates/courrier/; every value is escaped there."""

import frappe
from frappe import _
from frappe.utils import escape_html, get_fullname

COMMENTAIRE = "gec_mines/templates/courrier/timeline_commentaire.html"
TRANSMISSION = "gec_mines/templates/courrier/timeline_transmission.html"


def timeline(doctype: str, docname: str) -> list[dict]:
	helpers = {"_": _, "escape_html": escape_html, "get_fullname": get_fullname}
	items = []
	for c in frappe.get_all(
		"Commentaire Courrier",
		filters={"courrier": docname},
		fields=["type_commentaire", "texte", "auteur", "creation"],
	):
		items.append(
			{
				"icon": "small-message",
				"is_card": True,
				"creation": c.creation,
				"content": frappe.render_template(COMMENTAIRE, {"c": c, **helpers}),
			}
		)
	for t in frappe.get_all(
		"Transmission Courrier",
		filters={"courrier": docname},
		fields=["destinataire", "transmis_par", "message", "lu", "creation"],
	):
		items.append(
			{
				"icon": "share",
				"creation": t.creation,
				"content": frappe.render_template(TRANSMISSION, {"t": t, **helpers}),
			}
		)
	return items
