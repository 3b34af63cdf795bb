"""Who reads a closing of the register (`Cloture Registre`, its counts and its sealed PDF).

A closing seals every mail of its day, so it is read only by those who may see every mail of
that day (the SG always; the desk on a day without mail outside its view), derived from the one
rule: a day is hidden from a user when one of its mail is outside `critere(user)`.
"""

import frappe
from frappe.query_builder.functions import Date
from frappe.utils import add_days, getdate

from gec_mines.permissions.regle import courrier_table, critere


def _hidden_days(user: str | None = None):
	"""Query of the days with mail outside what `user` may see (None: no such day)."""
	rule = critere(user)
	if rule is None:
		return None
	courrier = courrier_table()
	return (
		frappe.qb.from_(courrier)
		.select(Date(courrier.date_enregistrement))
		.where((courrier.is_deleted == 0) & rule.negate())
	)


def hidden_from(day, user: str | None = None) -> bool:
	"""True when mail registered on `day` is outside what `user` may see."""
	days = _hidden_days(user)
	if days is None:
		return False
	start = getdate(day)
	registered = courrier_table().date_enregistrement
	return bool(days.where((registered >= start) & (registered < add_days(start, 1))).limit(1).run())


def has_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	"""`has_permission` of Cloture Registre: creating is judged by the controller (the closer must
	see the whole day); reading needs the whole day too."""
	if ptype == "create" or not doc.get("date_registre"):
		return None
	return False if hidden_from(doc.date_registre, user) else None


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""`permission_query_conditions` of Cloture Registre: the closings of days wholly visible."""
	days = _hidden_days(user)
	if days is None:
		return ""
	return f"`tabCloture Registre`.`date_registre` not in ({days.get_sql()})"
