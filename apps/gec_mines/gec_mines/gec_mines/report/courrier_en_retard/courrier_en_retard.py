# Copyright (c) 2026, Secrétariat Général des Mines
# License: MIT. See license.txt
"""Overdue mail, per department and per person: what is late, by how many working days, held by whom."""

import frappe
from frappe import _
from frappe.utils import getdate, nowdate

from gec_mines.echeances import WATCHED_STATES, calendrier


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	rows = overdue_rows(filters)
	return columns(), rows, None, chart(rows), summary(rows)


def columns() -> list[dict]:
	return [
		{
			"fieldname": "courrier",
			"label": _("Mail"),
			"fieldtype": "Link",
			"options": "Courrier",
			"width": 170,
		},
		{"fieldname": "objet", "label": _("Subject"), "fieldtype": "Data", "width": 260},
		{
			"fieldname": "departement",
			"label": _("Department"),
			"fieldtype": "Link",
			"options": "Departement",
			"width": 110,
		},
		{"fieldname": "detenteur", "label": _("Held By"), "fieldtype": "Data", "width": 180},
		{"fieldname": "workflow_state", "label": _("State"), "fieldtype": "Data", "width": 120},
		{"fieldname": "date_echeance", "label": _("Deadline"), "fieldtype": "Date", "width": 100},
		{"fieldname": "jours_retard", "label": _("Working Days Late"), "fieldtype": "Int", "width": 90},
	]


def overdue_rows(filters) -> list[dict]:
	"""Through `frappe.get_list`, so the access rule applies: a head sees their department's."""
	today = getdate(filters.get("date") or nowdate())
	conditions = {
		"workflow_state": ("in", WATCHED_STATES),
		"is_deleted": 0,
		"en_attente": 0,
		"date_echeance": ("<", today),
	}
	if filters.get("departement"):
		conditions["departement"] = filters.departement
	if filters.get("utilisateur"):
		conditions["name"] = ("in", assigned_to(filters.utilisateur) or [""])
	rows = frappe.get_list(
		"Courrier",
		filters=conditions,
		fields=["name as courrier", "objet", "departement", "workflow_state", "date_echeance"],
		order_by="date_echeance asc",
		limit_page_length=0,
	)
	holders = open_assignments([row.courrier for row in rows])
	cal = calendrier()
	for row in rows:
		row.jours_retard = max(cal.working_days_between(getdate(row.date_echeance), today), 0)
		row.detenteur = ", ".join(frappe.utils.get_fullname(u) for u in sorted(holders.get(row.courrier, ())))
	return rows


def assigned_to(user: str) -> list[str]:
	return frappe.get_all(
		"ToDo",
		filters={"reference_type": "Courrier", "status": "Open", "allocated_to": user},
		pluck="reference_name",
	)


def open_assignments(names: list[str]) -> dict[str, set]:
	holders: dict[str, set] = {}
	if not names:
		return holders
	for todo in frappe.get_all(
		"ToDo",
		filters={"reference_type": "Courrier", "status": "Open", "reference_name": ("in", names)},
		fields=["reference_name", "allocated_to"],
	):
		holders.setdefault(todo.reference_name, set()).add(todo.allocated_to)
	return holders


def chart(rows) -> dict | None:
	if not rows:
		return None
	per_department: dict[str, int] = {}
	for row in rows:
		key = row.departement or _("Not routed")
		per_department[key] = per_department.get(key, 0) + 1
	return {
		"data": {
			"labels": list(per_department),
			"datasets": [{"name": _("Overdue"), "values": list(per_department.values())}],
		},
		"type": "bar",
	}


def summary(rows) -> list[dict]:
	people: set[str] = set()
	for row in rows:
		people.update(p for p in row.detenteur.split(", ") if p)
	return [
		{"label": _("Overdue"), "value": len(rows), "indicator": "red" if rows else "green"},
		{"label": _("People Concerned"), "value": len(people), "indicator": "orange" if people else "green"},
	]
