"""Records that hang off a courrier: each one's rule for reading, creating and changing.

A record tied to a courrier is read by whoever may read the courrier (the one rule of
`regle.py`, as a list condition and for one record); the tie is judged on the stored record and
cannot be changed after creation, so a record cannot be re-pointed at another mail; and records
that only the application writes (forwards, typed comments, versions, routing lines) are never
created or changed by a request directly.
"""

from dataclasses import dataclass

import frappe
from frappe import _

from gec_mines.permissions.regle import can_read, conditions_courrier

WRITE_PTYPES = {"create", "write", "delete", "submit", "cancel", "amend"}


@dataclass(frozen=True)
class Attache:
	"""How a doctype points at a courrier, and what a request may do to it."""

	type_column: str | None  # column naming the doctype (None: always a courrier)
	name_column: str  # column naming the courrier
	written_by_requests: bool  # False: only the application writes it (refused to requests)
	frozen: tuple = ()  # further columns that never change after creation


RELATED = {
	"File": Attache(
		"attached_to_doctype",
		"attached_to_name",
		True,
		("attached_to_field", "file_url", "content_hash", "gec_sha256"),
	),
	"Comment": Attache("reference_doctype", "reference_name", True, ("comment_type",)),
	"Communication": Attache("reference_doctype", "reference_name", True),
	"Version": Attache("ref_doctype", "docname", False),
	"ToDo": Attache("reference_type", "reference_name", True, ("allocated_to", "assigned_by")),
	"Transmission Courrier": Attache(None, "courrier", False, ("destinataire", "transmis_par", "fichier")),
	"Commentaire Courrier": Attache(None, "courrier", False, ("auteur", "type_commentaire")),
	"Imputation Courrier": Attache("parenttype", "parent", False),
	"Workflow Action": Attache("reference_doctype", "reference_name", True),
	"Document Follow": Attache("ref_doctype", "ref_docname", True, ("user",)),
	"Notification Log": Attache("document_type", "document_name", True, ("for_user",)),
	"DocShare": Attache("share_doctype", "share_name", True, ("user",)),
	"Tag Link": Attache("document_type", "document_name", True),
}


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""`permission_query_conditions` of a related doctype: rows of readable mail, and others."""
	condition = conditions_courrier(user)
	if not condition:
		return ""
	attache = RELATED[doctype]
	t = f"`tab{doctype}`"
	visible = (
		f"{t}.`{attache.name_column}` in (select `tabCourrier`.`name` from `tabCourrier` where {condition})"
	)
	if attache.type_column is None:
		return f"({visible})"
	return f"(ifnull({t}.`{attache.type_column}`, '') != 'Courrier' or {visible})"


def has_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	"""`has_permission` of a related doctype. It only ever denies; when the courrier is readable,
	Frappe's own rules for the record decide."""
	attache = RELATED[doc.doctype]
	stored = _stored_tie(doc, attache)
	type_value, courrier = stored or (
		doc.get(attache.type_column) if attache.type_column else "Courrier",
		doc.get(attache.name_column),
	)
	if type_value != "Courrier" or not courrier:
		return None
	if not frappe.db.exists("Courrier", courrier):
		# a file uploaded while its mail is being registered: attached to a temporary name
		return None if ptype == "create" and doc.doctype == "File" else False
	if ptype in WRITE_PTYPES and not attache.written_by_requests:
		return False
	return None if can_read(courrier, user) else False


def _stored_tie(doc, attache: Attache) -> tuple | None:
	"""(doctype, courrier) as stored for an existing record: what the request says does not count."""
	if not doc.name:
		return None
	columns = [attache.type_column or "name", attache.name_column]
	row = frappe.db.get_value(doc.doctype, doc.name, columns)
	if not row:
		return None
	return (row[0] if attache.type_column else "Courrier", row[1])


def check_tie_on_create(doc, method=None):
	"""`before_insert` of a related doctype: nobody adds a record to mail they may not read, even
	through a Frappe endpoint that inserts with `ignore_permissions`."""
	attache = RELATED.get(doc.doctype)
	if not attache or frappe.session.user == "Administrator" or frappe.flags.in_import:
		return
	if attache.type_column and doc.get(attache.type_column) != "Courrier":
		return
	courrier = doc.get(attache.name_column)
	if courrier and frappe.db.exists("Courrier", courrier) and not can_read(courrier):
		frappe.throw(
			_("You are not allowed to see mail {0}.").format(frappe.bold(courrier)),
			exc=frappe.PermissionError,
		)


def check_file_reuse(file):
	"""A File created with only the URL of a private file (no content) names bytes that already
	exist: allowed only to a user who may already download them through one of its records, so
	a guessed `/private/files/...` cannot be claimed by a new record of one's own."""
	url = file.file_url or ""
	if file.is_folder or file.get("content") or not url.startswith("/private/"):
		return
	if frappe.session.user == "Administrator" or frappe.flags.in_import:
		return
	existing = frappe.get_all("File", filters={"file_url": url}, pluck="name")
	if not any(frappe.has_permission("File", "read", doc=name) for name in existing):
		frappe.throw(
			_("{0}: you may not use this file.").format(frappe.bold(_("File URL"))),
			exc=frappe.PermissionError,
			title=_("Attachment refused"),
		)


def freeze_ties(doc, method=None):
	"""`validate` of a related doctype: the columns that tie it to a courrier never change."""
	attache = RELATED.get(doc.doctype)
	if not attache or doc.is_new() or frappe.flags.in_migrate or frappe.flags.in_install:
		return
	before = doc.get_doc_before_save()
	if not before:
		return
	type_column = attache.type_column
	if "Courrier" not in (before.get(type_column) if type_column else "Courrier", doc.get(type_column)):
		return
	columns = tuple(c for c in (type_column, attache.name_column) if c) + attache.frozen
	for column in columns:
		if (before.get(column) or None) != (doc.get(column) or None):
			frappe.throw(
				_("{0}: this value cannot change once the record is linked to a mail.").format(
					frappe.bold(_(doc.meta.get_label(column)))
				),
				exc=frappe.PermissionError,
				title=_("Change refused"),
			)
