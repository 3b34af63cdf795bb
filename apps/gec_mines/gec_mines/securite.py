"""Abuse limits, sign-in defaults and the security journal of GEC Mines.

Journal (`Journal Securite GEC`, read by GEC Administrateur and GEC Auditeur, filtered and exported
as CSV from its list)
	Access records: each opening of Confidentiel or Secret mail, each print, download, export and
	receipt. Security events: failed sign-ins, locked accounts and blocked addresses, refused sign-ins,
	refused access (any 403), rate limits hit, damaged encrypted data, key changes.
	Inside a web request the records are kept aside and written by the `after_request` hook once the
	request's own transaction is over, so that a refusal (whose transaction is rolled back) is still
	recorded and an access is recorded once. Elsewhere (jobs, commands, tests) they are written at once.

Sign-in
	Frappe locks a user or an address after `allow_consecutive_login_attempts` failures in a row;
	GEC sets it so that 8 failures lock for 15 minutes, as the legacy application did. On top of that,
	an address may fail to sign in at most `TENTATIVES_PAR_ADRESSE` times per `FENETRE` seconds, even
	with successes in between (a valid account cannot reset the count by signing in between guesses):
	beyond, the address is locked through Frappe's own tracker and the event is recorded. Successes do
	not count: a whole ministry signs in from behind one NAT address.

Rate limits
	`limite_debit` counts calls per user (per address for guests): one ministry behind one address
	must not share a single budget. Over the limit: HTTP 429 and a journal record.
"""

import functools
import shutil
import time
from collections.abc import Callable

import frappe
from frappe import _
from frappe.utils import cint, now_datetime

ACCES = ("Ouverture", "Impression", "Téléchargement", "Export", "Accusé de réception")
FENETRE = 15 * 60
TENTATIVES_PAR_ADRESSE = 30
HOOK = "gec_mines.securite.apres_requete"
LOGIN_PATHS = ("/api/method/login", "/api/v2/method/login")
LOGIN_METHODS = ("login", "gec_mines.connexion.login")  # the second migrates legacy passwords first

# Frappe's own settings, set once (an administrator's later choice is kept).
PARAMETRES_VERSION = 1
PARAMETRES = {
	# Frappe locks when the failures exceed this number: 7 means the 8th failure locks, as in the legacy app.
	"allow_consecutive_login_attempts": 7,
	"allow_login_after_fail": 15 * 60,
	"enable_password_policy": 1,
	"minimum_password_score": "3",
	"session_expiry": "08:00",
	"logout_on_password_reset": 1,
	"two_factor_method": "OTP App",
	"allow_guests_to_upload_files": 0,
}
ROLES_DOUBLE_FACTEUR = ("GEC Secretaire General", "GEC Administrateur", "System Manager")

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


# ------------------------------------------------------------------ journal


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
		doc = frappe.get_doc(row)
		doc.flags.ignore_links = True  # a failed sign-in names whatever was typed
		doc.insert(ignore_permissions=True)


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


# ------------------------------------------------------------------ sign-in


def apres_activite(doc, method=None) -> None:
	"""`Activity Log` after_insert: a failed sign-in is recorded and counted for its address, and a
	user or address Frappe has just locked is recorded too."""
	if doc.operation != "Login" or doc.status != "Failed":
		return
	ip = getattr(frappe.local, "request_ip", None)
	journal("Échec de connexion", utilisateur=doc.user, details=doc.subject)
	settings = frappe.get_system_settings
	maximum = cint(settings("allow_consecutive_login_attempts"))
	if maximum > 0:
		for key, event in ((doc.user, "Compte bloqué"), (ip, "Adresse bloquée")):
			if key and cint(_tracker(key).login_failed_count) == maximum + 1:
				journal(
					event, utilisateur=doc.user, details=_("after {0} failures in a row").format(maximum + 1)
				)
	compter_tentative(ip, doc.user)


def compter_tentative(ip: str | None, user: str | None = None) -> None:
	"""Count a sign-in attempt of `ip`; beyond the limit, lock the address for the lock interval."""
	if not ip:
		return
	key = frappe.cache.make_key(f"gec-sign-in:{ip}")
	frappe.cache.set(key, 0, ex=FENETRE, nx=True)
	if frappe.cache.incr(key) == TENTATIVES_PAR_ADRESSE:
		bloquer_adresse(ip)
		journal(
			"Adresse bloquée",
			utilisateur=user,
			details=_("{0} sign-in attempts within {1} minutes").format(
				TENTATIVES_PAR_ADRESSE, FENETRE // 60
			),
		)


def bloquer_adresse(ip: str) -> None:
	"""Lock `ip` through Frappe's login tracker, which refuses it until the lock interval is over."""
	tracker = _tracker(ip)
	tracker.login_failed_time = now_datetime()
	tracker.login_failed_count = cint(frappe.get_system_settings("allow_consecutive_login_attempts")) + 1


