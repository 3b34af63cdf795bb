# Copyright (c) 2026, Secrétariat Général des Mines
# License: MIT. See license.txt

from frappe.model.document import Document


class CommentaireCourrier(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		auteur: DF.Link | None
		courrier: DF.Link
		texte: DF.SmallText
		type_commentaire: DF.Literal["Commentaire", "Annotation", "Instruction"]
	# end: auto-generated types

	pass
