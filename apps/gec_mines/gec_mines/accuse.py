"""The acknowledgement receipt on the Frappe side: what a courrier's receipt shows, in the
reader's language, with the signed token of its QR code, and the public check of that token.

The drawing is `core/accuse.py` and the token `core/jeton.py`; this module reads the
database and the site configuration for them. The endpoints are in `api/accuse.py`, the
public page in `www/verification.py`, the desk print formats call `gec_accuse` and
`gec_qr_fiche` (jinja methods).

The signing secret is the site configuration key `gec_receipt_secret`, created by
`ensure_receipt_secret()` on install and migrate; `rotate_receipt_secret()` replaces it and
keeps the previous ones in `gec_receipt_old_secrets`, so receipts already printed still verify.

A receipt is revoked by a `Jeton Revoque` row (`revoquer`): one token by its id, or every token
of a mail issued until then. Verifying a revoked receipt says so, and nothing of the mail.
"""

import contextlib
from datetime import datetime, timezone
from urllib.parse import quote
from zoneinfo import ZoneInfo

import frappe
from frappe import _
from frappe.utils import get_datetime, get_fullname, get_system_timezone, get_url, getdate

from gec_mines.core import accuse as core
from gec_mines.core import jeton
from gec_mines.core.errors import DomainError
from gec_mines.permissions import can_read
from gec_mines.referentiels import statuts_for_boot
from gec_mines.securite.journal import journal

SECRET_KEY = "gec_receipt_secret"
OLD_SECRETS_KEY = "gec_receipt_old_secrets"
VERIFICATION_ROUTE = "/verification"
SIZES = ("A4", "A5")


class ReceiptTokenInvalid(frappe.ValidationError):
	"""A token the registry did not issue, or altered: the request is refused as bad."""

	http_status_code = 400


class ReceiptTokenRevoked(ReceiptTokenInvalid):
	"""A genuine token the registry revoked: it no longer proves anything."""

	http_status_code = 410


# ------------------------------------------------------------------ the signing secret


def ensure_receipt_secret():
	"""Create the signing secret once (install, migrate); never replace an existing one."""
	if not frappe.get_site_config().get(SECRET_KEY):
		from frappe.installer import update_site_config

		update_site_config(SECRET_KEY, frappe.generate_hash(length=64))


def rotate_receipt_secret():
	"""A new signing secret; the previous ones still verify the receipts already printed.

	`bench --site SITE execute gec_mines.accuse.rotate_receipt_secret`
	"""
	from frappe.installer import update_site_config

	config = frappe.get_site_config()
	current = config.get(SECRET_KEY)
	if current:
		update_site_config(OLD_SECRETS_KEY, [current, *(config.get(OLD_SECRETS_KEY) or [])])
	update_site_config(SECRET_KEY, frappe.generate_hash(length=64))


def secrets() -> list[bytes]:
	"""The current secret first, then the older ones."""
	current = frappe.conf.get(SECRET_KEY)
	if not current:
		frappe.throw(
			_("The receipt signing key is missing from the site configuration: run bench migrate."),
			title=_("Configuration"),
		)
	return [str(s).encode() for s in (current, *(frappe.conf.get(OLD_SECRETS_KEY) or [])) if s]


def token_for(name: str) -> str:
	issued_at = jeton.first_issue_after(revocations(name), datetime.now(timezone.utc))
	return jeton.sign(name, secrets()[0], issued_at)


def verification_url(name: str) -> str:
	return get_url(f"{VERIFICATION_ROUTE}?jeton={quote(token_for(name))}")


# ------------------------------------------------------------------ what a receipt shows


def labels() -> dict[str, str]:
	"""The receipt's words in the current language (context "Receipt" in locale/fr.po)."""
	return {key: _(text, context="Receipt") for key, text in core.ENGLISH_LABELS.items()}


@contextlib.contextmanager
def user_language(user: str | None = None):
	"""Translate in `user`'s language (a request already does; tests and jobs may not)."""
	from frappe.translate import get_user_lang

	previous = getattr(frappe.local, "lang", None)
	frappe.local.lang = get_user_lang(user or frappe.session.user)
	try:
		yield frappe.local.lang
	finally:
		frappe.local.lang = previous


def entete(with_logo: bool = True) -> dict:
	"""Letterhead and footer texts from GEC Settings, with the logo's bytes."""
	settings = frappe.get_cached_doc("GEC Settings")
	values = {field: settings.get(field) for field in core.Entete.__dataclass_fields__ if field != "logo"}
	if with_logo:
		values["logo"] = logo_bytes(logo_url())
	return values


def logo_url() -> str | None:
	settings = frappe.get_cached_doc("GEC Settings")
	return settings.get("logo_pdf") or settings.get("logo")


