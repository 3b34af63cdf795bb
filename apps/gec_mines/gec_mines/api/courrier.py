"""Registration of a mail and its main attachment in one request."""

import frappe
from frappe import _

from gec_mines.fichiers import check_content

FIELDS = (
	"type_courrier",
	"numero_accuse_reception",
	"numero_reference",
	"objet",
	"expediteur",
	"destinataire",
	"date_redaction",
	"statut",
	"type_document",
	"copie_sg",
	"autres_informations",
	"departement",
	"confidentialite",
	"priorite",
	"en_reponse_a",
)


@frappe.whitelist(methods=["POST"])
def enregistrer() -> dict:
	"""Register a mail from a multipart form: the Courrier fields plus the file `fichier`.

	Everything happens in the request's transaction: a refusal leaves no File record,
	no file on disk and no consumed number.
	"""
	frappe.has_permission("Courrier", "create", throw=True)
	upload = frappe.request.files.get("fichier") if frappe.request else None
	if not upload or not upload.filename:
		frappe.throw(_("Main Attachment is required."), exc=frappe.MandatoryError, title=_("Missing value"))

	content = upload.stream.read()
	file_name = check_content(upload.filename, content)
	temporary_name = "new-courrier-" + frappe.generate_hash(length=10)
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": file_name,
			"content": content,
			"is_private": 1,
			"attached_to_doctype": "Courrier",
			"attached_to_name": temporary_name,
			"attached_to_field": "fichier",
		}
	).insert()

	doc = frappe.get_doc(
		{
			"doctype": "Courrier",
			**{
				field: frappe.form_dict[field]
				for field in FIELDS
				if frappe.form_dict.get(field) not in (None, "")
			},
			"fichier": file.file_url,
		}
	)
	doc.set("__temporary_name", temporary_name)
	doc.insert()
	return {"name": doc.name, "numero_accuse_reception": doc.numero_accuse_reception}
