# Copyright (c) 2026, Secrétariat Général des Mines
# License: MIT. See license.txt

from frappe.model.document import Document


class ImportLegacyGEC(Document):
	"""Written only by the legacy import (`gec_mines.legacy`), read by administrators."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		cle_legacy: DF.Data
		doctype_cible: DF.Link | None
		nom_cible: DF.Data | None
		remarques: DF.SmallText | None
		source: DF.Data | None
		table_legacy: DF.Data
	# end: auto-generated types
