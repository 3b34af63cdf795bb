"""The public page a receipt's QR code opens: is this receipt genuine, and where is the mail now?

It shows the registration number, the date and the current status, nothing else, to anyone
(no login), within the same per-address budget as `gec_mines.api.verifier_accuse`.
"""

import frappe
from frappe import _
from frappe.utils import formatdate

from gec_mines.accuse import ReceiptTokenInvalid, ReceiptTokenRevoked, guest_language
from gec_mines.api.accuse import verifier_accuse

no_cache = 1
sitemap = 0


def get_context(context):
	guest_language()
	context.no_breadcrumbs = True
	context.title = _("Receipt verification")
	token = (frappe.form_dict.get("jeton") or "").strip()
	if not token:
		context.etat = "vide"
		return context
	# The rate limit counts per command: the page spends the endpoint's budget.
	frappe.form_dict.cmd = "gec_mines.api.verifier_accuse"
	try:
		result = verifier_accuse(jeton=token)
	except ReceiptTokenRevoked:
		context.etat = "revoque"
	except ReceiptTokenInvalid:
		context.etat = "refuse"
	except frappe.DoesNotExistError:
		context.etat = "introuvable"
	except frappe.RateLimitExceededError:
		context.etat = "limite"
	else:
		context.etat = "valide"
		context.numero = result["numero"]
		context.date = formatdate(result["date"]) if result["date"] else ""
		context.statut = result["statut"]
	finally:
		frappe.form_dict.pop("cmd", None)
		frappe.clear_messages()
	return context
