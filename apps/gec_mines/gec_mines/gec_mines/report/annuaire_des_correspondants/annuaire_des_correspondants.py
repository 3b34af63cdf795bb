# Copyright (c) 2026, Secrétariat Général des Mines
# License: MIT. See license.txt
"""Senders and recipients directory: every correspondent with its mail count and last date."""

import frappe
from frappe import _


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	return columns(), data(filters)


def columns() -> list[dict]:
	return [
		{"fieldname": "correspondant", "label": _("Correspondent"), "fieldtype": "Data", "width": 320},
		{"fieldname": "role", "label": _("Role"), "fieldtype": "Data", "width": 160},
		{"fieldname": "recus", "label": _("Mail Received From"), "fieldtype": "Int", "width": 140},
		{"fieldname": "envoyes", "label": _("Mail Sent To"), "fieldtype": "Int", "width": 140},
		{"fieldname": "total", "label": _("Total"), "fieldtype": "Int", "width": 100},
		{"fieldname": "dernier", "label": _("Last Registered On"), "fieldtype": "Datetime", "width": 180},
	]


def data(filters) -> list[dict]:
	merged: dict[str, dict] = {}
	for field, counter in (("expediteur", "recus"), ("destinataire", "envoyes")):
		for row in counts(field, filters.get("correspondant")):
			key = row.correspondant.strip().casefold()
			entry = merged.setdefault(
				key, {"correspondant": row.correspondant.strip(), "recus": 0, "envoyes": 0, "dernier": None}
			)
			entry[counter] += row.total
			entry["dernier"] = max(filter(None, (entry["dernier"], row.dernier)))
	for entry in merged.values():
		entry["total"] = entry["recus"] + entry["envoyes"]
		entry["role"] = (
			_("Sender and recipient")
			if entry["recus"] and entry["envoyes"]
			else (_("Sender") if entry["recus"] else _("Recipient"))
		)
	return sorted(merged.values(), key=lambda e: (-e["total"], e["correspondant"].casefold()))


def counts(field: str, search: str | None):
	"""One grouped query per role, through get_list so that the access rule applies."""
	conditions = [[field, "is", "set"], ["is_deleted", "=", 0]]
	if search:
		conditions.append([field, "like", f"%{search}%"])
	return frappe.get_list(
		"Courrier",
		filters=conditions,
		fields=[f"{field} as correspondant", "count(name) as total", "max(date_enregistrement) as dernier"],
		group_by=field,
		order_by="total desc",
		limit_page_length=0,
	)
