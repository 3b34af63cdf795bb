"""Mail registered before `mots_recherche` gets its search words, then the full-text index on them.

The index is dropped while the column is filled and built once at the end: InnoDB builds a
full-text index over a filled table much faster than it maintains it row by row.
"""

import frappe

from gec_mines.gec_mines.doctype.courrier.courrier import add_fulltext_index
from gec_mines.recherche import normaliser

BATCH = 5000


def execute():
	if frappe.db.sql("show index from `tabCourrier` where Key_name = 'mots_recherche_fulltext'"):
		frappe.db.sql_ddl("alter table `tabCourrier` drop index `mots_recherche_fulltext`")
	last = ""
	while rows := frappe.db.sql(
		"""select `name`, `texte_recherche` from `tabCourrier`
		where `name` > %s and `mots_recherche` is null order by `name` limit %s""",
		(last, BATCH),
	):
		frappe.db.sql("select 1")  # opens the connection if needed before using its cursor
		frappe.db._cursor.executemany(
			"update `tabCourrier` set `mots_recherche` = %s where `name` = %s",
			[(normaliser(text), name) for name, text in rows],
		)
		frappe.db.commit()  # nosemgrep: a patch over the whole archive commits batch by batch
		last = rows[-1][0]
	add_fulltext_index()
