"""Attachments of a courrier: checked by content on the way in, private, never orphaned."""

from urllib.parse import quote

import frappe
from frappe import _
from frappe.core.doctype.file.file import File
from frappe.utils import add_days, now_datetime

from gec_mines import chiffrement, errors
from gec_mines.core import fichiers
from gec_mines.core.errors import DomainError
from gec_mines.permissions import can_read, rattaches


class FichierGEC(File):
	"""Frappe's File, where `/private/files` downloads follow the courrier's access rule too
	(Frappe lets the uploader download a file whatever happened to the document since)."""

	def is_downloadable(self) -> bool:
		if self.attached_to_doctype == "Courrier" and frappe.db.exists("Courrier", self.attached_to_name):
			if not can_read(self.attached_to_name):
				return False
		allowed = super().is_downloadable()
		if allowed and self.attached_to_doctype == "Courrier" and chiffrement.fichier_chiffre(self):
			send_to_decrypting_endpoint(self)
		return allowed

	def before_insert(self):
		"""An upload for a courrier is checked before Frappe writes its bytes: a refused file never
		reaches the disk. The checksum is taken from what was written."""
		rattaches.check_file_reuse(self)
		attachment = self.attached_to_doctype == "Courrier" and not self.is_folder
		if attachment and self.get("content") and not self.get("decode"):
			check_courrier_attachment(self)
		super().before_insert()
		if attachment and self.get("_content"):
			content = self._content
			self.gec_sha256 = fichiers.sha256(content if isinstance(content, bytes) else content.encode())

	def validate(self):
		if (
			self.attached_to_doctype == "Courrier"
			and not self.is_new()
			and not self.is_private
			and self.has_value_changed("is_private")
		):
			frappe.throw(
				_("Attachments of a mail stay private: {0} cannot be made public.").format(
					frappe.bold(self.file_name)
				),
				title=_("Attachment refused"),
			)
		super().validate()

	def after_insert(self):
		"""A file added to Confidentiel or Secret mail is encrypted at once (a file uploaded while the
		mail is being registered is encrypted when the mail is saved)."""
		super().after_insert()
		if self.attached_to_doctype == "Courrier" and not self.is_folder and self.is_private:
			level = frappe.db.get_value("Courrier", self.attached_to_name, "confidentialite")
			if level in chiffrement.PROTECTED_LEVELS:
				chiffrement.chiffrer_fichier(self)


def send_to_decrypting_endpoint(file):
	"""`/private/files/...` of an encrypted file answers with a redirect to the endpoint that decrypts
	it, checks its SHA-256 and records the download: the stored bytes are never served."""
	from werkzeug.exceptions import HTTPException
	from werkzeug.utils import redirect

	request = getattr(frappe.local, "request", None)
	if request is not None and (getattr(request, "path", "") or "").startswith("/private/files/"):
		url = f"/api/method/gec_mines.api.telecharger_fichier?name={quote(file.name)}"
		raise HTTPException(response=redirect(url, code=302))


def max_size_mb() -> float:
	return frappe.db.get_single_value("GEC Settings", "taille_max_mo") or fichiers.DEFAULT_MAX_MB


def check_content(filename: str, content: bytes | str) -> str:
	"""Clean name of an acceptable file, or a ValidationError naming the reason."""
	if isinstance(content, str):
		content = content.encode()
	try:
		name, _kind = fichiers.check_upload(filename, content, max_mb=max_size_mb())
	except DomainError as error:
		errors.throw(error, title=_("Attachment refused"))
	return name


def check_courrier_attachment(doc, method=None):
	"""Called by FichierGEC.before_insert before any byte is written, and by the File before_insert
	hook for a file given by URL or in base64, whose bytes Frappe has just written: a refusal then
	rolls the transaction back and Frappe's rollback hook removes them from disk."""
	if doc.attached_to_doctype != "Courrier" or doc.is_folder or doc.flags.gec_checked:
		return
	if not doc.is_private:
		frappe.throw(
			_("Attachments of a mail are private: keep «Is Private» ticked when uploading {0}.").format(
				frappe.bold(doc.file_name)
			),
			title=_("Attachment refused"),
		)
	content = doc.get_content()
	check_content(doc.file_name or doc.file_url or "", content)
	doc.flags.gec_checked = True
	if not doc.get("gec_sha256"):
		doc.gec_sha256 = fichiers.sha256(content if isinstance(content, bytes) else content.encode())


def protect_main_attachment(doc, method=None):
	"""The main attachment of a registered mail is evidence: it can be replaced, not removed."""
	if doc.attached_to_doctype != "Courrier" or not doc.attached_to_name or frappe.flags.gec_purge:
		return
	if frappe.db.get_value("Courrier", doc.attached_to_name, "fichier") == doc.file_url:
		frappe.throw(
			_("{0} is the main attachment of mail {1}: attach its replacement first.").format(
				frappe.bold(doc.file_name), frappe.bold(doc.attached_to_name)
			),
			title=_("Attachment kept"),
		)


def remove_abandoned_uploads():
	"""Files uploaded for a mail whose registration was never completed (daily)."""
	abandoned = frappe.db.sql(
		"""select f.name from `tabFile` f
		left join `tabCourrier` c on c.name = f.attached_to_name
		where f.attached_to_doctype = 'Courrier' and c.name is null and f.creation < %s""",
		(add_days(now_datetime(), -1),),
		pluck=True,
	)
	for name in abandoned:
		frappe.delete_doc("File", name, ignore_permissions=True)
