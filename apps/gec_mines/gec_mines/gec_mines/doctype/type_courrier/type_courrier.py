# Copyright (c) 2026, Secrétariat Général des Mines
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class TypeCourrier(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		actif: DF.Check
		delai_traitement: DF.Int
		description: DF.SmallText | None
		direction: DF.Literal["Entrant", "Sortant", "Entrant et sortant"]
		libelle: DF.Data
		ordre: DF.Int
	# end: auto-generated types

	def validate(self):
		self.libelle = (self.libelle or "").strip()
		self.validate_direction_change()

	def validate_direction_change(self):
		if self.is_new() or not self.has_value_changed("direction") or self.direction == "Entrant et sortant":
			return
		other = "Sortant" if self.direction == "Entrant" else "Entrant"
		if frappe.db.exists("Courrier", {"type_document": self.name, "type_courrier": other}):
			frappe.throw(
				_(
					"Direction: {0} is already used by mail of the other direction; deactivate it instead."
				).format(frappe.bold(self.name))
			)

	def on_trash(self):
		if frappe.db.exists("Courrier", {"type_document": self.name}):
			frappe.throw(
				_(
					"Document Type {0} is used by registered mail: deactivate it instead of deleting it."
				).format(frappe.bold(self.name)),
				exc=frappe.LinkExistsError,
			)
