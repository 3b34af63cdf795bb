"""Frappe endpoints that would answer about a courrier without the access rule, each wrapped to
check the rule first and then hand over to Frappe's own function (one file per Frappe module).
They are wired in `hooks.py` (`override_whitelisted_methods`); the census keeps the list."""

import frappe
from frappe import _


def check_document(doctype: str, name: str, ptype: str = "read"):
	"""A 403 unless the user may `ptype` the stored document: Frappe's permission check, with the
	app's `has_permission` hooks (the access rule for a courrier and what hangs off it)."""
	if not (doctype and name and frappe.db.exists(doctype, name)):
		refuse(doctype, name)
	if not frappe.has_permission(doctype, ptype, doc=name):
		refuse(doctype, name)


def refuse(doctype: str | None, name: str | None):
	frappe.throw(
		_("You are not allowed to see {0} {1}.").format(_(doctype or ""), frappe.bold(name or "")),
		exc=frappe.PermissionError,
	)
