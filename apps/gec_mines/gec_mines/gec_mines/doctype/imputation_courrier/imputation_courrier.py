# Copyright (c) 2026, Secrétariat Général des Mines
# License: MIT. See license.txt

import frappe
from frappe.model.document import Document

from gec_mines.permissions import rattaches


class ImputationCourrier(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		date_echeance: DF.Date | None
		departement: DF.Link
		impute_le: DF.Datetime | None
		impute_par: DF.Link | None
		instruction: DF.Literal["Attribution", "Avis", "Information", "Suivi"]
		note: DF.SmallText | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
	# end: auto-generated types

	def has_permission(self, permtype="read", *, debug=False, user=None) -> bool:
		"""A routing line is read with its mail. Frappe checks a child row through its parent, but a
		row loaded alone (`/api/resource/Imputation Courrier/<name>`) reaches the parent's role
		permissions without the parent document, so the mail's rule is applied here."""
		if not self.flags.ignore_permissions and rattaches.has_permission(self, permtype, user) is False:
			return False
		return super().has_permission(permtype, debug=debug, user=user)


def on_doctype_update():
	# the branch "routed to my department" of the access rule reads the routing lines by department
	frappe.db.add_index("Imputation Courrier", ["departement", "parenttype", "parent"])
