"""A courrier's sensitive fields: envelopes on the way in, plaintext on the way out to its readers,
and the mask in every other record that repeats them (history, to-dos, notifications, comments)."""

import json
from collections.abc import Iterable

import frappe
from frappe import _
from frappe.utils.html_utils import sanitize_html

from gec_mines import errors
from gec_mines.chiffrement.keys import _trousseau, cle_disponible, source_cle, trousseau
from gec_mines.chiffrement.policy import (
	CHAR_LIMITS,
	ENCRYPTABLE,
	INDEXED,
	PROTECTED_LEVELS,
	TEXT_COLUMN_BYTES,
	aad,
	champs_a_chiffrer,
)
from gec_mines.core import chiffrement as crypto
from gec_mines.core.errors import DomainError
from gec_mines.permissions import can_read
from gec_mines.recherche import SEARCHED_FIELDS, search_columns, search_text
from gec_mines.securite.journal import journal


def garder_enveloppes(doc) -> None:
	"""Courrier.before_validate: a form sends back plaintext; where it is the stored value, put the
	stored envelope back, so that change detection (workflow rules, versions) sees no change.
	A save that skips validation still goes through the encryption, here."""
	before = doc.get_doc_before_save()
	ring = None
	for field in ENCRYPTABLE if before else ():
		value, stored = doc.get(field), before.get(field)
		if not value or crypto.is_encrypted(value) or not crypto.is_encrypted(stored):
			continue
		try:
			ring = ring or _trousseau(source_cle())
			if crypto.decrypt_text(ring, stored, aad(doc.name, field)) == value:
				doc.set(field, stored)
		except (DomainError, frappe.ValidationError):
			frappe.clear_last_message()  # avant_ecriture reports it, with the field named
			break
	if doc.flags.ignore_validate:
		avant_ecriture(doc)


def avant_ecriture(doc) -> None:
	"""Last step of Courrier.validate: wanted fields become envelopes (plaintext checked and sanitised
	first), unwanted envelopes become plaintext again, blind indexes and the search text follow."""
	wanted = champs_a_chiffrer(doc.confidentialite)
	ring = None
	plaintexts = {}
	for field in ENCRYPTABLE:
		value = doc.get(field)
		if crypto.is_encrypted(value):
			ring = ring or trousseau()
			plaintext = ouvrir(ring, doc, field, value)
			if field not in wanted:
				doc.set(field, plaintext)
		elif value and isinstance(value, str):
			plaintext = nettoyer(doc, field, value)
			if field in wanted:
				ring = ring or trousseau()
				doc.set(field, crypto.encrypt_text(ring, plaintext, aad(doc.name, field)))
			else:
				doc.set(field, plaintext)
		else:
			plaintext = value
		plaintexts[field] = plaintext
	for field in INDEXED:
		index = ""
		if field in wanted and plaintexts.get(field):
			index = crypto.blind_index(ring, field, plaintexts[field])
		doc.set(f"{field}_index", index)
	doc.update(search_columns(texte_recherche(doc, wanted)))


def ouvrir(ring: crypto.Keyring, doc, field: str, envelope: str) -> str:
	try:
		return crypto.decrypt_text(ring, envelope, aad(doc.name, field))
	except DomainError as error:
		journal("Intégrité compromise", courrier=doc.name, details=f"{field}: {error.code}")
		frappe.throw(
			_("{0} of mail {1}: {2}").format(_(doc.meta.get_label(field)), doc.name, errors.message(error)),
			title=_("Encryption key"),
		)


def nettoyer(doc, field: str, value: str) -> str:
	"""The checks Frappe makes on plaintext, which an envelope would escape: length (so that the value
	fits its column once encrypted, whatever the level) and HTML sanitising."""

	label = _(doc.meta.get_label(field))
	limit = CHAR_LIMITS.get(field)
	if limit and len(value) > limit:
		frappe.throw(
			_("{0} is too long: {1} characters, at most {2}.").format(label, len(value), limit),
			title=_("Value too long"),
		)
	column = doc.meta.get_field(field).length if limit else TEXT_COLUMN_BYTES
	if len(value.encode()) > crypto.max_plaintext_bytes(column):
		frappe.throw(
			_("{0} is too long to be stored encrypted: shorten it.").format(label), title=_("Value too long")
		)
	if "<" in value or ">" in value:
		value = sanitize_html(value, linkify=False)
	return value


def texte_recherche(doc, wanted: frozenset) -> str:
	"""The free-text search column without any encrypted field, neither plaintext nor envelope."""
	return search_text({f: doc.get(f) for f in SEARCHED_FIELDS if f not in wanted})


