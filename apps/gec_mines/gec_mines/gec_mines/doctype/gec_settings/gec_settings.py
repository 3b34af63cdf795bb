# Copyright (c) 2026, Secrétariat Général des Mines
# License: MIT. See license.txt


import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, getdate

from gec_mines import errors
from gec_mines.chiffrement import SETTINGS_CHECKS, description_cle, lancer_rotation
from gec_mines.core import images, numbering
from gec_mines.core.errors import DomainError

LOGO_FIELDS = ("logo", "logo_pdf")


class GECSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		adresse_organisme: DF.SmallText | None
		apercu_entrant: DF.Data | None
		apercu_sortant: DF.Data | None
		appellation_departement: DF.Data
		chiffrer_autres_informations: DF.Check
		chiffrer_autres_informations_protege: DF.Check
		chiffrer_destinataire: DF.Check
		chiffrer_destinataire_protege: DF.Check
		chiffrer_expediteur: DF.Check
		chiffrer_expediteur_protege: DF.Check
		chiffrer_numero_reference: DF.Check
		chiffrer_numero_reference_protege: DF.Check
		chiffrer_objet: DF.Check
		chiffrer_objet_protege: DF.Check
		cle_active: DF.Data | None
		copyright_text: DF.Data | None
		email_contact: DF.Data | None
		escalade_chef_jours: DF.Int
		escalade_sg_jours: DF.Int
		format_entrant: DF.Data
		format_sortant: DF.Data
		inclure_champs_chiffres_emails: DF.Check
		logo: DF.AttachImage | None
		logo_pdf: DF.AttachImage | None
		max_pieces_jointes: DF.Int
		mode_numerotation: DF.Literal["Automatique", "Manuel"]
		nom_logiciel: DF.Data
		nom_organisation: DF.Data
		notifier_sg_nouveau: DF.Check
		pays_pdf: DF.Data | None
		rappel_jours_avant: DF.Int
		sous_titre_pdf: DF.Data | None
		taille_max_mo: DF.Float
		telephone: DF.Data | None
		texte_footer: DF.SmallText | None
		titre_pdf: DF.Data | None
		titre_responsable_structure: DF.Data
	# end: auto-generated types

	@property
	def apercu_entrant(self) -> str:
		return self.preview(self.format_entrant)

	@property
	def apercu_sortant(self) -> str:
		return self.preview(self.format_sortant)

	def load_from_db(self, *args, **kwargs):
		super().load_from_db(*args, **kwargs)
		self.set_encryption_defaults()

	def set_encryption_defaults(self):
		"""Encryption boxes never saved yet keep their default: Frappe would read them as unticked, and
		the next save of these settings would switch encryption off unasked."""
		stored = {
			row[0]
			for row in frappe.db.sql(
				"select `field` from `tabSingles` where `doctype` = %s and `field` in %s",
				(self.doctype, SETTINGS_CHECKS),
			)
		}
		for check in SETTINGS_CHECKS:
			if check not in stored:
				self.set(check, cint(self.meta.get_field(check).default))

	@property
	def cle_active(self) -> str:
		return description_cle()

	def preview(self, fmt: str | None) -> str:
		try:
			return numbering.preview(fmt or "", getdate())
		except DomainError as error:
			return errors.message(error)

	def validate(self):
		self.validate_formats()
		self.validate_limits()
		for fieldname in LOGO_FIELDS:
			if self.has_value_changed(fieldname) and self.get(fieldname):
				self.check_logo(fieldname)

	def on_update(self):
		self.apply_encryption_policy()

	def apply_encryption_policy(self):
		"""Ticking or unticking an encrypted field brings the stored mail in line, in the background."""
		if any(self.has_value_changed(check) for check in SETTINGS_CHECKS) and not self.is_new():
			frappe.db.after_commit.add(lancer_rotation)
			frappe.msgprint(
				_("Mail already registered is being encrypted or decrypted accordingly, in the background."),
				indicator="blue",
				alert=True,
			)

	def validate_formats(self):
		for fieldname in ("format_entrant", "format_sortant"):
			try:
				numbering.render(self.get(fieldname), getdate())
			except DomainError as error:
				frappe.throw(
					f"{_(self.meta.get_label(fieldname))}: {errors.message(error)}",
					title=_("Numbering format"),
				)

	def validate_limits(self):
		if (self.escalade_sg_jours or 0) < (self.escalade_chef_jours or 0):
			frappe.throw(
				_("{0} must not be shorter than {1}.").format(
					frappe.bold(_(self.meta.get_label("escalade_sg_jours"))),
					frappe.bold(_(self.meta.get_label("escalade_chef_jours"))),
				),
				title=_("Invalid value"),
			)
		if not 0 < (self.taille_max_mo or 0) <= 100:
			frappe.throw(_("Maximum File Size (MB) must be between 0 and 100."))
		if not 1 <= (self.max_pieces_jointes or 0) <= 100:
			frappe.throw(_("Maximum Attachments per Mail must be between 1 and 100."))

	def check_logo(self, fieldname: str):
		file = frappe.get_doc("File", {"file_url": self.get(fieldname)})
		content = file.get_content()
		if isinstance(content, str):
			content = content.encode()
		try:
			smaller = images.normalise_logo(content, file.file_name)
		except DomainError as error:
			errors.throw(error, title=_(self.meta.get_label(fieldname)))
		if smaller:
			with open(file.get_full_path(), "wb") as fh:
				fh.write(smaller)
			file.db_set("file_size", len(smaller))
