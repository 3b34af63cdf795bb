"""Encryption of a courrier's sensitive fields and attachments, on top of `core/chiffrement`.

Where the master key comes from (the first source present wins; docs/securite.md says what to keep where)
	1. the environment variable ``GEC_ENCRYPTION_KEYS``: the key text itself;
	2. the environment variable ``GEC_MASTER_KEY_FILE``: the path of a key file (``{site}`` is replaced by
	   the site name, so one variable serves a bench of several sites);
	3. the site configuration ``gec_encryption_keys`` (key text) or ``gec_master_key_file`` (path), best
	   given through ``extra_config`` or common_site_config.json: site_config.json is copied into backups;
	4. the file ``<bench>/config/gec-keys/<site>.keys``, created at installation when no key exists.
	A key file must be readable by its owner only (chmod 600); it is read again when it changes.

What is encrypted
	The fields ticked in GEC Settings: by default `autres_informations` of every mail and, for
	Confidentiel and Secret mail, `objet`, `expediteur`, `destinataire` and `numero_reference` too. Their
	values are envelopes (`gec:v1:<kid>:...`) bound to ("Courrier", name, field), in the database and in
	every document the server holds. The three short fields also get a blind index (`<field>_index`)
	for exact-match search; `texte_recherche` never holds an encrypted field. Attachments of Confidentiel
	and Secret mail are encrypted on disk, bound to the SHA-256 of their plaintext (so that a file shared
	by two attachments, as Frappe does for identical uploads, opens for both); once encrypted, a file
	stays encrypted and is served by `gec_mines.api.telecharger_fichier` only.

Where plaintext appears
	Only on the way out to a user allowed to read the courrier: the form (`onload`), the document API
	(`apply_fieldlevel_read_permissions`), print views and PDFs (`before_print`). Lists, reports and
	searches read the columns and so get envelopes, which the desk shows as a mask. Notifications and
	e-mails show the mask unless GEC Settings asks for plaintext (which then stays in the e-mail queue).

A missing or wrong key is a clear error and never overwrites anything: a value that does not open is
never re-encrypted, replaced or dropped.
"""

import fcntl
import hashlib
import json
import os
import secrets
from collections.abc import Callable, Iterable
from contextlib import contextmanager

import frappe
from frappe import _

from gec_mines import erreurs
from gec_mines.core import chiffrement as crypto
from gec_mines.core import fichiers
from gec_mines.core.errors import DomainError

ENCRYPTABLE = ("objet", "expediteur", "destinataire", "numero_reference", "autres_informations")
INDEXED = ("numero_reference", "expediteur", "destinataire")
PROTECTED_LEVELS = ("Confidentiel", "Secret")
# Plaintext limits in characters, as the legacy registry had them (the columns are wider, for envelopes).
CHAR_LIMITS = {"numero_reference": 100, "expediteur": 200, "destinataire": 200}
TEXT_COLUMN_BYTES = 65_535
# GEC Settings check boxes: (field, for every mail, for Confidentiel and Secret mail)
SETTINGS_FIELDS = {field: (f"chiffrer_{field}", f"chiffrer_{field}_protege") for field in ENCRYPTABLE}
SETTINGS_CHECKS = tuple(check for pair in SETTINGS_FIELDS.values() for check in pair)

ENV_KEYS = "GEC_ENCRYPTION_KEYS"
ENV_KEY_FILE = "GEC_MASTER_KEY_FILE"
CONF_KEYS = "gec_encryption_keys"
CONF_KEY_FILE = "gec_master_key_file"

_rings: dict[tuple, crypto.Keyring] = {}


# ------------------------------------------------------------------ keys


class SourceCle(frappe._dict):
	"""Where this site's keys come from: `kind` (environment, configuration, file), `path`, `text`."""


