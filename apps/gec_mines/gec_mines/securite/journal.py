"""The security journal of GEC Mines.

Journal (`Journal Securite GEC`, read by GEC Administrateur and GEC Auditeur, filtered and exported
as CSV from its list)
	Access records: each opening of Confidentiel or Secret mail, each print, download, export and
	receipt. Security events: failed sign-ins, locked accounts and blocked addresses, refused sign-ins,
	refused access (any 403), rate limits hit, damaged encrypted data, key changes.
	Inside a web request the records are kept aside and written by the `after_request` hook once the
	request's own transaction is over, so that a refusal (whose transaction is rolled back) is still
	recorded and an access is recorded once. Elsewhere (jobs, commands, tests) they are written at once.
"""

import frappe
from frappe.utils import now_datetime

ACCES = ("Ouverture", "Impression", "Téléchargement", "Export", "Accusé de réception")
HOOK = "gec_mines.securite.journal.apres_requete"
LOGIN_PATHS = ("/api/method/login", "/api/v2/method/login")
LOGIN_METHODS = ("login", "gec_mines.securite.signin.login")  # the second migrates legacy passwords first

# Requests that take mail out of the registry, recorded once they succeeded: method -> event.
# Frappe's exports serve any doctype: they count when they export Courrier (or one of its reports).
EXPORTS_FRAPPE = {
	"frappe.desk.reportview.export_query": "Export",
	"frappe.desk.query_report.export_query": "Export",
	"frappe.core.doctype.data_export.exporter.export_data": "Export",
}
EXPORTS_GEC = {
	"gec_mines.api.accuse_reception": "Accusé de réception",
	"gec_mines.api.accuse.accuse_reception": "Accusé de réception",
	"gec_mines.api.registre.exporter_registre": "Export",
	"gec_mines.api.registre.exporter_liste": "Export",
}


def journal(
	evenement: str,
	courrier: str | None = None,
	details: str | None = None,
	utilisateur: str | None = None,
	confidentialite: str | None = None,
	document_type: str | None = None,
	document_name: str | None = None,
) -> None:
	"""Record an access or a security event (see the module docstring for when it is written)."""
	row = {
		"doctype": "Journal Securite GEC",
		"horodatage": now_datetime(),
		"evenement": evenement,
		"categorie": "Accès" if evenement in ACCES else "Sécurité",
		"utilisateur": utilisateur or (frappe.session.user if frappe.session else None),
		"adresse_ip": getattr(frappe.local, "request_ip", None),
		"courrier": courrier,
		"confidentialite": confidentialite,
		"document_type": document_type,
		"document_name": document_name,
		"details": (details or "")[:1000] or None,
	}
	if courrier and not confidentialite:
		row["confidentialite"] = frappe.db.get_value("Courrier", courrier, "confidentialite")
	if en_requete_web():
		buffer = getattr(frappe.local, "gec_journal", None)
		if not buffer or buffer[0] is not frappe.local.request:
			buffer = frappe.local.gec_journal = (frappe.local.request, [])
		buffer[1].append(row)
	else:
		_inserer([row])


def en_requete_web() -> bool:
	"""Inside a web request whose end the after_request hook sees (even one refused while Frappe
	was still signing the user in, before `frappe.local.http_request` exists)."""
	from werkzeug.wrappers import Request

	request = getattr(frappe.local, "request", None)
	return isinstance(request, Request) and HOOK in frappe.get_hooks("after_request")


def _inserer(rows: list[dict]) -> None:
	if not frappe.db.exists("DocType", "Journal Securite GEC"):
		frappe.logger("gec_mines").error("site not migrated: security journal lost: %s", rows)
		return
	for row in rows:
		# Written as a row, without the document life cycle (hooks, notifications, versions): the
		# journal is append-only and written on every receipt, print and refusal. Lengths are still
		# checked, as an insert would; links are not (a failed sign-in names whatever was typed).
		doc = frappe.get_doc(row)
		doc.set_new_name()
		doc.set_user_and_timestamp()
		doc._validate_length()
		doc.db_insert()


def apres_requete(response=None, request=None) -> None:
	"""`after_request` hook: record refusals, exports and receipts, then write the request's records
	in a transaction of their own."""
	if not getattr(frappe.local, "db", None):
		return
	try:
		status = getattr(response, "status_code", 500)
		_evenements_de_requete(request, status)
		buffer, frappe.local.gec_journal = getattr(frappe.local, "gec_journal", None), None
		rows = buffer[1] if buffer and buffer[0] is request else []
		if status >= 400:
			rows = [row for row in rows if row["categorie"] != "Accès"]
		if not rows:
			return
		frappe.db.rollback()  # whatever the request left unfinished is not ours to commit
		_inserer(rows)
		frappe.db.commit()  # nosemgrep: the request is over; the journal has its own transaction
	except Exception:
		frappe.db.rollback()
		frappe.logger("gec_mines").error("security journal not written", exc_info=True)
	finally:
		frappe.local.gec_journal_requete = None


def _evenements_de_requete(request, status: int) -> None:
	if request is None or getattr(frappe.local, "gec_journal_requete", None) is request:
		return
	path = request.path or ""
	method = commande(path)
	form = frappe.local.form_dict or {}
	courrier = form.get("name") if form.get("doctype") in (None, "Courrier") else None
	if path in LOGIN_PATHS or method in LOGIN_METHODS:
		if status >= 400 and status != 401:  # 401: a failure Frappe has already logged (see apres_activite)
			user = (getattr(request, "form", None) or {}).get("usr") or form.get("usr")
			journal("Connexion refusée", utilisateur=str(user or "")[:140] or None, details=f"HTTP {status}")
		return
	if status == 403:
		what = " ".join(filter(None, (request.method, path, form.get("doctype"), form.get("name"))))
		journal(
			"Accès refusé", courrier=courrier if form.get("doctype") == "Courrier" else None, details=what
		)
	elif status == 429:
		journal("Limite dépassée", details=f"{request.method} {path}")
	elif status < 400 and (
		method in EXPORTS_GEC or (method in EXPORTS_FRAPPE and _concerne_le_courrier(form))
	):
		keys = ("report_name", "file_format_type", "format", "filters")
		details = {k: str(form.get(k))[:300] for k in keys if form.get(k)}
		event = EXPORTS_GEC.get(method) or EXPORTS_FRAPPE[method]
		journal(event, courrier=courrier, details=frappe.as_json(details) if details else method)


def commande(path: str) -> str | None:
	for prefix in ("/api/method/", "/api/v1/method/", "/api/v2/method/"):
		if path.startswith(prefix):
			return path[len(prefix) :]
	return frappe.local.form_dict.get("cmd") if frappe.local.form_dict else None


def _concerne_le_courrier(form) -> bool:
	if form.get("doctype") == "Courrier" or form.get("select_doctype") == "Courrier":
		return True
	return bool(form.get("report_name")) and (
		frappe.db.get_value("Report", form.get("report_name"), "ref_doctype") == "Courrier"
	)


def marquer_journalise() -> None:
	"""The endpoint recorded its refusal itself: the after_request hook must not record it again."""
	frappe.local.gec_journal_requete = getattr(frappe.local, "request", None)
