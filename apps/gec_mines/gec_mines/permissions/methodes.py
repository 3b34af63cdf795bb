"""Whitelisted document methods that judge the stored document, never the request's copy.

`frappe.handler.run_doc_method` builds the document from the JSON the client sends: it may be
marked new (`__islocal`) or carry other values (confidentiality, department, state). A method
decorated with `methode_courrier` ignores that copy: it loads the stored document by name (a
name with no stored row is refused), checks the one access rule and the permission type on it,
checks the workflow states it accepts, and only then runs on the stored document.
"""

import functools

import frappe
from frappe import _

from gec_mines.permissions.regle import can_read


def methode_courrier(ptype: str = "read", etats: tuple[str, ...] | None = None):
	"""Whitelist (POST only) a method of a GEC document that acts on a stored courrier.

	`ptype`: the permission the user needs on the stored document ("read" or "write");
	`etats`: the workflow states in which the method may run (None: any).
	"""

	def decorate(method):
		@functools.wraps(method)
		def run_on_stored(self, *args, **kwargs):
			stored = document_stocke(self)
			if stored.doctype == "Courrier" and not can_read(stored.name):
				refuser(stored)
			if not stored.has_permission(ptype):
				refuser(stored)
			if etats and stored.get("workflow_state") not in etats:
				frappe.throw(
					_("Mail {0} is «{1}»: this action is not possible in that state.").format(
						frappe.bold(stored.name), _(stored.get("workflow_state") or "")
					),
					title=_("Action refused"),
				)
			result = method(stored, *args, **kwargs)
			refresh(self)
			return result

		run_on_stored.gec_methode_courrier = True
		return frappe.whitelist(methods=["POST"])(run_on_stored)

	return decorate


def document_stocke(doc):
	"""The stored document of the same name: the request's copy is never used, even when its
	values match. Called on an already loaded document, it reloads it."""
	if not doc.name or not frappe.db.exists(doc.doctype, doc.name):
		frappe.throw(
			_("{0} {1} not found: save it before this action.").format(
				_(doc.doctype), frappe.bold(doc.name or "")
			),
			exc=frappe.DoesNotExistError,
		)
	return frappe.get_doc(doc.doctype, doc.name)


def refresh(doc):
	"""The caller's copy (returned to the desk by `run_doc_method`) becomes the stored document."""
	if frappe.db.exists(doc.doctype, doc.name):
		doc.load_from_db()
		for flag in ("__islocal", "__unsaved"):
			doc.__dict__.pop(flag, None)


def refuser(doc):
	frappe.throw(
		_("You are not allowed to see mail {0}.").format(frappe.bold(doc.name)), exc=frappe.PermissionError
	)
