"""Attachment download, exact-match search on encrypted fields, and the health check (issue 5)."""

import frappe
from frappe import _

from gec_mines import chiffrement
from gec_mines.permissions import check_read
from gec_mines.securite.health import sante
from gec_mines.securite.journal import journal, marquer_journalise
from gec_mines.securite.limits import limite_debit

DETAIL_ROLES = {"GEC Administrateur", "System Manager"}


@frappe.whitelist(methods=["GET"])
@limite_debit(600, 3600)
def telecharger_fichier(name: str):
	"""An attachment of a courrier, decrypted and checked against its SHA-256, for users who may
	read the courrier. Every download is recorded; so is every refusal."""
	fields = [*chiffrement.champs_fichier(), "is_folder", "attached_to_doctype"]
	file = frappe.db.get_value("File", name, fields, as_dict=True)
	if not file or file.is_folder or file.attached_to_doctype != "Courrier" or not file.attached_to_name:
		frappe.throw(_("File {0} is not an attachment of a mail.").format(name), exc=frappe.DoesNotExistError)
	try:
		check_read(file.attached_to_name)
	except frappe.PermissionError:
		journal("Accès refusé", courrier=file.attached_to_name, document_type="File", document_name=file.name)
		marquer_journalise()
		raise
	content = chiffrement.lire_fichier(file)
	journal("Téléchargement", courrier=file.attached_to_name, document_type="File", document_name=file.name)
	frappe.local.response.filename = file.file_name
	frappe.local.response.filecontent = content
	frappe.local.response.type = "download"


@frappe.whitelist(methods=["GET"])
@limite_debit(600, 3600)
def recherche_exacte(champ: str, valeur: str) -> list[str]:
	"""Names of the mail the user may see whose `champ` (numero_reference, expediteur or destinataire)
	equals `valeur`, encrypted or not (accents, case and spacing aside)."""
	if champ not in chiffrement.INDEXED:
		frappe.throw(_("{0} cannot be searched this way.").format(champ))
	return frappe.get_list(
		"Courrier",
		or_filters=chiffrement.filtre_exact(champ, valeur),
		pluck="name",
		order_by="creation desc",
		limit_page_length=500,
	)


@frappe.whitelist(allow_guest=True, methods=["GET"])
@limite_debit(120, 60)
def health() -> dict:
	"""Up or down for anyone; database, Redis, scheduler, disk and key details for administrators.
	Down answers HTTP 503. No secret is ever part of the answer."""
	report = sante()
	if report["status"] != "up":
		frappe.local.response.http_status_code = 503
	if frappe.session.user == "Administrator" or DETAIL_ROLES & set(frappe.get_roles()):
		return report
	return {"status": report["status"]}
