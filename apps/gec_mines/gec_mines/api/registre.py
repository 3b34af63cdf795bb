"""The official register: exports, the daily closing and its check, the list export."""

import json

import frappe
from frappe import _
from frappe.core.doctype.access_log.access_log import make_access_log
from frappe.utils import add_days, get_datetime, get_fullname, getdate

from gec_mines import registre
from gec_mines.accuse import entete, statut_label, user_language
from gec_mines.core import journal as core_journal
from gec_mines.core import registre as core
from gec_mines.securite.journal import journal
from gec_mines.securite.limits import limite_debit

REPORT = "Registre du Courrier"


@frappe.whitelist(methods=["GET", "POST"])
def exporter_registre(filters: str | None = None, format: str = "pdf"):
	"""The register for the report's filters: PDF (landscape, Observation column) or XLSX."""
	frappe.has_permission("Courrier", "export" if format == "xlsx" else "report", throw=True)
	if not frappe.get_doc("Report", REPORT).is_permitted():
		frappe.throw(_("You are not allowed to see the mail register."), exc=frappe.PermissionError)
	f = registre.Filtres.parse(filters)
	filename, content = registre.export(f, format)
	make_access_log(
		doctype="Courrier",
		report_name=REPORT,
		file_type=format.upper(),
		method="exporter_registre",
		filters=json.dumps(f.as_dict(), default=str),
	)
	respond(filename, content, format)


@frappe.whitelist(methods=["POST"])
def cloturer_journee(date: str) -> dict:
	"""Close the register of `date`: count, totals and fingerprint sealed, the PDF attached."""
	closing = frappe.get_doc({"doctype": "Cloture Registre", "date_registre": date}).insert()
	return closing.as_dict()


@frappe.whitelist(methods=["GET"])
def verifier_cloture(name: str) -> dict:
	"""Does the closed day still match its fingerprint? (a later edit shows)"""
	frappe.get_doc("Cloture Registre", name).check_permission("read")
	return registre.check_closing(name)


@frappe.whitelist(methods=["GET", "POST"])
def exporter_liste(filters: str | None = None, noms: str | None = None, order_by: str | None = None):
	"""The list view's selection as a PDF, like the legacy "export_mail_list": the current
	filters (or the ticked rows), read through get_list so that every permission applies."""
	frappe.has_permission("Courrier", "report", throw=True)
	conditions = as_list(json.loads(filters) if filters else [])
	names = json.loads(noms) if noms else []
	if names:
		conditions = [*conditions, ["Courrier", "name", "in", names]]
	data = frappe.get_list(
		"Courrier",
		filters=conditions,
		fields=list(registre.REGISTER_FIELDS),
		order_by=sort_order(order_by),
		limit_page_length=registre.MAX_ROWS + 1,
	)
	if len(data) > registre.MAX_ROWS:
		frappe.throw(
			_("The list export holds at most {0} mails: narrow the filters.").format(registre.MAX_ROWS),
			title=_("List of mail"),
		)
	with user_language():
		for row in data:
			row.statut = statut_label(row.statut)
			row.type_document = _(row.type_document) if row.type_document else ""
			registre.masquer(row)
		content = core.registre_pdf(
			data,
			registre.labels(),
			entete=entete(),
			title=_("List of mail"),
			filters=describe(conditions),
			generated_by=get_fullname(frappe.session.user),
			generated_at=get_datetime(),
		)
	make_access_log(
		doctype="Courrier",
		file_type="PDF",
		method="exporter_liste",
		filters=json.dumps(conditions, default=str),
	)
	respond("liste-courriers.pdf", content, "pdf")


JOURNAL = "Journal Securite GEC"
JOURNAL_ROLES = {"GEC Administrateur", "GEC Auditeur"}
JOURNAL_MAX_ROWS = 5000
JOURNAL_FIELDS = (
	"horodatage",
	"evenement",
	"categorie",
	"utilisateur",
	"adresse_ip",
	"courrier",
	"document_type",
	"document_name",
	"details",
)