def source_cle() -> SourceCle | None:
	"""The first key source present for this site, or None when there is none at all."""
	if os.environ.get(ENV_KEYS, "").strip():
		return SourceCle(kind="environment", path=None, text=os.environ[ENV_KEYS])
	if os.environ.get(ENV_KEY_FILE, "").strip():
		return SourceCle(kind="file", path=os.environ[ENV_KEY_FILE].replace("{site}", frappe.local.site))
	if (frappe.conf.get(CONF_KEYS) or "").strip():
		return SourceCle(kind="configuration", path=None, text=frappe.conf.get(CONF_KEYS))
	if frappe.conf.get(CONF_KEY_FILE):
		return SourceCle(
			kind="file", path=frappe.conf.get(CONF_KEY_FILE).replace("{site}", frappe.local.site)
		)
	path = chemin_par_defaut()
	if os.path.exists(path):
		return SourceCle(kind="file", path=path)
	return None


def chemin_par_defaut(site: str | None = None) -> str:
	return os.path.join(
		frappe.utils.get_bench_path(), "config", "gec-keys", f"{site or frappe.local.site}.keys"
	)


def trousseau() -> crypto.Keyring:
	"""The site's keyring; a ValidationError that says what to do when it is missing or invalid.
	A site that never had a key (installed before this module, nothing encrypted yet) gets one."""
	source = source_cle()
	if source is None and installer_cle():
		source = source_cle()
	try:
		return _trousseau(source)
	except DomainError as error:
		frappe.throw(erreurs.message(error), title=_("Encryption key"))


def cle_disponible() -> bool:
	try:
		_trousseau(source_cle())
		return True
	except DomainError:
		return False
	except frappe.ValidationError:
		frappe.clear_last_message()
		return False


def _trousseau(source: SourceCle | None) -> crypto.Keyring:
	if source is None:
		raise DomainError("encryption_key_missing")
	if source.kind != "file":
		cache_key = (frappe.local.site, source.kind, hashlib.sha256(source.text.encode()).hexdigest())
		if cache_key not in _rings:
			_rings[cache_key] = crypto.Keyring.from_source(source.text)
		return _rings[cache_key]
	try:
		status = os.stat(source.path)
	except FileNotFoundError:
		frappe.throw(
			_("The key file {0} does not exist: restore it from your safe copy.").format(source.path),
			title=_("Encryption key"),
		)
	if status.st_mode & 0o077:
		frappe.throw(
			_("The key file {0} can be read by other users: run chmod 600 {0}.").format(source.path),
			title=_("Encryption key"),
		)
	cache_key = (frappe.local.site, source.path, status.st_mtime_ns, status.st_size, status.st_ino)
	if cache_key not in _rings:
		with open(source.path, encoding="ascii", errors="replace") as fh:
			_rings[cache_key] = crypto.Keyring.from_source(fh.read())
	return _rings[cache_key]


def ecrire_fichier_cles(path: str, entries: Iterable[str], comment: str = "", create: bool = False) -> None:
	"""Write a key file atomically, readable by its owner only (the folder too). With `create`, an
	existing file wins (two processes creating the first key must end up with the same one)."""
	folder = os.path.dirname(path)
	os.makedirs(folder, mode=0o700, exist_ok=True)
	header = [
		"# GEC Mines encryption keys of " + frappe.local.site,
		"# The first key encrypts; every key listed decrypts. Without this file, encrypted fields and",
		"# attachments cannot be read: keep a copy in a safe place, apart from the backups.",
	]
	if comment:
		header.append("# " + comment)
	text = "\n".join([*header, *entries]) + "\n"
	temporary = f"{path}.tmp-{secrets.token_hex(4)}"
	fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
	try:
		with os.fdopen(fd, "w", encoding="ascii") as fh:
			fh.write(text)
			fh.flush()
			os.fsync(fh.fileno())
		if create:
			os.link(temporary, path)  # fails if the file appeared meanwhile
		else:
			os.replace(temporary, path)
	except FileExistsError:
		pass
	finally:
		if os.path.exists(temporary):
			os.remove(temporary)
	directory = os.open(folder, os.O_RDONLY)
	try:
		os.fsync(directory)
	finally:
		os.close(directory)


