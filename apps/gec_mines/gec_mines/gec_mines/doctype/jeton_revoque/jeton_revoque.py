# Copyright (c) 2026, Secrétariat Général des Mines
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from gec_mines.permissions import check_read


class JetonRevoque(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		courrier: DF.Link
		jeton: DF.Data | None
		motif: DF.SmallText
		revoque_le: DF.Datetime | None
		revoque_par: DF.Link | None
	# end: auto-generated types

	def before_insert(self):
		"""Who and when are the server's, whatever the request says."""
		self.revoque_par = frappe.session.user
		self.revoque_le = now_datetime()

	def validate(self):
		check_read(self.courrier)  # on every road, /api/resource included
		self.motif = (self.motif or "").strip()
		if not self.motif:
			frappe.throw(_("{0} is required.").format(frappe.bold(_("Reason"))), exc=frappe.MandatoryError)
		self.jeton = (self.jeton or "").strip().lower() or None
