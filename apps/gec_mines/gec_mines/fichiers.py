"""Attachments of a courrier: checked by content on the way in, private, never orphaned."""

import frappe
from frappe import _
from frappe.core.doctype.file.file import File
from frappe.utils import add_days, now_datetime

from gec_mines import erreurs
from gec_mines.core import fichiers
from gec_mines.core.errors import DomainError


class FichierGEC(File):
	"""Frappe's File, where `/private/files` downloads follow the courrier's access rule too
	(Frappe lets the uploader download a file whatever happened to the document since)."""

	def is_downloadable(self) -> bool:
		from gec_mines.permissions import can_read

		if self.attached_to_doctype == "Courrier" and frappe.db.exists("Courrier", self.attached_to_name):
			if not can_read(self.attached_to_name):
				return False
		return super().is_downloadable()


def max_size_mb() -> float:
	return frappe.db.get_single_value("GEC Settings", "taille_max_mo") or fichiers.DEFAULT_MAX_MB


def check_content(filename: str, content: bytes | str) -> str:
	"""Clean name of an acceptable file, or a ValidationError naming the reason."""
	if isinstance(content, str):
		content = content.encode()
	try:
		name, _kind = fichiers.check_upload(filename, content, max_mb=max_size_mb())
	except DomainError as error:
		erreurs.throw(error, title=_("Attachment refused"))
	return name


def check_courrier_attachment(doc, method=None):
	"""File.before_insert: the File controller has just written the bytes; a refusal here
	rolls the transaction back and Frappe's rollback hook removes them from disk."""
	if doc.attached_to_doctype != "Courrier" or doc.is_folder:
		return
	if not doc.is_private:
		frappe.throw(
			_("Attachments of a mail are private: keep «Is Private» ticked when uploading {0}.").format(
				frappe.bold(doc.file_name)
			),
			title=_("Attachment refused"),
		)
	check_content(doc.file_name or doc.file_url or "", doc.get_content())


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
