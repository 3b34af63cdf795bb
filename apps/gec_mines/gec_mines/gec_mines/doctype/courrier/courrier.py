# Copyright (c) 2026, Secrétariat Général des Mines
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from gec_mines import chiffrement, circuit, echeances, notifications, numbering
from gec_mines.constants import NIVEAUX
from gec_mines.core.referentiels import DEFAULT_STATUT
from gec_mines.courrier import assignation, commentaires, corbeille, transmission
from gec_mines.permissions import CHEF, GESTIONNAIRE, SG, can_read, champs, profil
from gec_mines.permissions.methodes import methode_courrier
from gec_mines.recherche import search_columns, search_text
from gec_mines.securite.journal import journal

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

		from gec_mines.gec_mines.doctype.imputation_courrier.imputation_courrier import ImputationCourrier

		attente_depuis: DF.Datetime | None
		autres_informations: DF.Text | None
		confidentialite: DF.Literal["Normal", "Confidentiel", "Secret"]
		copie_sg: DF.Literal["", "Oui", "Non"]
		date_echeance: DF.Date | None
		date_enregistrement: DF.Datetime | None
		date_envoi: DF.Date | None
		date_redaction: DF.Date | None
		date_traitement: DF.Datetime | None
		departement: DF.Link | None
		destinataire: DF.Data | None
		destinataire_index: DF.Data | None
		doublon_probable: DF.Check
		en_attente: DF.Check
		en_reponse_a: DF.Link | None
		expediteur: DF.Data | None
		expediteur_index: DF.Data | None
		fichier: DF.Attach
		imputations: DF.Table[ImputationCourrier]
		is_deleted: DF.Check
		mode_envoi: DF.Literal["", "Courrier physique", "Porteur", "E-mail", "Poste", "Service de messagerie"]
		motif_attente: DF.SmallText | None
		motif_rejet: DF.SmallText | None
		mots_recherche: DF.SmallText | None
		niveau_relance: DF.Int
		numero_accuse_reception: DF.Data | None
		numero_reference: DF.Data | None
		numero_reference_index: DF.Data | None
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
		self.name = self.numero_accuse_reception = numbering.numero_pour(self)

	def before_insert(self):
		champs.set_initial_values(self)
		self.date_enregistrement = now_datetime()
		if self.type_courrier == "Sortant" and not self.departement:
			self.departement = frappe.db.get_value("User", frappe.session.user, "gec_departement")

	def before_validate(self):
		chiffrement.garder_enveloppes(self)

	def validate(self):
		champs.check_server_fields(self)
		self.refuse_changes_in_trash()
		circuit.check_edit_allowed(self)
		self.validate_required_fields()
		self.validate_type_document()
		self.set_status()
		self.set_copie_sg()
		self.validate_main_attachment()
		self.flag_probable_duplicate()
		self.set_routing()
		circuit.check_transition(self)
		echeances.set_deadline(self)
		self.set_search_text()
		chiffrement.avant_ecriture(self)

	def validate_workflow(self):
		"""The initial state depends on the direction; the application's own transitions skip the
		per-user check (a dispatched reply closes the incoming mail whoever dispatches it)."""
		if self.is_new():
			self.workflow_state = circuit.initial_state(self)
			return
		if self.flags.gec_system:
			return
		super().validate_workflow()

	def after_insert(self):
		if self.type_courrier == "Entrant" and frappe.db.get_single_value(
			"GEC Settings", "notifier_sg_nouveau"
		):
			notifications.notifier("nouveau_courrier", self, circuit.secretaires_generaux())

	def onload(self):
		chiffrement.a_l_ouverture(self)

	def before_print(self, settings=None):
		if self.is_new() or not can_read(self.name):
			frappe.throw(_("Save the mail before printing it."), exc=frappe.PermissionError)
		chiffrement.avant_impression(self)

	def apply_fieldlevel_read_permissions(self):
		"""The document leaves for a reader (form, document API): encrypted fields in plaintext."""
		super().apply_fieldlevel_read_permissions()
		chiffrement.pour_lecteur(self)

	def on_update(self):
		chiffrement.chiffrer_pieces_jointes(self)
		circuit.after_transition(self)
		chiffrement.apres_elevation(self)

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
			frappe.throw(
				_("Mail {0} is in the trash: restore it before changing it.").format(frappe.bold(self.name))
			)

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
		direction, actif = frappe.db.get_value(
			"Type Courrier", self.type_document, ["direction", "actif"]
		) or (None, 0)
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
		if not self.statut and frappe.db.exists("Statut Courrier", DEFAULT_STATUT):
			self.statut = DEFAULT_STATUT
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
			{
				"file_url": self.fichier,
				"attached_to_doctype": "Courrier",
				"attached_to_name": ["in", list(attached_to)],
			},
			["name", "file_name", "is_private"],
			as_dict=True,
		)
		if not file:
			frappe.throw(
				_(
					"Main Attachment: upload the file for this mail (a file of another record cannot be used)."
				),
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
		# among the mail this user may see: the warning must not reveal mail they may not open
		others = frappe.get_list(
			"Courrier",
			filters={
				"numero_reference": self.numero_reference,
				correspondent_field: correspondent,
				"name": ["!=", self.name],
				"is_deleted": 0,
			},
			pluck="name",
			limit=1,
			order_by="creation asc",
		)
		if others:
			other = others[0]
			self.doublon_probable = 1
			frappe.msgprint(
				_("Reference {0} from {1} was already registered as {2}: this may be a duplicate.").format(
					frappe.bold(self.numero_reference), frappe.bold(correspondent), frappe.bold(other)
				),
				title=_("Probable duplicate"),
				indicator="orange",
			)

	def set_search_text(self):
		self.update(search_columns(search_text(self)))

	def set_routing(self):
		"""Stamp new routing lines; the department in charge is the first one "for action"."""
		for row in self.imputations:
			if not row.impute_par:
				row.impute_par = frappe.session.user
				row.impute_le = now_datetime()
		if self.imputations:
			lead = next((r for r in self.imputations if r.instruction == "Attribution"), self.imputations[0])
			self.departement = lead.departement

	@methode_courrier("write")
	def assigner(self, utilisateur: str, note: str | None = None):
		"""The head of a department concerned (or the SG) hands the mail to a member of staff."""
		assignation.assigner(self, utilisateur, note)

	@methode_courrier()
	def transmettre(self, utilisateur: str, message: str | None = None, fichier: str | None = None):
		"""Forward the mail to a user, with a message and optionally one of its files."""
		transmission.transmettre(self, utilisateur, message, fichier)

	@methode_courrier()
	def marquer_lu(self):
		"""The forwards addressed to the current user are now read."""
		transmission.marquer_lu(self)

	@methode_courrier()
	def commenter(self, type_commentaire: str, texte: str):
		"""A comment, annotation or instruction; the author of the mail and its holder are told."""
		commentaires.commenter(self, type_commentaire, texte)

	@methode_courrier("write", etats=("En validation",))
	def rejeter(self, motif: str):
		"""Send a draft back to its author, with the reason."""
		self.motif_rejet = (motif or "").strip()
		self.workflow_state = "Brouillon"
		self.save()
		self.add_comment("Workflow", _("Brouillon"))

	@methode_courrier("write")
	def suspendre(self, motif: str):
		"""Stop the clock while the mail waits for the requester."""
		self.check_clock_allowed()
		echeances.suspendre(self, motif)
		self.flags.gec_clock = True
		self.save()
		self.add_comment("Info", _("Waiting for the requester: {0}").format(self.motif_attente))

	@methode_courrier("write")
	def reprendre(self):
		"""Restart the clock; the deadline moves by the working days spent waiting."""
		self.check_clock_allowed()
		days = echeances.reprendre(self)
		self.flags.gec_clock = True
		self.save()
		self.add_comment("Info", _("Clock restarted after {0} working day(s) of waiting.").format(days))

	def check_clock_allowed(self):
		self.check_permission("write")
		if not {SG, CHEF, GESTIONNAIRE} & set(frappe.get_roles()):
			frappe.throw(_("You are not allowed to do this."), exc=frappe.PermissionError)

	@methode_courrier("write")
	def mettre_a_la_corbeille(self):
		corbeille.mettre_a_la_corbeille(self)

	@methode_courrier("write")
	def restaurer(self):
		corbeille.restaurer(self)

	@methode_courrier()
	def changer_confidentialite(self, niveau: str, motif: str):
		"""Declassify (or classify) the mail: the SG (or the site's Administrator), with a reason,
		journalled. A GEC Administrateur does not: they may not read Confidentiel or Secret mail,
		and declassifying would open it to them."""
		if not profil().voit_tout:
			frappe.throw(
				_("Only the Secretary General changes the confidentiality this way."),
				exc=frappe.PermissionError,
			)
		motif = (motif or "").strip()
		if not motif:
			frappe.throw(_("{0} is required.").format(frappe.bold(_("Reason"))), exc=frappe.MandatoryError)
		if niveau not in NIVEAUX:
			frappe.throw(
				_("{0}: {1} is not a confidentiality level.").format(
					frappe.bold(_("Confidentiality")), frappe.bold(niveau)
				)
			)
		ancien = self.confidentialite or "Normal"
		if niveau == ancien:
			return
		self.confidentialite = niveau
		self.flags.gec_declassification = True
		self.flags.ignore_permissions = True  # the role and the rule are checked above
		self.save()
		message = _("Confidentiality changed from {0} to {1}. Reason: {2}").format(
			_(ancien), _(niveau), motif
		)
		self.add_comment("Info", message)
		journal("Déclassement", courrier=self.name, confidentialite=ancien, details=message)

	@methode_courrier()
	def purger(self):
		corbeille.purger(self)


def on_doctype_update():
	# The desk's list: mail not in the trash, newest first (the DocType's sort), read in index order;
	# for a department's staff, the same per branch of the access rule (gec_mines.overrides.reportview).
	# test_index checks with EXPLAIN that the desk's queries use them.
	frappe.db.add_index("Courrier", ["is_deleted", "creation"])
	frappe.db.add_index("Courrier", ["departement", "is_deleted", "creation"])
	frappe.db.add_index("Courrier", ["owner", "is_deleted", "creation"])
	frappe.db.add_index("Courrier", ["is_deleted", "type_courrier", "date_enregistrement"])
	frappe.db.add_index("Courrier", ["numero_reference", "expediteur"])
	add_fulltext_index()


def add_fulltext_index():
	"""Full-text index behind the list's search (read with MATCH ... AGAINST, see gec_mines.recherche).

	Built without InnoDB's stopword list, so that every word of three letters or more is in it and
	the index answers exactly what the newest-first scan answers. The older index on the raw search
	text, from before `mots_recherche`, is dropped."""
	if frappe.db.sql("show index from `tabCourrier` where Key_name = 'texte_recherche_fulltext'"):
		frappe.db.sql_ddl("alter table `tabCourrier` drop index `texte_recherche_fulltext`")
	if not frappe.db.sql("show index from `tabCourrier` where Key_name = 'mots_recherche_fulltext'"):
		frappe.db.sql("set session innodb_ft_enable_stopword = 0")
		frappe.db.sql_ddl(
			"alter table `tabCourrier` add fulltext index `mots_recherche_fulltext` (`mots_recherche`)"
		)