@contextmanager
def verrou(path: str):
	"""Serialise the read-modify-write of a key file: two rotations at once must not drop a key."""
	with open(f"{path}.lock", "a") as lock:
		fcntl.flock(lock, fcntl.LOCK_EX)
		try:
			yield
		finally:
			fcntl.flock(lock, fcntl.LOCK_UN)


def entrees_fichier(path: str) -> list[str]:
	"""The ``kid:key`` entries of a key file, in order, comments dropped."""
	with open(path, encoding="ascii") as fh:
		return [line.split("#", 1)[0].strip() for line in fh if line.split("#", 1)[0].strip()]


def installer_cle() -> str | None:
	"""At installation: create the default key file when the site has no key source and no encrypted
	data yet (encrypted data without its key must be reported, never covered by a new key)."""
	if source_cle() is not None:
		return None
	if donnees_chiffrees_presentes():
		frappe.log_error(
			title="GEC Mines: encryption key missing",
			message=_("Encrypted mail exists but no key is installed: restore the key file."),
		)
		return None
	path = chemin_par_defaut()
	ecrire_fichier_cles(path, [crypto.generate_key()], comment="created " + frappe.utils.now(), create=True)
	return path


def donnees_chiffrees_presentes() -> bool:
	if not frappe.db.table_exists("Courrier"):
		return False
	condition = " or ".join(f"`{field}` like 'gec:v%%'" for field in ENCRYPTABLE)
	return bool(frappe.db.sql(f"select 1 from `tabCourrier` where {condition} limit 1"))


def etat_cle() -> dict:
	"""What the health check and GEC Settings show about the key: never the key itself."""
	source = source_cle()
	state = {"present": False, "source": source.kind if source else None}
	if source and source.kind == "file":
		state["path"] = source.path
	try:
		ring = _trousseau(source)
	except (DomainError, frappe.ValidationError) as error:
		frappe.clear_last_message()
		state["error"] = erreurs.message(error) if isinstance(error, DomainError) else str(error)
		return state
	state.update(present=True, current=ring.current.kid, keys=len(ring), fingerprint=ring.current.fingerprint)
	if CONF_KEYS in _site_config_file():
		state["warning"] = _("The keys are in site_config.json, which every backup copies.")
	return state


def _site_config_file() -> dict:
	try:
		return frappe.get_file_json(os.path.join(frappe.get_site_path(), "site_config.json"))
	except Exception:
		return {}


def description_cle() -> str:
	"""One line for GEC Settings: the current key id, its public fingerprint and where it comes from."""
	state = etat_cle()
	if not state["present"]:
		return state.get("error") or _("No encryption key is installed.")
	kinds = {
		"environment": _("environment variable"),
		"configuration": _("site configuration"),
		"file": _("key file"),
	}
	return _("{0} (fingerprint {1}), from the {2}; {3} key(s) in all").format(
		state["current"], state["fingerprint"], kinds[state["source"]], state["keys"]
	)


# ------------------------------------------------------------------ policy


def champs_a_chiffrer(confidentialite: str | None) -> frozenset:
	"""The fields GEC Settings asks to encrypt for mail of this level."""
	checks = politique()
	protected = confidentialite in PROTECTED_LEVELS
	return frozenset(
		field
		for field, (every, extra) in SETTINGS_FIELDS.items()
		if checks[every] or (protected and checks[extra])
	)


def politique() -> dict[str, int]:
	"""The GEC Settings check boxes (see GECSettings.load_from_db for boxes never saved yet)."""
	settings = frappe.get_cached_doc("GEC Settings")
	return {check: frappe.utils.cint(settings.get(check)) for check in SETTINGS_CHECKS}


def aad(name: str, field: str) -> tuple[str, str, str]:
	return ("Courrier", name, field)


# ------------------------------------------------------------------ on the way in


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
	doc.texte_recherche = texte_recherche(doc, wanted)


