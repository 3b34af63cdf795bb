"""`frappe.utils.print_format.download_pdf` takes an optional `doc`, meant for Python callers:
over HTTP it arrives as a string and Frappe fails with a server error. A PDF over HTTP is always
the stored document's, so a `doc` from a request is refused with a clear message."""

import frappe
from frappe import _
from frappe.utils import print_format


@frappe.whitelist(allow_guest=True, methods=["GET", "POST"])
def download_pdf(
	doctype: str,
	name: str,
	format: str | None = None,
	doc: str | None = None,
	no_letterhead: int | str = 0,
	language: str | None = None,
	letterhead: str | None = None,
):
	if doc is not None:
		frappe.throw(
			_("A PDF is printed from the saved document: {0} cannot be sent with the request.").format(
				frappe.bold("doc")
			),
			exc=frappe.PermissionError,
		)
	return print_format.download_pdf(
		doctype, name, format, no_letterhead=no_letterhead, language=language, letterhead=letterhead
	)
