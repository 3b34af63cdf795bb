# Copyright (c) 2026, Secrétariat Général des Mines
# License: MIT. See license.txt

import re

import frappe
from frappe import _
from frappe.model.document import Document

from gec_mines.referentiels import STATUTS_CACHE

CODE = re.compile(r"^[A-Z][A-Z0-9_]{0,49}$")


class StatutCourrier(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		actif: DF.Check
		code: DF.Data
		couleur: DF.Literal["blue", "green", "red", "orange", "yellow", "gray", "purple", "pink", "cyan"]
		description: DF.SmallText | None
		libelle: DF.Data
		ordre: DF.Int
	# end: auto-generated types

	def before_insert(self):
		self.code = (self.code or "").strip().upper().replace(" ", "_")

	def validate(self):
		if not CODE.match(self.code):
			frappe.throw(
				_("Code {0}: use capital letters, digits and underscores, starting with a letter.").format(
					frappe.bold(self.code)
				)
			)

	def on_update(self):
		frappe.cache.delete_value(STATUTS_CACHE)

	def on_trash(self):
		if frappe.db.exists("Courrier", {"statut": self.name}):
			frappe.throw(
				_("Status {0} is used by registered mail: deactivate it instead of deleting it.").format(
					frappe.bold(self.name)
				),
				exc=frappe.LinkExistsError,
			)
		frappe.cache.delete_value(STATUTS_CACHE)