def ouvrir(ring: crypto.Keyring, doc, field: str, envelope: str) -> str:
	try:
		return crypto.decrypt_text(ring, envelope, aad(doc.name, field))
	except DomainError as error:
		from gec_mines.securite import journal

		journal("Intégrité compromise", courrier=doc.name, details=f"{field}: {error.code}")
		frappe.throw(
			_("{0} of mail {1}: {2}").format(_(doc.meta.get_label(field)), doc.name, erreurs.message(error)),
			title=_("Encryption key"),
		)


def nettoyer(doc, field: str, value: str) -> str:
	"""The checks Frappe makes on plaintext, which an envelope would escape: length (so that the value
	fits its column once encrypted, whatever the level) and HTML sanitising."""
	from frappe.utils.html_utils import sanitize_html

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
	from gec_mines.gec_mines.doctype.courrier.courrier import SEARCHED_FIELDS, search_text

	return search_text({f: doc.get(f) for f in SEARCHED_FIELDS if f not in wanted})


# ------------------------------------------------------------------ on the way out


def pour_lecteur(doc) -> None:
	"""Replace the envelopes of `doc` by their plaintext, in memory, for a user allowed to read it.
	A value that does not open stays an envelope (shown masked) and the user is told why."""
	from gec_mines.permissions import can_read

	fields = [f for f in ENCRYPTABLE if crypto.is_encrypted(doc.get(f))]
	if not fields or doc.is_new() or not can_read(doc.name):
		return
	try:
		ring = _trousseau(source_cle())
	except (DomainError, frappe.ValidationError) as error:
		message = erreurs.message(error) if isinstance(error, DomainError) else str(error)
		frappe.clear_last_message()
		frappe.msgprint(message, title=_("Encrypted fields not shown"), indicator="red")
		return
	for field in fields:
		try:
			doc.set(field, crypto.decrypt_text(ring, doc.get(field), aad(doc.name, field)))
		except DomainError as error:
			from gec_mines.securite import journal

			journal("Intégrité compromise", courrier=doc.name, details=f"{field}: {error.code}")
			frappe.msgprint(
				_("{0}: {1}").format(_(doc.meta.get_label(field)), erreurs.message(error)),
				title=_("Encrypted fields not shown"),
				indicator="red",
			)


def a_l_ouverture(doc) -> None:
	"""Courrier.onload: the form gets plaintext; opening Confidentiel or Secret mail is recorded."""
	from gec_mines.securite import journal

	pour_lecteur(doc)
	if doc.confidentialite in PROTECTED_LEVELS:
		journal("Ouverture", courrier=doc.name, confidentialite=doc.confidentialite)


def avant_impression(doc) -> None:
	"""Courrier.before_print: print views and PDFs get plaintext, and each print is recorded."""
	from gec_mines.securite import journal

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


# ------------------------------------------------------------------ attachments


def chiffrer_pieces_jointes(doc) -> None:
	"""Courrier.on_update: the attachments of Confidentiel and Secret mail are encrypted on disk."""
	if doc.confidentialite not in PROTECTED_LEVELS:
		return
	for file in frappe.get_all(
		"File",
		filters={"attached_to_doctype": "Courrier", "attached_to_name": doc.name, "is_folder": 0},
		fields=champs_fichier(),
	):
		chiffrer_fichier(file)


def champs_fichier() -> list[str]:
	"""The File columns the encryption reads (the checksum field exists once the site is migrated)."""
	fields = ["name", "file_url", "file_name", "is_private", "attached_to_name"]
	return [*fields, "gec_sha256"] if frappe.get_meta("File").has_field("gec_sha256") else fields


