"""The acknowledgement receipt and its public verification."""

import frappe
from frappe import _
from frappe.core.doctype.access_log.access_log import make_access_log
from frappe.rate_limiter import rate_limit

from gec_mines import accuse
from gec_mines.permissions import ADMIN, SG, check_read

# Scans per minute and address, the public page and this endpoint together (the page calls it).
VERIFICATIONS_PER_MINUTE = 30


@frappe.whitelist(methods=["GET"])
def accuse_reception(name: str, format: str = "A4"):
	"""Receipt PDF of one courrier (A4, or A5 for the counter), for users who may read it."""
	check_read(name)
	pdf = accuse.receipt_pdf(name, format)
	make_access_log(doctype="Courrier", document=name, method="accuse_reception", file_type="PDF")
	frappe.local.response.filename = f"accuse-{name.replace('/', '-')}.pdf"
	frappe.local.response.filecontent = pdf
	frappe.local.response.type = "pdf"


@frappe.whitelist(allow_guest=True, methods=["GET"])
@rate_limit(limit=VERIFICATIONS_PER_MINUTE, seconds=60)
def verifier_accuse(jeton: str) -> dict:
	"""Public check of the token printed in a receipt's QR code: number, date and current
	status of a genuine receipt, HTTP 400 for a forged or altered one, 410 for a revoked one."""
	accuse.guest_language()
	return accuse.verify(jeton)


@frappe.whitelist(methods=["POST"])
def revoquer_accuse(name: str, motif: str, jeton: str | None = None) -> dict:
	"""Revoke the receipts of a mail issued so far (or the one whose code is `jeton`): the Secretary
	General or an administrator, with a reason. Receipts printed afterwards verify again."""
	if not {SG, ADMIN} & set(frappe.get_roles()):
		frappe.throw(
			_("Only the Secretary General or an administrator revokes receipts."), exc=frappe.PermissionError
		)
	check_read(name)
	if not (motif or "").strip():
		frappe.throw(_("{0} is required.").format(frappe.bold(_("Reason"))), exc=frappe.MandatoryError)
	return {"revocation": accuse.revoquer(name, motif, jeton)}
