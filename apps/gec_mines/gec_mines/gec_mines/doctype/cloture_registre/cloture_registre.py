# Copyright (c) 2026, Secrétariat Général des Mines
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import format_date, getdate, now_datetime

from gec_mines import registre


class ClotureRegistre(Document):
	"""One closed day of the register. The server computes everything from the day's mail:
	a closing sent through REST seals the same values as the "Close the day" button."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		cloture_le: DF.Datetime | None
		cloture_par: DF.Link | None
		date_registre: DF.Date
		empreinte: DF.Data | None
		entrants: DF.Int
		nombre: DF.Int
		registre_pdf: DF.Attach | None
		sortants: DF.Int
	# end: auto-generated types

	def before_insert(self):
		self.check_day()
		self.check_whole_day_visible()
		self.seal()

	def validate(self):
		if not self.is_new():
			frappe.throw(_("A closing of the register is never changed."), exc=frappe.PermissionError)

	def after_insert(self):
		self.attach_register()

	def on_trash(self):
		frappe.throw(_("A closing of the register is never deleted."), exc=frappe.PermissionError)

	def check_day(self):
		self.date_registre = str(getdate(self.date_registre))
		if getdate(self.date_registre) > getdate():
			frappe.throw(
				_("Register Day: {0} has not come yet.").format(frappe.bold(format_date(self.date_registre)))
			)
		if frappe.db.exists("Cloture Registre", {"date_registre": self.date_registre}):
			frappe.throw(
				_("The register of {0} is already closed.").format(
					frappe.bold(format_date(self.date_registre))
				),
				exc=frappe.DuplicateEntryError,
			)

	def check_whole_day_visible(self):
		"""The closer signs the printed register, so they must see every mail it seals."""
		if registre.hidden_from(self.date_registre):
			frappe.throw(
				_(
					"Some mail registered on {0} is outside what you may see: the Secretary General closes this day."
				).format(frappe.bold(format_date(self.date_registre))),
				exc=frappe.PermissionError,
			)

	def seal(self):
		self.update(registre.seal(self.date_registre))
		self.cloture_par = frappe.session.user
		self.cloture_le = now_datetime()

	def attach_register(self):
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"registre-{self.date_registre}-cloture.pdf",
				"content": registre.closing_pdf(self),
				"is_private": 1,
				"attached_to_doctype": self.doctype,
				"attached_to_name": self.name,
				"attached_to_field": "registre_pdf",
			}
		).insert()
		self.db_set("registre_pdf", file.file_url)
