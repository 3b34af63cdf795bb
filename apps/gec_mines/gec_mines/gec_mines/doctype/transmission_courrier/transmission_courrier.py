# Copyright (c) 2026, Secrétariat Général des Mines
# License: MIT. See license.txt

from frappe.model.document import Document


class TransmissionCourrier(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		courrier: DF.Link
		destinataire: DF.Link
		fichier: DF.Attach | None
		lu: DF.Check
		lu_le: DF.Datetime | None
		message: DF.SmallText | None
		transmis_par: DF.Link | None
	# end: auto-generated types

	pass