def _tracker(key: str):
	from frappe.auth import LoginAttemptTracker

	return LoginAttemptTracker(key)


# ------------------------------------------------------------------ rate limits


def limite_debit(limite: int, secondes: int) -> Callable:
	"""Allow `limite` calls of the decorated endpoint per user (per address for guests) per `secondes`."""

	def decorator(fn):
		@functools.wraps(fn)
		def wrapper(*args, **kwargs):
			if getattr(frappe.local, "request", None) is not None:
				_compter(f"{fn.__module__}.{fn.__qualname__}", limite, secondes)
			return fn(*args, **kwargs)

		wrapper.gec_limite = (limite, secondes)
		return wrapper

	return decorator


def _compter(endpoint: str, limite: int, secondes: int) -> None:
	user = frappe.session.user
	who = user if user != "Guest" else "ip:" + (getattr(frappe.local, "request_ip", None) or "?")
	key = frappe.cache.make_key(f"gec-rl:{endpoint}:{who}")
	frappe.cache.set(key, 0, ex=secondes, nx=True)
	if frappe.cache.incr(key) > limite:
		journal("Limite dépassée", details=endpoint)
		marquer_journalise()
		frappe.throw(
			_("Too many requests: at most {0} in {1} minutes. Try again later.").format(
				limite, max(1, secondes // 60)
			),
			exc=frappe.RateLimitExceededError,
			title=_("Too many requests"),
		)


# ------------------------------------------------------------------ installation


def installer() -> None:
	"""After install and after migrate (idempotent): the key file when none exists, the checksum field
	of attachments, and Frappe's sign-in settings the first time."""
	from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

	from gec_mines.chiffrement import installer_cle

	create_custom_fields(
		{
			"File": [
				{
					"fieldname": "gec_sha256",
					"label": "SHA-256",
					"fieldtype": "Data",
					"length": 64,
					"read_only": 1,
					"no_copy": 1,
					"insert_after": "content_hash",
					"description": "Checksum of the content as uploaded, checked at each download.",
				}
			]
		},
		update=True,
	)
	path = installer_cle()
	if path:
		print(f"GEC Mines: encryption key created in {path}: keep a copy of it in a safe place.")
	appliquer_parametres_securite()


def appliquer_parametres_securite() -> bool:
	"""Frappe's sign-in settings at GEC's defaults, once: an administrator may change them afterwards."""
	if cint(frappe.db.get_default("gec_parametres_securite")) >= PARAMETRES_VERSION:
		return False
	settings = frappe.get_single("System Settings")
	settings.update(PARAMETRES)
	settings.flags.ignore_permissions = True
	settings.flags.ignore_mandatory = True
	settings.save()
	for role in ROLES_DOUBLE_FACTEUR:
		if frappe.db.exists("Role", role):
			frappe.db.set_value("Role", role, "two_factor_auth", 1)
	frappe.db.set_default("gec_parametres_securite", str(PARAMETRES_VERSION))
	return True


# ------------------------------------------------------------------ health


def sante() -> dict:
	"""The state of what the registry needs; `critical` checks decide between up and down."""
	checks = {
		"database": _verifier(lambda: frappe.db.sql("select 1")),
		"redis_cache": _verifier(lambda: frappe.cache.ping()),
		"redis_queue": _verifier(_ping_queue),
		"scheduler": _planificateur(),
		"disk": _disque(),
		"encryption_key": _cle(),
	}
	critical = ("database", "redis_cache", "redis_queue")
	return {"status": "up" if all(checks[c]["ok"] for c in critical) else "down", "checks": checks}


def _verifier(call: Callable) -> dict:
	start = time.perf_counter()
	try:
		call()
	except Exception as error:
		return {"ok": False, "error": type(error).__name__}
	return {"ok": True, "ms": round((time.perf_counter() - start) * 1000, 1)}


def _ping_queue():
	from frappe.utils.background_jobs import get_redis_conn

	get_redis_conn().ping()


def _planificateur() -> dict:
	from frappe.utils.background_jobs import get_workers
	from frappe.utils.scheduler import is_scheduler_inactive

	state = {"enabled": not is_scheduler_inactive(verbose=False)}
	state["last_run"] = str(frappe.db.get_value("Scheduled Job Log", {}, "max(creation)") or "") or None
	try:
		state["workers"] = len(get_workers())
	except Exception:
		state["workers"] = None
	state["ok"] = bool(state["enabled"] and state["workers"])
	return state


def _disque() -> dict:
	usage = shutil.disk_usage(frappe.get_site_path())
	free_pct = round(usage.free * 100 / usage.total, 1)
	return {
		"ok": free_pct >= 5 and usage.free >= 500 * 1024 * 1024,
		"free_gb": round(usage.free / 1024**3, 2),
		"free_percent": free_pct,
	}


def _cle() -> dict:
	from gec_mines.chiffrement import etat_cle

	state = etat_cle()
	state.pop("path", None)
	state["ok"] = state["present"] and "warning" not in state
	return state
