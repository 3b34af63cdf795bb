# Copyright (c) 2026, Secrétariat Général des Mines
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from gec_mines import numerotation

TRASH_ROLES = ("GEC Agent Courrier", "GEC Secretaire General", "GEC Administrateur")
RESTORE_ROLES = ("GEC Secretaire General", "GEC Administrateur")
PURGE_ROLE = "GEC Administrateur"
DEFAULT_STATUS = "RECU"
SEARCHED_FIELDS = ("numero_accuse_reception", "numero_reference", "objet", "expediteur", "destinataire")
REQUIRED = {
	"Entrant": ("objet", "expediteur", "copie_sg"),
	"Sortant": ("objet", "destinataire", "date_redaction", "type_document"),
}


class Courrier(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		autres_informations: DF.Text | None
		confidentialite: DF.Literal["Normal", "Confidentiel", "Secret"]
		copie_sg: DF.Literal["", "Oui", "Non"]
		date_echeance: DF.Date | None
		date_enregistrement: DF.Datetime | None
		date_redaction: DF.Date | None
		departement: DF.Link | None
		destinataire: DF.Data | None
		doublon_probable: DF.Check
		en_reponse_a: DF.Link | None
		expediteur: DF.Data | None
		fichier: DF.Attach
		is_deleted: DF.Check
		numero_accuse_reception: DF.Data | None
		numero_reference: DF.Data | None
		objet: DF.SmallText
		priorite: DF.Literal["Normale", "Urgente", "Tr\u00e8s urgente"]
		secretaire_general_copie: DF.Check
		statut: DF.Link | None
		supprime_le: DF.Datetime | None
		supprime_par: DF.Link | None
		texte_recherche: DF.SmallText | None
		type_courrier: DF.Literal["Entrant", "Sortant"]
		type_document: DF.Link | None
		workflow_state: DF.Link | None
	# end: auto-generated types

	def autoname(self):
		if numerotation.is_manual():
			number = numerotation.manual_number(self.numero_accuse_reception)
		else:
			number = numerotation.next_number(self.type_courrier)
		self.name = self.numero_accuse_reception = number

	def before_insert(self):
		self.date_enregistrement = now_datetime()

	def validate(self):
		self.refuse_changes_in_trash()
		self.validate_required_fields()
		self.validate_type_document()
		self.set_status()
		self.set_copie_sg()
		self.validate_main_attachment()
		self.flag_probable_duplicate()
		self.set_search_text()

	def on_trash(self):
		if not frappe.flags.gec_purge:
			frappe.throw(
				_("A registered mail is never deleted: move it to the trash instead."),
				exc=frappe.PermissionError,
			)

	def refuse_changes_in_trash(self):
		if self.is_new() or self.flags.gec_trash_action:
			return
		if self.get_doc_before_save() and self.get_doc_before_save().is_deleted:
			frappe.throw(_("Mail {0} is in the trash: restore it before changing it.").format(frappe.bold(self.name)))

	def validate_required_fields(self):
		direction_label = _("incoming mail") if self.type_courrier == "Entrant" else _("outgoing mail")
		for fieldname in REQUIRED[self.type_courrier]:
			value = self.get(fieldname)
			if isinstance(value, str):
				value = value.strip()
			if not value:
				frappe.throw(
					_("{0} is required for {1}.").format(
						frappe.bold(_(self.meta.get_label(fieldname))), direction_label
					),
					exc=frappe.MandatoryError,
					title=_("Missing value"),
				)

	def validate_type_document(self):
		if not self.type_document:
			return
		direction, actif = frappe.db.get_value("Type Courrier", self.type_document, ["direction", "actif"]) or (None, 0)
		if not direction:
			frappe.throw(_("Document Type {0} does not exist.").format(frappe.bold(self.type_document)))
		if self.has_value_changed("type_document") and not actif:
			frappe.throw(_("Document Type {0} is inactive.").format(frappe.bold(self.type_document)))
		if direction not in (self.type_courrier, "Entrant et sortant"):
			frappe.throw(
				_("Document Type {0} is not used for {1}.").format(
					frappe.bold(self.type_document),
					_("incoming mail") if self.type_courrier == "Entrant" else _("outgoing mail"),
				)
			)

	def set_status(self):
		if not self.statut and frappe.db.exists("Statut Courrier", DEFAULT_STATUS):
			self.statut = DEFAULT_STATUS
		if self.statut and self.has_value_changed("statut"):
			if not frappe.db.get_value("Statut Courrier", self.statut, "actif"):
				frappe.throw(_("Status {0} is inactive.").format(frappe.bold(self.statut)))

	def set_copie_sg(self):
		if self.type_courrier != "Entrant":
			self.copie_sg = ""
		self.secretaire_general_copie = 1 if self.copie_sg == "Oui" else 0

	def validate_main_attachment(self):
		if not self.has_value_changed("fichier"):
			return
		attached_to = {self.name, self.get("__temporary_name")} - {None}
		file = frappe.db.get_value(
			"File",
			{"file_url": self.fichier, "attached_to_doctype": "Courrier", "attached_to_name": ["in", list(attached_to)]},
			["name", "file_name", "is_private"],
			as_dict=True,
		)
		if not file:
			frappe.throw(
				_("Main Attachment: upload the file for this mail (a file of another record cannot be used)."),
				title=_("Attachment refused"),
			)
		if not file.is_private:
			frappe.throw(_("Main Attachment: the file must be private."), title=_("Attachment refused"))

	def flag_probable_duplicate(self):
		correspondent_field = "expediteur" if self.type_courrier == "Entrant" else "destinataire"
		correspondent = self.get(correspondent_field)
		self.doublon_probable = 0
		if not (self.numero_reference and correspondent):
			return
		other = frappe.db.get_value(
			"Courrier",
			{
				"numero_reference": self.numero_reference,
				correspondent_field: correspondent,
				"name": ["!=", self.name],
				"is_deleted": 0,
			},
			"name",
		)
		if other:
			self.doublon_probable = 1
			frappe.msgprint(
				_("Reference {0} from {1} was already registered as {2}: this may be a duplicate.").format(
					frappe.bold(self.numero_reference), frappe.bold(correspondent), frappe.bold(other)
				),
				title=_("Probable duplicate"),
				indicator="orange",
			)

	def set_search_text(self):
		self.texte_recherche = search_text(self)

	@frappe.whitelist(methods=["POST"])
	def mettre_a_la_corbeille(self):
		self.check_permission("write")
		require_role(TRASH_ROLES)
		if self.is_deleted:
			return
		self.is_deleted = 1
		self.supprime_par = frappe.session.user
		self.supprime_le = now_datetime()
		self.save_trash_action()
		self.add_comment("Info", _("Moved to the trash."))

	@frappe.whitelist(methods=["POST"])
	def restaurer(self):
		self.check_permission("write")
		require_role(RESTORE_ROLES)
		if not self.is_deleted:
			return
		self.is_deleted = 0
		self.supprime_par = None
		self.supprime_le = None
		self.save_trash_action()
		self.add_comment("Info", _("Restored from the trash."))

	def save_trash_action(self):
		self.flags.gec_trash_action = True
		try:
			self.save()
		finally:
			self.flags.gec_trash_action = False

	@frappe.whitelist(methods=["POST"])
	def purger(self):
		self.check_permission("read")
		require_role((PURGE_ROLE,))
		if not self.is_deleted:
			frappe.throw(_("Only a mail in the trash can be purged."))
		frappe.flags.gec_purge = True
		try:
			frappe.delete_doc("Courrier", self.name, ignore_permissions=True, delete_permanently=False)
		finally:
			frappe.flags.gec_purge = False
		log_purge(self)  # after the deletion, which clears the mail's own activity entries


def search_text(values) -> str:
	"""What the free-text search box looks through, kept in `texte_recherche`."""
	return " ".join(str(values.get(f) or "") for f in SEARCHED_FIELDS).strip()


def require_role(roles):
	if not set(roles) & set(frappe.get_roles()):
		frappe.throw(_("You are not allowed to do this."), exc=frappe.PermissionError)


def log_purge(doc):
	log = frappe.get_doc(
		{
			"doctype": "Activity Log",
			"subject": _("Mail {0} purged from the trash").format(doc.name),
			"content": _("Subject: {0}").format(doc.objet),
			"link_doctype": "Courrier",
			"link_name": doc.name,
			"status": "Success",
			"user": frappe.session.user,
			"full_name": frappe.utils.get_fullname(frappe.session.user),
		}
	)
	log.flags.ignore_links = True  # the mail it names is gone
	log.insert(ignore_permissions=True)


def on_doctype_update():
	frappe.db.add_index("Courrier", ["is_deleted", "type_courrier", "date_enregistrement"])
	frappe.db.add_index("Courrier", ["numero_reference", "expediteur"])
	add_fulltext_index()


def add_fulltext_index():
	"""Full-text index behind the free-text search (read with MATCH ... AGAINST)."""
	if not frappe.db.sql("show index from `tabCourrier` where Key_name = 'texte_recherche_fulltext'"):
		frappe.db.sql_ddl("alter table `tabCourrier` add fulltext index `texte_recherche_fulltext` (`texte_recherche`)")
