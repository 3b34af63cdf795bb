# Copyright (c) 2026, Secrétariat Général des Mines
# License: MIT. See license.txt
"""The legacy analytics page: the general figures of a period and the volume per month; the
full set of tables is the PDF and XLSX export of statistiques_du_courrier.js."""

from frappe import _

from gec_mines import tableau_de_bord as tdb


def execute(filters: dict | None = None):
	filters = filters or {}
	periode = tdb.Periode.parse(filters.get("from_date"), filters.get("to_date"))
	columns = [
		{"fieldname": "indicateur", "label": _("Figure"), "fieldtype": "Data", "width": 320},
		{"fieldname": "valeur", "label": _("Value"), "fieldtype": "Data", "width": 140},
	]
	data = [{"indicateur": label, "valeur": value} for label, value in tdb.general_figures(periode)]
	month = tdb.per_month(periode)
	chart = {"data": month, "type": "bar", "barOptions": {"stacked": 1}, "colors": ["#2490ef", "#fb8c00"]}
	return columns, data, None, chart
