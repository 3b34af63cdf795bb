"""The Secretary General's figures: the charts of the "Mail" workspace (shown as "Courrier" in
French) and the legacy analytics, each one aggregate query on `tabCourrier` within the one
access rule.

Number cards count through `frappe.get_list` (the rule applies by itself); every query here
adds `permissions.conditions_courrier`, so a head of department sees the figures of the mail
they may see and nothing about the rest. Trashed mail never counts.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import frappe
from frappe import _
from frappe.utils import add_months, format_date, get_datetime, get_first_day, get_fullname, getdate

from gec_mines.accuse import entete, user_language
from gec_mines.core import statistiques
from gec_mines.core.statistiques import Section
from gec_mines.echeances import WATCHED_STATES
from gec_mines.permissions import conditions_courrier

DAYS = 30
MONTHS = 12
TOP = 10
REPORT = "Statistiques du Courrier"


@dataclass(frozen=True)
class Periode:
	start: date
	end: date  # included

	@classmethod
	def parse(cls, from_date=None, to_date=None, default_days: int = 365) -> "Periode":
		end = getdate(to_date) if to_date else getdate()
		start = getdate(from_date) if from_date else end - timedelta(days=default_days - 1)
		if start > end:
			frappe.throw(_("From Date must be before To Date."), title=_("Figures"))
		return cls(start, end)

	def values(self) -> dict:
		return {
			"start": datetime.combine(self.start, datetime.min.time()),
			"end": datetime.combine(self.end + timedelta(days=1), datetime.min.time()),
		}


def scope(periode: Periode | None = None, user: str | None = None) -> tuple[str, dict]:
	"""The mail a figure counts: not trashed, registered in `periode`, visible to `user`."""
	t = "`tabCourrier`"
	conditions, values = [f"{t}.`is_deleted` = 0"], {}
	if periode:
		conditions.append(f"{t}.`date_enregistrement` >= %(start)s and {t}.`date_enregistrement` < %(end)s")
		values.update(periode.values())
	if rule := conditions_courrier(user):
		conditions.append(rule)
	return " and ".join(conditions), values


def grouped(
	expression: str,
	periode: Periode | None = None,
	extra: str = "",
	values: dict | None = None,
	limit: int = 100,
):
	"""(key, count) per value of `expression` (SQL written here, never from input), biggest first."""
	condition, params = scope(periode)
	return frappe.db.sql(
		f"""select {expression} as cle, count(*) as nombre from `tabCourrier`
		where {condition} {extra} group by cle order by nombre desc limit {int(limit)}""",
		{**params, **(values or {})},
	)


# ------------------------------------------------------------------ chart data


def per_day(periode: Periode) -> dict:
	"""Incoming and outgoing mail per registration day, every day of the period shown."""
	if (periode.end - periode.start).days > 366:
		frappe.throw(_("Choose at most a year of days."), title=_("Figures"))
	condition, values = scope(periode)
	counts = {
		(str(day), direction): n
		for day, direction, n in frappe.db.sql(
			f"""select date(`date_enregistrement`) as jour, `type_courrier`, count(*) from `tabCourrier`
			where {condition} group by jour, `type_courrier`""",
			values,
		)
	}
	days = [periode.start + timedelta(days=i) for i in range((periode.end - periode.start).days + 1)]
	return by_direction([d.strftime("%d/%m") for d in days], [str(d) for d in days], counts)


def per_month(periode: Periode) -> dict:
	condition, values = scope(periode)
	counts = {
		(month, direction): n
		for month, direction, n in frappe.db.sql(
			f"""select date_format(`date_enregistrement`, '%%Y-%%m') as mois, `type_courrier`, count(*)
			from `tabCourrier` where {condition} group by mois, `type_courrier`""",
			values,
		)
	}
	months, current = [], get_first_day(periode.start)
	while current <= periode.end:
		months.append(current)
		current = add_months(current, 1)
	return by_direction([m.strftime("%m/%Y") for m in months], [m.strftime("%Y-%m") for m in months], counts)


def by_direction(labels: list[str], keys: list[str], counts: dict) -> dict:
	return {
		"labels": labels,
		"datasets": [
			{"name": _("Incoming mail"), "values": [counts.get((k, "Entrant"), 0) for k in keys]},
			{"name": _("Outgoing mail"), "values": [counts.get((k, "Sortant"), 0) for k in keys]},
		],
	}


def per_direction(periode: Periode) -> dict:
	names = {"Entrant": _("Incoming mail"), "Sortant": _("Outgoing mail")}
	return single(_("Mail"), [(names.get(k, k), n) for k, n in grouped("`type_courrier`", periode)])


def per_department(periode: Periode) -> dict:
	return single(_("Mail"), department_names(grouped("`departement`", periode)))


def per_status(periode: Periode) -> dict:
	labels = dict(frappe.db.sql("select `name`, `libelle` from `tabStatut Courrier`"))
	rows = grouped("`statut`", periode)
	return single(_("Mail"), [(_(labels.get(k) or k or _("Not set")), n) for k, n in rows])


def overdue_filters() -> tuple[str, dict]:
	"""Open mail past its deadline, the clock not stopped (as the daily reminders count it)."""
	return (
		"and `tabCourrier`.`workflow_state` in %(watched)s and `tabCourrier`.`en_attente` = 0"
		" and `tabCourrier`.`date_echeance` < %(today)s",
		{"watched": WATCHED_STATES, "today": getdate()},
	)


def overdue_per_department() -> dict:
	extra, values = overdue_filters()
	return single(_("Overdue mail"), department_names(grouped("`departement`", None, extra, values)))


def processing_days_per_type(periode: Periode) -> dict:
	"""Average calendar days from registration to "Traité", per document type (incoming mail)."""
	condition, values = scope(periode)
	rows = frappe.db.sql(
		f"""select `type_document`, round(avg(timestampdiff(hour, `date_enregistrement`, `date_traitement`)) / 24, 1),
			count(*)
		from `tabCourrier` where {condition} and `type_courrier` = 'Entrant' and `date_traitement` is not null
		group by `type_document` order by 2 desc""",
		values,
	)
	return single(
		_("Average days to process"), [(_(k) if k else _("Not set"), float(days)) for k, days, _n in rows]
	)


def department_names(rows) -> list[tuple[str, int]]:
	names = dict(frappe.db.sql("select `name`, `nom` from `tabDepartement`"))
	return [(names.get(k) or k or _("Not routed yet"), n) for k, n in rows]


def single(name: str, pairs: list[tuple[str, float]]) -> dict:
	return {"labels": [k for k, _n in pairs], "datasets": [{"name": name, "values": [n for _k, n in pairs]}]}


# ------------------------------------------------------------------ the legacy analytics


def general_figures(periode: Periode) -> list[list]:
	"""The legacy analytics cards for `periode`: one aggregate query."""
	condition, values = scope(periode)
	_extra, overdue = overdue_filters()
	end = periode.values()["end"]
	row = frappe.db.sql(
		f"""select count(*) as total,
			sum(`type_courrier` = 'Entrant') as entrants,
			sum(`type_courrier` = 'Sortant') as sortants,
			sum(`date_enregistrement` >= %(week)s) as sept_jours,
			sum(`date_enregistrement` >= %(month)s) as trente_jours,
			sum(`workflow_state` = 'Chez le SG') as chez_le_sg,
			sum(`workflow_state` in %(watched)s and `en_attente` = 0 and `date_echeance` < %(today)s) as en_retard,
			round(avg(timestampdiff(hour, `date_enregistrement`, `date_traitement`)) / 24, 1) as delai
		from `tabCourrier` where {condition}""",
		{**values, **overdue, "week": end - timedelta(days=7), "month": end - timedelta(days=30)},
		as_dict=True,
	)[0]
	return [
		[_("Mail registered"), int(row.total or 0)],
		[_("Incoming mail"), int(row.entrants or 0)],
		[_("Outgoing mail"), int(row.sortants or 0)],
		[_("Registered in the last 7 days"), int(row.sept_jours or 0)],
		[_("Registered in the last 30 days"), int(row.trente_jours or 0)],
		[_("Awaiting the Secretary General"), int(row.chez_le_sg or 0)],
		[_("Overdue mail"), int(row.en_retard or 0)],
		[_("Average processing time (days)"), float(row.delai) if row.delai is not None else "—"],
	]


def sections(periode: Periode) -> list:
	"""Every table of the statistics export, counted within the access rule."""
	condition, values = scope(periode)
	per_dept: dict = {}
	for departement, direction, n in frappe.db.sql(
		f"""select `departement`, `type_courrier`, count(*) from `tabCourrier` where {condition}
		group by `departement`, `type_courrier`""",
		values,
	):
		per_dept.setdefault(departement, {})[direction] = n
	names = dict(frappe.db.sql("select `name`, `nom` from `tabDepartement`"))
	departments = sorted(
		(
			[names.get(k) or k or _("Not routed yet"), d.get("Entrant", 0), d.get("Sortant", 0)]
			for k, d in per_dept.items()
		),
		key=lambda r: -(r[1] + r[2]),
	)
	status = per_status(periode)
	total = sum(status["datasets"][0]["values"]) or 1
	month = per_month(
		Periode(max(periode.start, get_first_day(add_months(periode.end, 1 - MONTHS))), periode.end)
	)
	plain = "and `{0}` not like 'gec:v%%'"  # encrypted correspondents are not named, nor counted apart
	return [
		Section(_("General figures"), [_("Figure"), _("Value")], general_figures(periode)),
		Section(
			_("Mail by Department"),
			[_("Department"), _("Incoming mail"), _("Outgoing mail"), _("Total")],
			[[*r, r[1] + r[2]] for r in departments],
		),
		Section(
			_("Mail by Status"),
			[_("Status"), _("Mail"), _("Share (%)")],
			[
				[label, n, round(100 * n / total, 1)]
				for label, n in zip(status["labels"], status["datasets"][0]["values"], strict=True)
			],
		),
		Section(
			_("Mail by Document Type"),
			[_("Document Type"), _("Mail")],
			[[_(k) if k else _("Not set"), n] for k, n in grouped("`type_document`", periode)],
		),
		Section(
			_("Mail per Month"),
			[_("Month"), _("Incoming mail"), _("Outgoing mail")],
			[
				[label, *values]
				for label, *values in zip(
					month["labels"], *(d["values"] for d in month["datasets"]), strict=True
				)
			],
		),
		Section(
			_("Top Senders"),
			[_("Sender"), _("Mail")],
			[
				list(r)
				for r in grouped(
					"`expediteur`",
					periode,
					"and `type_courrier` = 'Entrant' and `expediteur` != '' " + plain.format("expediteur"),
					limit=TOP,
				)
			],
		),
		Section(
			_("Top Recipients"),
			[_("Recipient"), _("Mail")],
			[
				list(r)
				for r in grouped(
					"`destinataire`",
					periode,
					"and `type_courrier` = 'Sortant' and `destinataire` != '' "
					+ plain.format("destinataire"),
					limit=TOP,
				)
			],
		),
	]


def export(periode: Periode, fmt: str) -> tuple[str, bytes]:
	"""The statistics of `periode` as PDF or XLSX, in the user's language."""
	if fmt not in ("pdf", "xlsx"):
		frappe.throw(_("Format {0} is not available: choose pdf or xlsx.").format(frappe.bold(fmt)))
	with user_language():
		common = {
			"title": _("Mail statistics"),
			"period": _("From {0} to {1}").format(format_date(periode.start), format_date(periode.end)),
			"generated_by": get_fullname(frappe.session.user),
			"generated_at": get_datetime(),
		}
		labels = {k: _(v, context="Register") for k, v in statistiques.ENGLISH_LABELS.items()}
		tables = sections(periode)
		if fmt == "pdf":
			content = statistiques.statistiques_pdf(tables, labels, entete=entete(), **common)
		else:
			content = statistiques.statistiques_xlsx(tables, labels, **common)
	return f"statistiques-{periode.start}_{periode.end}.{fmt}", content
