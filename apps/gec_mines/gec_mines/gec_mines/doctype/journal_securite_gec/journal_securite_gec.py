# Copyright (c) 2026, Secrétariat Général des Mines
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class JournalSecuriteGEC(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		adresse_ip: DF.Data | None
		categorie: DF.Literal["Acc\u00e8s", "S\u00e9curit\u00e9"]
		confidentialite: DF.Data | None
		courrier: DF.Data | None
		details: DF.SmallText | None
		document_name: DF.Data | None
		document_type: DF.Data | None
		evenement: DF.Literal[
			"Ouverture",
			"Impression",
			"T\u00e9l\u00e9chargement",
			"Export",
			"Accus\u00e9 de r\u00e9ception",
			"\u00c9chec de connexion",
			"Compte bloqu\u00e9",
			"Adresse bloqu\u00e9e",
			"Connexion refus\u00e9e",
			"Acc\u00e8s refus\u00e9",
			"Limite d\u00e9pass\u00e9e",
			"Int\u00e9grit\u00e9 compromise",
			"Cl\u00e9 de chiffrement",
			"D\u00e9classement",
		]
		horodatage: DF.Datetime
		utilisateur: DF.Link | None
	# end: auto-generated types

	def validate(self):
		if not self.is_new():
			frappe.throw(_("A security record is never changed."), exc=frappe.PermissionError)

	def on_trash(self):
		if not frappe.flags.in_uninstall:
			frappe.throw(_("A security record is never deleted."), exc=frappe.PermissionError)