def logo_bytes(file_url: str | None) -> bytes | None:
	if not file_url:
		return None
	name = frappe.db.get_value("File", {"file_url": file_url}, "name")
	if not name:
		return None
	try:
		content = frappe.get_doc("File", name).get_content()
	except OSError:
		return None  # a missing logo file must not cost the public its receipt
	return content.encode() if isinstance(content, str) else content


def statut_label(code: str | None) -> str:
	if not code:
		return ""
	return _((statuts_for_boot().get(code) or {}).get("libelle") or code)


def date_reception(doc):
	"""The day the mail reached the registry. Courrier has no field for it yet: the mail is
	registered the day it arrives, so it is the registration day unless a field says otherwise."""
	value = doc.get("date_reception") or doc.get("date_enregistrement")
	return getdate(value) if value else None


def departement(doc) -> tuple[str, str]:
	"""The department in charge and how to reach it; the registry itself until the SG routes it."""
	settings = frappe.get_cached_doc("GEC Settings")
	if doc.departement:
		row = frappe.db.get_value("Departement", doc.departement, ["nom", "telephone", "email"], as_dict=True)
		if row:
			return row.nom, " · ".join(filter(None, (row.telephone, row.email))) or contact(settings)
	return "", contact(settings)


def contact(settings) -> str:
	return " · ".join(filter(None, (settings.get("telephone"), settings.get("email_contact"))))


def file_name(doc) -> str:
	"""The name of the mail's own main attachment (several Files may share one stored content)."""
	if not doc.fichier:
		return ""
	filters = {"attached_to_doctype": "Courrier", "attached_to_name": doc.name, "file_url": doc.fichier}
	return frappe.db.get_value("File", filters, "file_name") or doc.fichier.rsplit("/", 1)[-1]


def history(name: str) -> tuple[list[dict], list[dict]]:
	comments = [
		{
			"auteur": get_fullname(c.auteur or c.owner),
			"date": get_datetime(c.creation),
			"texte": c.texte,
			"nature": _(c.type_commentaire),
		}
		for c in frappe.get_all(
			"Commentaire Courrier",
			filters={"courrier": name},
			fields=["auteur", "owner", "creation", "texte", "type_commentaire"],
			order_by="creation asc",
		)
	]
	forwards = [
		{
			"auteur": get_fullname(t.transmis_par or t.owner),
			"destinataire": get_fullname(t.destinataire),
			"date": get_datetime(t.creation),
			"texte": "\n".join(filter(None, (t.message, _("Read") if t.lu else _("Not read yet")))),
		}
		for t in frappe.get_all(
			"Transmission Courrier",
			filters={"courrier": name},
			fields=["transmis_par", "owner", "destinataire", "creation", "message", "lu"],
			order_by="creation asc",
		)
	]
	return comments, forwards


def receipt_values(doc, with_qr: bool = True) -> dict:
	"""Everything the receipt of `doc` shows, as `core.accuse.Accuse` fields."""
	incoming = doc.type_courrier == core.INCOMING
	department, department_contact = departement(doc)
	comments, forwards = history(doc.name)
	return {
		"numero_accuse_reception": doc.numero_accuse_reception or doc.name,
		"type_courrier": doc.type_courrier,
		"numero_reference": doc.numero_reference,
		"objet": doc.objet,
		"expediteur": doc.expediteur,
		"destinataire": doc.destinataire,
		"date_redaction": getdate(doc.date_redaction) if doc.date_redaction else None,
		"date_reception": date_reception(doc),
		"date_enregistrement": get_datetime(doc.date_enregistrement) if doc.date_enregistrement else None,
		"statut": statut_label(doc.statut),
		"type_document": _(doc.type_document) if doc.type_document else "",
		"secretaire_general_copie": {"Oui": True, "Non": False}.get(doc.copie_sg) if incoming else None,
		"autres_informations": doc.autres_informations,
		"departement": department,
		"departement_contact": department_contact,
		"enregistre_par": get_fullname(doc.owner),
		"fichier": file_name(doc),
		"commentaires": comments,
		"transmissions": forwards,
		"qr_payload": verification_url(doc.name) if with_qr else "",
	}


def receipt_pdf(name: str, size: str = "A4") -> bytes:
	"""The receipt of courrier `name` in the current user's language; the caller checks access."""
	if size not in SIZES:
		frappe.throw(
			_("Format {0} is not available: choose {1}.").format(frappe.bold(size), " / ".join(SIZES)),
			title=_("Receipt"),
		)
	doc = frappe.get_doc("Courrier", name)
	doc.run_method("before_print", None)  # what a print view does: encrypted fields opened, the print logged
	with user_language():
		return core.accuse_pdf(
			receipt_values(doc),
			entete(),
			labels(),
			generated_by=get_fullname(frappe.session.user),
			generated_at=get_datetime(),
			size=size,
		)