def chiffrer_fichier(file) -> bool:
	"""Encrypt one attachment's file in place (atomically); False when it already was."""
	path = chemin_fichier(file)
	with open(path, "rb") as fh:
		if crypto.is_encrypted_bytes(fh.read(len(crypto.FILE_MAGIC))):
			return False
	ring = trousseau()
	if not frappe.get_meta("File").has_field("gec_sha256"):
		frappe.throw(_("The site is not up to date: run bench migrate."))
	checksum = file.get("gec_sha256")
	if not checksum:
		with open(path, "rb") as fh:
			checksum = fichiers.sha256(fh.read())
	# Every File sharing these bytes (Frappe stores identical uploads once) must know the checksum
	# they are bound to, or it could not decrypt them.
	frappe.db.sql(
		"update `tabFile` set `gec_sha256` = %s where `file_url` = %s and ifnull(`gec_sha256`, '') = ''",
		(checksum, file.file_url),
	)
	_reecrire(path, lambda source, target: crypto.encrypt_stream(ring, source, target, ("File", checksum)))
	return True


def empreinte(file) -> str:
	"""The SHA-256 an attachment is bound to: its own, or that of a File sharing its bytes."""
	return file.get("gec_sha256") or (
		frappe.db.get_value("File", {"file_url": file.file_url, "gec_sha256": ["is", "set"]}, "gec_sha256")
		or ""
	)


def lire_fichier(file) -> bytes:
	"""The plaintext of an attachment, decrypted if it is encrypted and checked against its SHA-256."""
	path = chemin_fichier(file)
	with open(path, "rb") as fh:
		content = fh.read()
	try:
		checksum = empreinte(file)
		if crypto.is_encrypted_bytes(content):
			content = crypto.decrypt_bytes(trousseau(), content, ("File", checksum))
		if checksum:
			fichiers.check_sha256(content, checksum, file.file_name)
	except DomainError as error:
		from gec_mines.securite import journal

		journal(
			"Intégrité compromise",
			courrier=file.get("attached_to_name"),
			document_type="File",
			document_name=file.name,
			details=error.code,
		)
		message = erreurs.message(error)
		if file.file_name not in message:
			message = _("{0}: {1}").format(file.file_name, message)
		frappe.throw(message, title=_("Attachment refused"))
	return content


def fichier_chiffre(file) -> bool:
	if not file.get("is_private") or not (file.get("file_url") or "").startswith("/private/files/"):
		return False
	try:
		with open(chemin_fichier(file), "rb") as fh:
			return crypto.is_encrypted_bytes(fh.read(len(crypto.FILE_MAGIC)))
	except OSError:
		return False


def chemin_fichier(file) -> str:
	if not file.get("is_private") or not (file.get("file_url") or "").startswith("/private/files/"):
		frappe.throw(_("File {0} is not a private attachment.").format(file.get("file_name") or file.name))
	relative = file.file_url.split("/private/files/", 1)[1]
	path = os.path.realpath(frappe.get_site_path("private", "files", relative))
	if not path.startswith(os.path.realpath(frappe.get_site_path("private", "files")) + os.sep):
		frappe.throw(_("File {0} is not a private attachment.").format(file.get("file_name") or file.name))
	return path


def _reecrire(path: str, transform: Callable) -> None:
	"""Rewrite a file through `transform(source, target)`: a temporary file, fsync, then an atomic
	rename, so that a crash leaves either the old or the new content, never a mix."""
	temporary = f"{path}.gec-{secrets.token_hex(4)}"
	try:
		with open(path, "rb") as source, open(temporary, "wb") as target:
			transform(source, target)
			target.flush()
			os.fsync(target.fileno())
		os.chmod(temporary, os.stat(path).st_mode & 0o777)
		os.replace(temporary, path)
	finally:
		if os.path.exists(temporary):
			os.remove(temporary)


# ------------------------------------------------------------------ rotation


ROTATION_CACHE = "gec-rotation"
BATCH = 500


def etat_rotation() -> dict:
	return frappe.cache.get_value(ROTATION_CACHE) or {}


