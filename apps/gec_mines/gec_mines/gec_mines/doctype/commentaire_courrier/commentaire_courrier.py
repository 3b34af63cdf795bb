# Copyright (c) 2026, Secrétariat Général des Mines
# License: MIT. See license.txt

from frappe.model.document import Document


class CommentaireCourrier(Document):
	pass
