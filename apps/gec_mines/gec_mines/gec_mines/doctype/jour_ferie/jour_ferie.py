# Copyright (c) 2026, Secrétariat Général des Mines
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate


class JourFerie(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		annuel: DF.Check
		date: DF.Date
		libelle: DF.Data
	# end: auto-generated types

	def validate(self):
		self.refuse_duplicate()

	def refuse_duplicate(self):
		day = getdate(self.date)
		for other in frappe.get_all(
			"Jour Ferie", filters={"name": ("!=", self.name)}, fields=["date", "annuel", "libelle"]
		):
			other_day = getdate(other.date)
			same = other_day == day or (
				(self.annuel or other.annuel) and (other_day.month, other_day.day) == (day.month, day.day)
			)
			if same:
				frappe.throw(
					_("Date: {0} is already the holiday {1}.").format(
						frappe.bold(frappe.format(day, "Date")), frappe.bold(other.libelle)
					),
					exc=frappe.DuplicateEntryError,
				)
