"""Attachments of Confidentiel and Secret mail, encrypted on disk and bound to their SHA-256."""

import os
import secrets
from collections.abc import Callable

import frappe
from frappe import _

from gec_mines import errors
from gec_mines.chiffrement.keys import trousseau
from gec_mines.chiffrement.policy import PROTECTED_LEVELS
from gec_mines.core import chiffrement as crypto
from gec_mines.core import fichiers
from gec_mines.core.errors import DomainError
from gec_mines.securite.journal import journal


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
		journal(
			"Intégrité compromise",
			courrier=file.get("attached_to_name"),
			document_type="File",
			document_name=file.name,
			details=error.code,
		)
		message = errors.message(error)
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
