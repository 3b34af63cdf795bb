"""Mail registered before the Circuit du Courrier existed gets a state that fits its direction.

Runs before the workflow fixture is imported, which would otherwise put every mail without a
state in the workflow's first state (Enregistré), outgoing mail included.
"""

import frappe


def execute():
	frappe.db.sql(
		"""update `tabCourrier`
		set `workflow_state` = if(`type_courrier` = 'Sortant', 'Expédié', 'Enregistré')
		where ifnull(`workflow_state`, '') = ''"""
	)