# ------------------------------------------------------------------ public verification


def guest_language():
	"""Frappe v15 picks a request's language before it knows the visitor is a guest, and so
	ignores their browser: pick it again, from `_lang`, the cookie or Accept-Language."""
	if frappe.session.user == "Guest" and getattr(frappe.local, "request", None):
		from frappe.translate import get_language

		frappe.local.lang = get_language()


def verify(token: str) -> dict:
	"""Number, date and current status of the courrier a genuine token names; nothing else."""
	try:
		payload = jeton.verify((token or "").strip(), secrets())
	except DomainError:
		frappe.throw(
			_("This receipt could not be verified: its code was not issued by the registry or was altered."),
			exc=ReceiptTokenInvalid,
			title=_("Receipt not recognised"),
		)
	if jeton.revoked(payload, revocations(payload.name)):
		frappe.throw(
			_("This receipt was revoked by the registry: it no longer attests anything."),
			exc=ReceiptTokenRevoked,
			title=_("Receipt revoked"),
		)
	row = frappe.db.get_value(
		"Courrier",
		payload.name,
		["name", "date_enregistrement", "statut", "is_deleted"],
		as_dict=True,
	)
	if not row or row.is_deleted:
		frappe.throw(
			_("The receipt is genuine but the registry no longer holds mail {0}.").format(payload.name),
			exc=frappe.DoesNotExistError,
			title=_("Mail not found"),
		)
	return {
		"numero": row.name,
		"date": str(getdate(row.date_enregistrement)) if row.date_enregistrement else None,
		"statut": statut_label(row.statut),
	}


def revocations(name: str) -> list[jeton.Revocation]:
	"""The revocations of courrier `name`, their times in UTC as tokens carry them."""
	zone = ZoneInfo(get_system_timezone())
	return [
		jeton.Revocation(
			name=name,
			up_to=get_datetime(row.revoque_le).replace(tzinfo=zone).astimezone(timezone.utc),
			id=row.jeton or None,
		)
		for row in frappe.get_all(
			"Jeton Revoque", filters={"courrier": name}, fields=["jeton", "revoque_le"], order_by="creation"
		)
	]


def revoquer(name: str, motif: str, token: str | None = None) -> str:
	"""Revoke every receipt of courrier `name` issued so far, or only `token` (one of its receipts);
	the caller checks the role and access. Returns the revocation's name."""
	token_id = None
	if token:
		try:
			payload = jeton.verify(token.strip(), secrets())
		except DomainError:
			payload = None
		if not payload or payload.name != name or not payload.id:
			frappe.throw(
				_("Token: this code is not a receipt of mail {0} that can be revoked alone.").format(
					frappe.bold(name)
				),
				exc=ReceiptTokenInvalid,
			)
		token_id = payload.id
	revocation = frappe.get_doc(
		{"doctype": "Jeton Revoque", "courrier": name, "jeton": token_id, "motif": motif}
	).insert()
	journal(
		"Accusé de réception",
		courrier=name,
		details=f"receipt {token_id} revoked" if token_id else "all receipts issued so far revoked",
	)
	return revocation.name


# ------------------------------------------------------------------ jinja methods (print formats)


def gec_accuse(doc) -> dict:
	"""The receipt's rows, labels and QR code for the "Accusé de réception" print format.

	It reads the mail's history by name: only for a stored mail the user may read, never for a
	document a request built."""
	if doc.is_new() or not can_read(doc.name):
		frappe.throw(_("Save the mail before printing it."), exc=frappe.PermissionError)
	values = receipt_values(doc, with_qr=True)
	label = core.label_getter(labels(), core.ENGLISH_LABELS)
	accuse = core.Accuse.from_mapping(values)
	incoming = accuse.type_courrier == core.INCOMING
	rows = core.detail_rows(accuse, label)
	return {
		"title": label("title_incoming" if incoming else "title_outgoing"),
		"rows": [{"label": label(key), "value": core.display(value)} for key, value in rows],
		"label": {key: label(key) for key in core.LABEL_KEYS},
		"comments": [{**c, "date": core.display(c["date"])} for c in values["commentaires"]],
		"transmissions": [{**t, "date": core.display(t["date"])} for t in values["transmissions"]],
		"qr": core.qr_svg(values["qr_payload"]) if values["qr_payload"] else "",
		"entete": entete(with_logo=False),
		# Only a public logo: the PDF converter cannot open private files.
		"logo": logo if (logo := logo_url()) and logo.startswith("/files/") else "",
	}


def gec_qr_fiche(name: str, size: str = "26mm") -> str:
	"""QR code of the courrier's desk address, for the routing slip (opening it asks for a login)."""
	return core.qr_svg(get_url(f"/app/courrier/{quote(name)}"), size=size)
