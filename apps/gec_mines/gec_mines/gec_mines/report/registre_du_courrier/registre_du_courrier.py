# Copyright (c) 2026, Secrétariat Général des Mines
# License: MIT. See license.txt
"""The official register: the legacy list's columns and filters, totals per day and direction.

Rows and totals come from `gec_mines.registre` (one access rule, trash left out); the PDF and
XLSX exports and the daily closing are the buttons of registre_du_courrier.js.
"""

import frappe
from frappe import _

from gec_mines import registre


def execute(filters: dict | None = None):
	f = registre.Filtres.parse(filters)
	data = registre.rows(f)
	sums = registre.totals(f)
	for row in data:
		row.contact = row.expediteur if row.type_courrier == "Entrant" else row.destinataire
		row.direction = _(row.type_courrier)
		row.copie = (
			(_("Yes") if row.secretaire_general_copie else _("No")) if row.type_courrier == "Entrant" else ""
		)
	return columns(), data, registre.closing_message(f), chart(sums), summary(sums)


def columns() -> list[dict]:
	return [
		{
			"fieldname": "name",
			"label": _("Registration No."),
			"fieldtype": "Link",
			"options": "Courrier",
			"width": 160,
		},
		{"fieldname": "direction", "label": _("Direction"), "fieldtype": "Data", "width": 90},
		{"fieldname": "type_document", "label": _("Document Type"), "fieldtype": "Data", "width": 140},
		{"fieldname": "numero_reference", "label": _("Reference"), "fieldtype": "Data", "width": 130},
		{
			"fieldname": "contact",
			"label": _("Main contact", context="Register column"),
			"fieldtype": "Data",
			"width": 200,
		},
		{"fieldname": "objet", "label": _("Subject"), "fieldtype": "Data", "width": 280},
		{"fieldname": "date_redaction", "label": _("Date of Letter"), "fieldtype": "Date", "width": 110},
		{
			"fieldname": "date_enregistrement",
			"label": _("Registered On"),
			"fieldtype": "Datetime",
			"width": 150,
		},
		{"fieldname": "statut", "label": _("Status"), "fieldtype": "Data", "width": 110},
		{
			"fieldname": "copie",
			"label": _("In copy", context="Register column"),
			"fieldtype": "Data",
			"width": 80,
		},
		{
			"fieldname": "departement",
			"label": _("Department in Charge"),
			"fieldtype": "Link",
			"options": "Departement",
			"width": 130,
		},
		{
			"fieldname": "observation",
			"label": _("Observation", context="Register column"),
			"fieldtype": "Data",
			"width": 160,
		},
	]


def chart(sums) -> dict | None:
	if not sums.days:
		return None
	return {
		"data": {
			"labels": [frappe.format(day.day, "Date") for day in sums.days],
			"datasets": [
				{"name": _("Incoming", context="Register column"), "values": [d.incoming for d in sums.days]},
				{"name": _("Outgoing", context="Register column"), "values": [d.outgoing for d in sums.days]},
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
		"colors": ["#2490ef", "#fb8c00"],
	}


def summary(sums) -> list[dict]:
	return [
		{
			"value": sums.incoming,
			"label": _("Incoming", context="Register column"),
			"datatype": "Int",
			"indicator": "Blue",
		},
		{
			"value": sums.outgoing,
			"label": _("Outgoing", context="Register column"),
			"datatype": "Int",
			"indicator": "Orange",
		},
		{
			"value": sums.total,
			"label": _("Total", context="Register column"),
			"datatype": "Int",
			"indicator": "Green",
		},
		{"value": len(sums.days), "label": _("Days"), "datatype": "Int", "indicator": "Grey"},
	]
