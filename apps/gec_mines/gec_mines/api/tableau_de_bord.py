"""The data of the "Courrier" workspace's charts (custom Dashboard Chart Sources) and the
legacy analytics export. Every figure is computed by `gec_mines.tableau_de_bord` within the
one access rule; Frappe's chart data cache, shared by all users, is never used."""

import frappe

from gec_mines import tableau_de_bord as tdb

# The chart widget also sends chart_name, refresh, timespan, time_interval...: **chart takes them.
Filters = str | dict | None


def periode(filters: Filters, from_date: str | None, to_date: str | None, default_days: int) -> tdb.Periode:
	"""The period of a chart: its own filters first, else the widget's dates, else the last days."""
	frappe.has_permission("Courrier", "read", throw=True)
	filters = frappe.parse_json(filters) or {}
	if not isinstance(filters, dict):
		filters = {}
	return tdb.Periode.parse(
		filters.get("from_date") or from_date, filters.get("to_date") or to_date, default_days
	)


@frappe.whitelist(methods=["GET", "POST"])
def volume_par_jour(
	filters: Filters = None, from_date: str | None = None, to_date: str | None = None, **chart
) -> dict:
	return tdb.per_day(periode(filters, from_date, to_date, tdb.DAYS))


@frappe.whitelist(methods=["GET", "POST"])
def volume_par_mois(
	filters: Filters = None, from_date: str | None = None, to_date: str | None = None, **chart
) -> dict:
	return tdb.per_month(periode(filters, from_date, to_date, 366))


@frappe.whitelist(methods=["GET", "POST"])
def par_sens(
	filters: Filters = None, from_date: str | None = None, to_date: str | None = None, **chart
) -> dict:
	return tdb.per_direction(periode(filters, from_date, to_date, 365))


@frappe.whitelist(methods=["GET", "POST"])
def par_departement(
	filters: Filters = None, from_date: str | None = None, to_date: str | None = None, **chart
) -> dict:
	return tdb.per_department(periode(filters, from_date, to_date, 365))


@frappe.whitelist(methods=["GET", "POST"])
def par_statut(
	filters: Filters = None, from_date: str | None = None, to_date: str | None = None, **chart
) -> dict:
	return tdb.per_status(periode(filters, from_date, to_date, 365))


@frappe.whitelist(methods=["GET", "POST"])
def retards_par_departement(**chart) -> dict:
	frappe.has_permission("Courrier", "read", throw=True)
	return tdb.overdue_per_department()


@frappe.whitelist(methods=["GET", "POST"])
def delai_par_type(
	filters: Filters = None, from_date: str | None = None, to_date: str | None = None, **chart
) -> dict:
	return tdb.processing_days_per_type(periode(filters, from_date, to_date, 365))


@frappe.whitelist(methods=["GET", "POST"])
def exporter_statistiques(filters: Filters = None, format: str = "pdf"):
	"""The legacy analytics figures for a period, as PDF or XLSX, within the access rule."""
	from frappe.core.doctype.access_log.access_log import make_access_log

	frappe.has_permission("Courrier", "export" if format == "xlsx" else "report", throw=True)
	if not frappe.get_doc("Report", tdb.REPORT).is_permitted():
		frappe.throw(frappe._("You are not allowed to see the mail statistics."), exc=frappe.PermissionError)
	filters = frappe.parse_json(filters) or {}
	filename, content = tdb.export(
		tdb.Periode.parse(filters.get("from_date"), filters.get("to_date")), format
	)
	make_access_log(
		doctype="Courrier",
		report_name=tdb.REPORT,
		file_type=format.upper(),
		method="exporter_statistiques",
		filters=frappe.as_json(filters),
	)
	frappe.local.response.filename = filename
	frappe.local.response.filecontent = content
	frappe.local.response.type = "pdf" if format == "pdf" else "download"