# ------------------------------------------------------------------ on the way out


def pour_lecteur(doc) -> None:
	"""Replace the envelopes of `doc` by their plaintext, in memory, for a user allowed to read it.
	A value that does not open stays an envelope (shown masked) and the user is told why."""
	fields = [f for f in ENCRYPTABLE if crypto.is_encrypted(doc.get(f))]
	if not fields or doc.is_new() or not can_read(doc.name):
		return
	try:
		ring = _trousseau(source_cle())
	except (DomainError, frappe.ValidationError) as error:
		message = errors.message(error) if isinstance(error, DomainError) else str(error)
		frappe.clear_last_message()
		frappe.msgprint(message, title=_("Encrypted fields not shown"), indicator="red")
		return
	for field in fields:
		try:
			doc.set(field, crypto.decrypt_text(ring, doc.get(field), aad(doc.name, field)))
		except DomainError as error:
			journal("Intégrité compromise", courrier=doc.name, details=f"{field}: {error.code}")
			frappe.msgprint(
				_("{0}: {1}").format(_(doc.meta.get_label(field)), errors.message(error)),
				title=_("Encrypted fields not shown"),
				indicator="red",
			)


def a_l_ouverture(doc) -> None:
	"""Courrier.onload: the form gets plaintext; opening Confidentiel or Secret mail is recorded."""
	pour_lecteur(doc)
	if doc.confidentialite in PROTECTED_LEVELS:
		journal("Ouverture", courrier=doc.name, confidentialite=doc.confidentialite)


def avant_impression(doc) -> None:
	"""Courrier.before_print: print views and PDFs get plaintext, and each print is recorded."""
	pour_lecteur(doc)
	journal("Impression", courrier=doc.name, confidentialite=doc.confidentialite)


def pour_notification(courrier, field: str) -> str | None:
	"""A field for a notification or an e-mail: encrypted values show the mask unless GEC Settings
	asks for plaintext (which then stays in the e-mail queue and the notification log)."""
	value = courrier.get(field)
	if not crypto.is_encrypted(value):
		return value
	if frappe.get_cached_doc("GEC Settings").get("inclure_champs_chiffres_emails"):
		try:
			return crypto.decrypt_text(_trousseau(source_cle()), value, aad(courrier.name, field))
		except (DomainError, frappe.ValidationError):
			frappe.clear_last_message()
	return crypto.mask(value)


def masque(value):
	"""The mask for an envelope, the value itself otherwise (for lists and reports built in Python)."""
	return crypto.mask(value) if crypto.is_encrypted(value) else value


def champs_proteges(row) -> frozenset:
	"""The fields of a courrier (a document or a row) whose plaintext no other record may hold: those
	its level asks to encrypt, and any that holds an envelope."""
	return champs_a_chiffrer(row.get("confidentialite")) | {
		field for field in ENCRYPTABLE if crypto.is_encrypted(row.get(field))
	}


def texte_affichable(doc, field: str):
	"""What a record other than the courrier itself (a to-do, a log, a message) may say of `field`:
	the mask for a protected field, the value otherwise."""
	value = doc.get(field)
	return crypto.mask(value) if field in champs_proteges(doc) else value


def masquer_version(doc, method=None) -> None:
	"""`Version` before_insert: the history of a courrier shows the mask for every protected field, and
	for any envelope (unreadable there, and it would stay so once its key is retired). The courrier's
	row is read as the save that makes the version left it, so the save that raises the level masks
	the plaintext it replaces."""
	if doc.ref_doctype != "Courrier" or not doc.data:
		return
	row = ligne_courrier(doc.docname)
	fields = champs_proteges(row) if row else frozenset()
	values = plaintexts(row, fields) if row else []
	for change in json.loads(doc.data).get("changed") or []:
		if change[0] in fields:
			values += [
				value for value in change[1:] if isinstance(value, str) and not crypto.is_encrypted(value)
			]
	doc.data = version_masquee(doc.data, fields, values)


def version_masquee(data: str, fields: frozenset, values: Iterable[str] = ()) -> str:
	"""A Version's data with protected fields masked, envelopes masked, and `values` masked inside the
	other fields (the search text of a mail that was Normal repeats its subject)."""
	changes = json.loads(data)
	for change in changes.get("changed") or []:
		if change[0] in fields:
			change[1:] = [crypto.mask(value) for value in change[1:]]
		else:
			change[1:] = [
				crypto.mask_in_text(value, values) if isinstance(value, str) else value
				for value in change[1:]
			]
	return frappe.as_json(changes)