@frappe.whitelist(methods=["GET"])
@limite_debit(60, 3600)
def exporter_journal(
	from_date: str | None = None,
	to_date: str | None = None,
	evenement: str | None = None,
	utilisateur: str | None = None,
):
	"""The security and activity journal as a landscape PDF, like the legacy "export_logs_pdf":
	administrators and auditors only, at most JOURNAL_MAX_ROWS events (newest first)."""
	if frappe.session.user != "Administrator" and not JOURNAL_ROLES & set(frappe.get_roles()):
		frappe.throw(
			_("Only administrators and auditors may export the security journal."), exc=frappe.PermissionError
		)
	dates = registre.Filtres.parse({"from_date": from_date, "to_date": to_date})
	conditions = []
	if dates.from_date:
		conditions.append(["horodatage", ">=", get_datetime(dates.from_date)])
	if dates.to_date:
		conditions.append(["horodatage", "<", get_datetime(add_days(getdate(dates.to_date), 1))])
	if evenement:
		conditions.append(["evenement", "=", evenement])
	if utilisateur:
		conditions.append(["utilisateur", "=", utilisateur])
	rows = frappe.get_list(
		JOURNAL,
		filters=conditions,
		fields=list(JOURNAL_FIELDS),
		order_by="horodatage desc, creation desc",
		limit_page_length=JOURNAL_MAX_ROWS + 1,
	)
	truncated = len(rows) > JOURNAL_MAX_ROWS
	with user_language():
		for row in rows[:JOURNAL_MAX_ROWS]:
			row.evenement = _(row.evenement) if row.evenement else ""
			row.categorie = _(row.categorie) if row.categorie else ""
		meta = frappe.get_meta(JOURNAL)
		chosen = [
			f"{_(meta.get_label(field))} : {value}"
			for field, value in (("evenement", evenement and _(evenement)), ("utilisateur", utilisateur))
			if value
		]
		content = core_journal.journal_pdf(
			rows[:JOURNAL_MAX_ROWS],
			journal_labels(),
			title=_("Security and activity journal", context="Security journal"),
			period=registre.period(dates),
			generated_by=get_fullname(frappe.session.user),
			generated_at=get_datetime(),
			filters=" · ".join(chosen),
			truncated=truncated,
			entete=entete(),
		)
	details = {"from_date": from_date, "to_date": to_date, "evenement": evenement, "utilisateur": utilisateur}
	journal("Export", document_type=JOURNAL, details=json.dumps({k: v for k, v in details.items() if v}))
	respond("journal-securite.pdf", content, "pdf")


def journal_labels() -> dict[str, str]:
	"""The journal PDF's words in the current language (context "Security journal")."""
	return {key: _(text, context="Security journal") for key, text in core_journal.ENGLISH_LABELS.items()}


def as_list(filters: list | dict) -> list:
	if isinstance(filters, dict):
		return [["Courrier", k, *(v if isinstance(v, list) else ["=", v])] for k, v in filters.items()]
	return filters


def sort_order(order_by: str | None) -> str:
	"""The list's sort, kept only when it names a Courrier column."""
	field, _space, direction = (order_by or "").replace("`tabCourrier`.", "").strip("` ").partition(" ")
	field = field.strip("`")
	meta = frappe.get_meta("Courrier")
	if field in ("name", "creation", "modified") or meta.has_field(field):
		return f"`tabCourrier`.`{field}` {'asc' if direction.strip().lower() == 'asc' else 'desc'}"
	return "`tabCourrier`.`date_enregistrement` desc"


def describe(conditions: list) -> str:
	"""The applied filters in words, like the legacy export's filter line."""
	meta = frappe.get_meta("Courrier")
	parts = []
	for condition in conditions:
		field, operator, value = (condition[1:4] if len(condition) > 3 else condition)[:3]
		if field == "name" and operator == "in":
			parts.append(_("{0} selected mails").format(len(value)))
			continue
		if isinstance(value, list):
			value = ", ".join(map(str, value))
		label = _(meta.get_label(field)) if meta.has_field(field) else field
		parts.append(f"{label} {operator} {str(value).strip('%')}")
	return " · ".join(parts)


def respond(filename: str, content: bytes, fmt: str):
	frappe.local.response.filename = filename
	frappe.local.response.filecontent = content
	frappe.local.response.type = "pdf" if fmt == "pdf" else "download"
