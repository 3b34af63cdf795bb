# Copyright (c) 2026, Secrétariat Général des Mines
# License: MIT. See license.txt

from frappe.model.document import Document


class JournalLegacyGEC(Document):
	"""A legacy activity log entry: written once by the import, never edited."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		action: DF.Data | None
		adresse_ip: DF.Data | None
		courrier: DF.Data | None
		courrier_legacy: DF.Int
		date_action: DF.Datetime | None
		description: DF.Text | None
		id_legacy: DF.Int
		utilisateur: DF.Link | None
		utilisateur_legacy: DF.Int
	# end: auto-generated types