# Records that hang off a courrier and repeat its words: (link to the doctype, to the name, text fields)
TEXTES_RATTACHES = {
	"ToDo": ("reference_type", "reference_name", ("description",)),
	"Notification Log": ("document_type", "document_name", ("subject", "email_content")),
	"Comment": ("reference_doctype", "reference_name", ("content",)),
}


def masquer_rattache(doc, method=None) -> None:
	"""`ToDo` before_validate and `Notification Log` before_insert: no plaintext of a protected field
	of the courrier they name, whoever writes them (Frappe's "Assign to" copies the form's title, the
	subject, into the to-do, its "Assigned" comment and its notification). Notifications keep it only
	when GEC Settings asks for plaintext in e-mails."""
	doctype_field, name_field, fields = TEXTES_RATTACHES[doc.doctype]
	if doc.get(doctype_field) != "Courrier" or not doc.get(name_field):
		return
	if doc.doctype == "Notification Log" and frappe.get_cached_doc("GEC Settings").get(
		"inclure_champs_chiffres_emails"
	):
		return
	values = valeurs_protegees(doc.get(name_field))
	for field in fields:
		doc.set(field, crypto.mask_in_text(doc.get(field), values))


def valeurs_protegees(name: str, fields: Iterable[str] | None = None) -> list[str]:
	"""The plaintexts of the protected fields of courrier `name` (or of `fields`), as stored now."""
	row = ligne_courrier(name)
	if not row:
		return []
	return plaintexts(row, champs_proteges(row) if fields is None else fields)


def ligne_courrier(name: str):
	return frappe.db.get_value("Courrier", name, ["name", "confidentialite", *ENCRYPTABLE], as_dict=True)


def plaintexts(row, fields: Iterable[str]) -> list[str]:
	"""The plaintexts of `fields` of a stored courrier row; a value that does not open is left out
	(its envelope is masked wherever it appears)."""
	values = []
	for field in fields:
		value = row.get(field)
		if crypto.is_encrypted(value):
			try:
				value = crypto.decrypt_text(_trousseau(source_cle()), value, aad(row.name, field))
			except (DomainError, frappe.ValidationError):
				frappe.clear_last_message()
				continue
		if value:
			values.append(value)
	return values


def apres_elevation(doc, method=None) -> None:
	"""Courrier.on_update: when the level rose (the new level protects fields the old one did not), the
	records written while the mail was less protected (its history, to-dos, notifications, comments)
	lose the plaintext of those fields, every value they ever had in the history included."""
	before = doc.get_doc_before_save()
	if not before:
		return
	nouveaux = champs_a_chiffrer(doc.confidentialite) - champs_a_chiffrer(before.confidentialite)
	if not nouveaux:
		return
	values = set(valeurs_protegees(doc.name, nouveaux))
	values |= {before.get(field) for field in nouveaux if not crypto.is_encrypted(before.get(field))}
	versions = frappe.get_all(
		"Version", filters={"ref_doctype": "Courrier", "docname": doc.name}, fields=["name", "data"]
	)
	for version in versions:
		for change in json.loads(version.data or "{}").get("changed") or []:
			if change[0] in nouveaux:
				values |= {value for value in change[1:] if isinstance(value, str)}
	values = [value for value in values if value and not crypto.is_encrypted(value)]
	fields = champs_proteges(doc)
	for version in versions:
		masked = version_masquee(version.data, fields, values) if version.data else version.data
		if masked != version.data:
			frappe.db.set_value("Version", version.name, "data", masked, update_modified=False)
	for doctype, (doctype_field, name_field, text_fields) in TEXTES_RATTACHES.items():
		for record in frappe.get_all(
			doctype, filters={doctype_field: "Courrier", name_field: doc.name}, fields=["name", *text_fields]
		):
			changed = {
				field: masked
				for field in text_fields
				if (masked := crypto.mask_in_text(record.get(field), values)) != record.get(field)
			}
			if changed:
				frappe.db.set_value(doctype, record.name, changed, update_modified=False)


def filtre_exact(field: str, value: str) -> list[list]:
	"""`or_filters` finding mail whose `field` equals `value`: plaintext rows by the column, encrypted
	rows by their blind index under every installed key (so a rotation in progress misses nothing)."""
	if field not in INDEXED:
		frappe.throw(_("{0} cannot be searched this way.").format(field))
	conditions = [[field, "=", value]]
	if cle_disponible():
		indexes = crypto.blind_indexes(trousseau(), field, value)
		if indexes:
			conditions.append([f"{field}_index", "in", indexes])
	return conditions
