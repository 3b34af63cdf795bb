# Copyright (c) 2026, Secrétariat Général des Mines
# License: MIT. See license.txt

import re

import frappe
from frappe import _
from frappe.model.document import Document

CODE = re.compile(r"^[A-Z0-9]{1,10}$")


class Departement(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		actif: DF.Check
		chef: DF.Link | None
		code: DF.Data
		departement_parent: DF.Link | None
		description: DF.SmallText | None
		email: DF.Data | None
		nom: DF.Data
		telephone: DF.Data | None
	# end: auto-generated types

	def before_insert(self):
		self.code = (self.code or "").strip().upper()

	def before_validate(self):
		self.nom = (self.nom or "").strip()

	def validate(self):
		if not CODE.match(self.code):
			frappe.throw(_("Code {0}: up to 10 capital letters or digits.").format(frappe.bold(self.code)))
		self.validate_parent()

	def validate_parent(self):
		parent, seen = self.departement_parent, {self.name}
		while parent:
			if parent in seen:
				frappe.throw(
					_("Parent Department: {0} cannot be its own parent.").format(frappe.bold(self.nom))
				)
			seen.add(parent)
			parent = frappe.db.get_value("Departement", parent, "departement_parent")

	def on_trash(self):
		if frappe.db.exists("Courrier", {"departement": self.name}) or frappe.db.exists(
			"User", {"gec_departement": self.name}
		):
			frappe.throw(
				_("Department {0} still has users or mail: deactivate it instead of deleting it.").format(
					frappe.bold(self.nom)
				),
				exc=frappe.LinkExistsError,
			)