def nouvelle_cle() -> str:
	"""Put a new key first in the site's key file; the old ones stay (they still decrypt)."""
	source = source_cle()
	if source is None or source.kind != "file":
		frappe.throw(
			_(
				"The keys come from the {0}: add a new key first there yourself (generate one with "
				"`bench --site {1} gec-rotate-key --print-new-key`), then run `gec-rotate-key --resume`."
			).format(source.kind if source else _("nowhere"), frappe.local.site),
			title=_("Encryption key"),
		)
	trousseau()  # the present keys must be valid before anything is written
	entry = crypto.generate_key()
	with verrou(source.path):
		entries = [entry, *entrees_fichier(source.path)]
		ecrire_fichier_cles(source.path, entries, comment="rotated " + frappe.utils.now())
	return entry.split(":", 1)[0]


def lancer_rotation() -> None:
	frappe.enqueue(
		"gec_mines.chiffrement.executer_rotation",
		queue="long",
		timeout=24 * 3600,
		job_id=f"gec-rotation::{frappe.local.site}",
		deduplicate=True,
	)


def executer_rotation(
	batch: int = BATCH, apres_lot: Callable | None = None, commit: Callable | None = None
) -> dict:
	"""Bring every courrier and attachment under the current key and the GEC Settings policy.

	Batches are committed one by one and the cursor is kept, so that a crash or a stop loses at most one
	batch of work, and running again resumes; every step is idempotent (a value already under the
	current key is left as it is). A value or file that does not open is left untouched, recorded in
	the journal and listed in `failed` (its old key then cannot be retired): nothing is rewritten on a
	guess. A courrier edited between the read of its batch and the write is left as the edit made it
	and taken again at the end (`skipped`), never overwritten with what was read before the edit.
	`apres_lot(state)` is called after each batch (progress, tests)."""
	commit = commit or frappe.db.commit
	ring = trousseau()
	state = etat_rotation()
	if state.get("kid") != ring.current.kid or state.get("status") == "done":
		state = {"kid": ring.current.kid, "status": "running", "cursor": "", "file_cursor": "", "done": 0}
	state.update(status="running", started=state.get("started") or frappe.utils.now(), total=_a_traiter())
	for phase, step in (("cursor", _lot_courriers), ("file_cursor", _lot_fichiers)):
		while True:
			names, changed, failed, skipped = step(ring, state[phase], batch)
			if not names:
				break
			commit()
			state[phase] = names[-1]
			state["done"] += len(names)
			_compter(state, changed, failed, skipped)
			frappe.cache.set_value(ROTATION_CACHE, state)
			if apres_lot:
				apres_lot(state)
	for _attempt in range(REPRISES):
		pending, state["skipped"] = state.get("skipped") or [], []
		if not pending:
			break
		changed, failed, skipped = aligner_lot(ring, lire_courriers(names=pending))
		commit()
		_compter(state, changed, failed, skipped)
		frappe.cache.set_value(ROTATION_CACHE, state)
	state.update(status="done", finished=frappe.utils.now())
	frappe.cache.set_value(ROTATION_CACHE, state)
	from gec_mines.securite import journal

	journal(
		"Clé de chiffrement",
		details=f"rotation to {ring.current.kid}: {state.get('changed', 0)} changed, "
		f"{len(state.get('failed') or [])} refused, {len(state.get('skipped') or [])} edited meanwhile",
	)
	commit()
	return state


def _compter(state: dict, changed: int, failed: list, skipped: list) -> None:
	state["changed"] = state.get("changed", 0) + changed
	state["failed"] = (state.get("failed") or []) + failed
	state["skipped"] = (state.get("skipped") or []) + skipped


def _a_traiter() -> int:
	courriers = frappe.db.count("Courrier")
	files = frappe.db.count("File", {"attached_to_doctype": "Courrier", "is_folder": 0})
	return courriers + files


# What a courrier's rotation reads, and compares again when it writes.
COLONNES_ROTATION = ("confidentialite", *ENCRYPTABLE, *(f"{f}_index" for f in INDEXED))
# Passes over the courriers edited during their batch's rotation, at the end of a run.
REPRISES = 3


