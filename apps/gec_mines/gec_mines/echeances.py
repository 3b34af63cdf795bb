"""Processing deadlines: computed over working days, reminded and escalated every morning."""

import datetime

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime, nowdate

from gec_mines import notifications
from gec_mines.circuit import chefs, holders, routing_rows, secretaires_generaux
from gec_mines.core.echeances import Calendrier, relance_due

WATCHED_STATES = ("Chez le SG", "Imputé", "En traitement")
LEVEL_EVENTS = {1: "rappel", 2: "retard", 3: "escalade", 4: "escalade"}


def calendrier() -> Calendrier:
	rows = frappe.get_all("Jour Ferie", fields=["date", "annuel"])
	return Calendrier.build(
		fixed=[getdate(r.date) for r in rows if not r.annuel],
		yearly=[(getdate(r.date).month, getdate(r.date).day) for r in rows if r.annuel],
	)


def delai_du_type(type_document: str | None) -> int:
	if not type_document:
		return 0
	return frappe.db.get_value("Type Courrier", type_document, "delai_traitement") or 0


def echeance(start, working_days: int) -> datetime.date:
	return calendrier().add_working_days(getdate(start), working_days)


def set_deadline(doc):
	"""The type's delay on registration; the earliest deadline of the routing slip once routed."""
	if doc.is_new() and not doc.date_echeance:
		delay = delai_du_type(doc.type_document)
		if delay:
			doc.date_echeance = echeance(doc.date_enregistrement or nowdate(), delay)
	deadlines = [
		getdate(r.date_echeance)
		for r in doc.imputations
		if r.date_echeance and r.instruction == "Attribution"
	]
	deadlines = deadlines or [getdate(r.date_echeance) for r in doc.imputations if r.date_echeance]
	if deadlines and routing_changed(doc):
		doc.date_echeance = min(deadlines)
	if doc.has_value_changed("date_echeance"):
		doc.niveau_relance = 0


def routing_changed(doc) -> bool:
	before = doc.get_doc_before_save()
	if not before:
		return True
	return routing_rows(doc) != routing_rows(before)


def settings() -> dict:
	s = frappe.get_cached_doc("GEC Settings")
	return {
		"before": s.get("rappel_jours_avant") if s.get("rappel_jours_avant") is not None else 2,
		"chef_after": s.get("escalade_chef_jours") or 1,
		"sg_after": s.get("escalade_sg_jours") or 3,
	}


def envoyer_rappels(today: datetime.date | str | None = None):
	"""Daily job: remind the holder before and after the deadline, then escalate to the head of
	department and to the SG. Each level is sent once; suspended mail is skipped."""
	today = getdate(today or nowdate())
	cal, conf = calendrier(), settings()
	open_mail = frappe.get_all(
		"Courrier",
		filters={
			"workflow_state": ("in", WATCHED_STATES),
			"is_deleted": 0,
			"en_attente": 0,
			"date_echeance": ("is", "set"),
		},
		fields=["name", "date_echeance", "niveau_relance"],
	)
	for row in open_mail:
		level = relance_due(
			cal, getdate(row.date_echeance), today, conf["before"], conf["chef_after"], conf["sg_after"]
		)
		if level <= (row.niveau_relance or 0):
			continue
		doc = frappe.get_doc("Courrier", row.name)
		current = holders(doc)
		late = max(cal.working_days_between(getdate(row.date_echeance), today), 0)
		context = {
			"jours": late,
			"detenteurs": ", ".join(frappe.utils.get_fullname(u) for u in sorted(current)),
		}
		if level in (1, 2):
			notifications.notifier(LEVEL_EVENTS[level], doc, current, **context)
		elif level == 3:
			notifications.notifier(
				"escalade", doc, chefs({doc.departement}) or secretaires_generaux(), **context
			)
		else:
			notifications.notifier("escalade", doc, secretaires_generaux(), **context)
		doc.db_set("niveau_relance", level, update_modified=False)


def suspendre(doc, motif: str):
	"""Stop the clock: the mail waits for the requester."""
	if doc.en_attente:
		return
	if not (motif or "").strip():
		frappe.throw(
			_("{0} is required to stop the clock.").format(frappe.bold(_("Reason for Waiting"))),
			exc=frappe.MandatoryError,
		)
	doc.en_attente = 1
	doc.motif_attente = motif.strip()
	doc.attente_depuis = now_datetime()


def reprendre(doc):
	"""Restart the clock: the deadline moves by the working days spent waiting."""
	if not doc.en_attente:
		return 0
	cal = calendrier()
	paused = max(cal.working_days_between(getdate(doc.attente_depuis), getdate(nowdate())), 0)
	if doc.date_echeance and paused:
		doc.date_echeance = cal.add_working_days(getdate(doc.date_echeance), paused)
	doc.en_attente = 0
	doc.attente_depuis = None
	return paused