def _lot_courriers(ring, after: str, batch: int) -> tuple[list[str], int, list, list]:
	rows = lire_courriers(after=after, batch=batch)
	return [row.name for row in rows], *aligner_lot(ring, rows)


def lire_courriers(after: str = "", batch: int = BATCH, names: list[str] | None = None) -> list:
	"""The rotation's view of courriers: the next `batch` after `after`, or those named."""
	columns = ", ".join(f"`{c}`" for c in COLONNES_ROTATION)
	if names is not None:
		return frappe.db.sql(
			f"select `name`, {columns} from `tabCourrier` where `name` in %s order by `name`",
			(tuple(names) or ("",),),
			as_dict=True,
		)
	return frappe.db.sql(
		f"select `name`, {columns} from `tabCourrier` where `name` > %s order by `name` limit %s",
		(after, batch),
		as_dict=True,
	)


def aligner_lot(ring, rows: list) -> tuple[int, list, list]:
	"""Write the current key and policy into `rows` (as read earlier). Each write is conditional on
	the row still holding what was read (compared byte for byte): a courrier saved meanwhile keeps
	its new values and is returned in `skipped`, for another pass."""
	policies = {}
	changed, failed, skipped = 0, [], []
	for row in rows:
		level = row.confidentialite or "Normal"
		if level not in policies:
			policies[level] = champs_a_chiffrer(level)
		try:
			values = aligner(ring, row, policies[level])
		except DomainError as error:
			refuse(failed, row.name, error.code, courrier=row.name)
			continue
		if not values:
			continue
		assignments = ", ".join(f"`{c}` = %s" for c in values)
		unchanged = " and ".join(f"binary `{c}` <=> binary %s" for c in COLONNES_ROTATION)
		frappe.db.sql(
			f"update `tabCourrier` set {assignments} where `name` = %s and {unchanged}",
			(*values.values(), row.name, *(row[c] for c in COLONNES_ROTATION)),
		)
		if frappe.db._cursor.rowcount:
			changed += 1
		else:
			skipped.append(row.name)
	return changed, failed, skipped


def refuse(failed: list, name: str, code: str, **where) -> None:
	from gec_mines.securite import journal

	failed.append(name)
	journal("Intégrité compromise", details=f"key rotation: {code}", **where)


def aligner(ring, row, wanted: frozenset) -> dict:
	"""The columns of one stored courrier that differ from what the current key and the policy want."""
	current = ring.current.kid
	if all(
		crypto.envelope_kid(row[f]) == current and (f not in INDEXED or row[f"{f}_index"])
		if f in wanted and row[f]
		else not crypto.is_encrypted(row[f])
		for f in ENCRYPTABLE
	):
		return {}  # already under the current key, which wrote its indexes in the same update
	values = {}
	for field in ENCRYPTABLE:
		value = row[field]
		plaintext = value
		if crypto.is_encrypted(value):
			plaintext = crypto.decrypt_text(ring, value, aad(row.name, field))
		if field in wanted and plaintext:
			new = (
				value
				if crypto.envelope_kid(value) == current
				else crypto.encrypt_text(ring, plaintext, aad(row.name, field))
			)
		else:
			new = plaintext
		if new != value:
			values[field] = new
		if field in INDEXED:
			index = crypto.blind_index(ring, field, plaintext) if field in wanted and plaintext else ""
			if index != (row[f"{field}_index"] or ""):
				values[f"{field}_index"] = index
	return values


def _lot_fichiers(ring, after: str, batch: int) -> tuple[list[str], int, list, list]:
	files = frappe.db.sql(
		"""select f.`name`, f.`file_url`, f.`file_name`, f.`is_private`, f.`gec_sha256`,
			f.`attached_to_name`, c.`confidentialite`
		from `tabFile` f left join `tabCourrier` c on c.`name` = f.`attached_to_name`
		where f.`attached_to_doctype` = 'Courrier' and f.`is_folder` = 0 and f.`name` > %s
		order by f.`name` limit %s""",
		(after, batch),
		as_dict=True,
	)
	changed, failed = 0, []
	for file in files:
		if not file.is_private or not (file.file_url or "").startswith("/private/files/"):
			continue
		if not os.path.exists(chemin_fichier(file)):
			continue
		try:
			if fichier_chiffre(file):
				changed += _recle_fichier(ring, file)
			elif file.confidentialite in PROTECTED_LEVELS:
				changed += chiffrer_fichier(file)
		except DomainError as error:
			refuse(
				failed,
				file.name,
				error.code,
				courrier=file.attached_to_name,
				document_type="File",
				document_name=file.name,
			)
	return [file.name for file in files], changed, failed, []


def _recle_fichier(ring, file) -> bool:
	"""Rewrite an encrypted attachment under a key of its own derived from the current master key,
	unless it already is (a file of the first envelope version gets its own key too)."""
	path = chemin_fichier(file)
	with open(path, "rb") as fh:
		head = fh.read(crypto.FILE_HEADER_MAX)
	if crypto.file_is_current(ring, head):
		return False

	def transform(source, target):
		target.write(crypto.reencrypt_bytes(ring, ring, source.read(), ("File", empreinte(file))))

	_reecrire(path, transform)
	return True


def cles_encore_utilisees() -> dict[str, int]:
	"""How many values and files each key id still encrypts (a full scan: for retiring old keys)."""
	counts: dict[str, int] = {}
	for field in ENCRYPTABLE:
		for kid, n in frappe.db.sql(
			f"""select substring_index(substring_index(`{field}`, ':', 3), ':', -1), count(*)
			from `tabCourrier` where `{field}` like 'gec:v%%' group by 1"""
		):
			counts[kid] = counts.get(kid, 0) + n
	for file in frappe.get_all(
		"File",
		filters={"attached_to_doctype": "Courrier", "is_folder": 0, "is_private": 1},
		fields=["name", "file_url", "is_private"],
	):
		try:
			with open(chemin_fichier(file), "rb") as fh:
				kid = crypto.envelope_kid(fh.read(len(crypto.FILE_MAGIC) + 2 + crypto.KID_MAX_LENGTH))
		except (OSError, frappe.ValidationError):
			frappe.clear_last_message()
			continue
		if kid:
			counts[kid] = counts.get(kid, 0) + 1
	return counts


def retirer_anciennes_cles() -> list[str]:
	"""Drop from the key file the keys nothing is encrypted with any more. They are kept aside in a
	``.retired-<date>`` file next to it, for backups made before the rotation."""
	source = source_cle()
	if source is None or source.kind != "file":
		frappe.throw(
			_("The keys do not come from a key file: remove the old keys from their source yourself.")
		)
	ring = trousseau()
	used = cles_encore_utilisees()
	old = [kid for kid in ring.kids if kid != ring.current.kid]
	still = {kid: used[kid] for kid in old if used.get(kid)}
	if still:
		frappe.throw(
			_(
				"Old keys still encrypt data ({0}): finish the rotation first (gec-rotate-key --resume)."
			).format(", ".join(f"{kid}: {n}" for kid, n in still.items())),
			title=_("Encryption key"),
		)
	with verrou(source.path):
		entries = entrees_fichier(source.path)
		if entries[0].split(":", 1)[0] != ring.current.kid:
			frappe.throw(
				_("The key file changed meanwhile: run the command again."), title=_("Encryption key")
			)
		retired = entries[1:]
		if retired:
			stamp = frappe.utils.now_datetime().strftime("%Y%m%d%H%M%S")
			ecrire_fichier_cles(f"{source.path}.retired-{stamp}", retired, comment="retired keys")
			ecrire_fichier_cles(source.path, entries[:1], comment="old keys retired " + frappe.utils.now())
	return [e.split(":", 1)[0] for e in retired]
