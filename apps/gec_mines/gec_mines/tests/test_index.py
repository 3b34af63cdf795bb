"""The desk's queries read their indexes: checked with EXPLAIN, so that a later change (a field,
a filter, the rule) cannot silently bring back a scan of the whole archive.

The archive is simulated by a few thousand rows inserted inside the test's transaction (rolled
back at the end): with a handful of rows MariaDB rightly prefers reading the table to any index.
Each query is built by the code that builds it for the desk, under the users who send it.
"""

import datetime
import json

import frappe
from frappe.model.db_query import DatabaseQuery

from gec_mines.core.demo import DemoGenerator
from gec_mines.overrides import reportview as liste
from gec_mines.permissions.regle import branches
from gec_mines.recherche import plan, plein_texte
from gec_mines.setup.demo import COURRIER_FIELDS, courrier_row, insert_rows
from gec_mines.tests.utils import GECTestCase, as_user, make_gec_users

ROWS = 6000
LIST_ORDER = "`tabCourrier`.`creation` desc"


def explain(sql: str) -> list[dict]:
	return frappe.db.sql(f"explain {sql}", as_dict=True)


def list_query(filters: list, plan_name: str | None = None) -> str:
	"""The SQL of the Courrier list's first page for the session user (one query, the whole rule),
	the search words split out as `frappe.desk.reportview.get` does through the override."""
	frappe.local.form_dict = frappe._dict(doctype="Courrier", filters=json.dumps(filters))
	with plein_texte(), plan(plan_name):
		return DatabaseQuery("Courrier").execute(
			fields=["`tabCourrier`.`name`"],
			filters=json.loads(frappe.local.form_dict.filters),
			order_by=LIST_ORDER,
			limit_page_length=20,
			run=0,
		)


def words(*values: str) -> list:
	return [["Courrier", "texte_recherche", "like", f"%{w}%"] for w in values]


NOT_IN_TRASH = [["Courrier", "is_deleted", "=", 0]]


class TestIndex(GECTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.users = make_gec_users("index")

	def setUp(self):
		frappe.db.savepoint("gec_index")
		liste.no_index_intersection()
		generator = DemoGenerator(seed=7, start=datetime.date(2020, 1, 1), end=datetime.date(2024, 12, 31))
		rows = [
			courrier_row(mail, f"IDX-{i:06d}", self.users["agent"], "/private/files/idx.pdf")
			for i, mail in enumerate(generator.courriers(ROWS))
		]
		insert_rows("Courrier", COURRIER_FIELDS, rows)

	def tearDown(self):
		frappe.db.rollback(save_point="gec_index")

	def assertReads(self, sql: str, index: str, table: str = "tabCourrier"):
		"""`sql` reads `table` through `index`, in the index's order (no sort of every match)."""
		rows = [row for row in explain(sql) if row.table == table]
		self.assertTrue(rows, sql)
		self.assertIn(rows[0].key, index.split("|"), (sql, rows))
		self.assertNotIn("filesort", rows[0].Extra or "", (sql, rows))

	def test_the_list_reads_mail_newest_first_from_its_index(self):
		with as_user(self.users["sg"]):
			self.assertReads(list_query(NOT_IN_TRASH), "is_deleted_creation_index|creation")

	def test_a_low_selectivity_filter_still_reads_newest_first(self):
		filters = [
			*NOT_IN_TRASH,
			["Courrier", "type_courrier", "=", "Entrant"],
			["Courrier", "secretaire_general_copie", "=", 1],
		]
		with as_user(self.users["sg"]):
			self.assertReads(list_query(filters), "is_deleted_creation_index|creation")

	def test_a_common_word_is_scanned_newest_first_and_a_rare_one_read_from_the_full_text_index(self):
		with as_user(self.users["sg"]):
			self.assertReads(
				list_query([*NOT_IN_TRASH, *words("demande")], plan_name="scan"),
				"is_deleted_creation_index|creation",
			)
			rows = explain(list_query([*NOT_IN_TRASH, *words("zqxwv")], plan_name="index"))
		self.assertEqual(rows[0].key, "mots_recherche_fulltext")
		self.assertEqual(rows[0].type, "fulltext")

	def test_each_branch_of_a_departments_rule_reads_its_own_index(self):
		with as_user(self.users["gest_jur"]):
			parts = branches()
			args = frappe._dict(filters=NOT_IN_TRASH)
			sql = {
				part.get_sql(quote_char="`"): liste.union(args, [part], 20, LIST_ORDER, None)[1:-1]
				for part in parts
			}
		department = next(q for key, q in sql.items() if "`departement`='JUR'" in key)
		owner = next(q for key, q in sql.items() if "`owner`=" in key)
		routed = next(q for key, q in sql.items() if "Imputation Courrier" in key)
		self.assertReads(department, "departement_is_deleted_creation_index")
		self.assertReads(owner, "owner_is_deleted_creation_index")
		imputation = [row for row in explain(routed) if row.table == "tabImputation Courrier"]
		self.assertEqual(imputation[0].key, "departement_parenttype_parent_index")

	def test_the_count_of_a_departments_staff_is_the_union_of_its_branches(self):
		with as_user(self.users["gest_jur"]):
			frappe.local.form_dict = frappe._dict(
				doctype="Courrier", filters=json.dumps(NOT_IN_TRASH), limit=1001, fields=json.dumps([])
			)
			counted = liste.get_count()
			readable = len(frappe.get_list("Courrier", filters=NOT_IN_TRASH, pluck="name", limit=1001))
		self.assertEqual(counted, readable)
		self.assertGreater(counted, 0)


class TestFileIndex(GECTestCase):
	def test_attachments_are_found_by_url_hash_and_folder_through_indexes(self):
		# Frappe's own File queries (every upload, every download): the indexes must exist; on a
		# test site's few files no plan would read them, so their presence is what is checked
		# (after a File sync: Frappe drops one-column indexes on fields not marked search_index)
		frappe.db.updatedb("File")
		for index, columns in (
			("gec_file_url_index", ["file_url"]),
			("gec_file_content_hash_index", ["content_hash", "is_private"]),
			("gec_file_attachments_folder_index", ["is_attachments_folder", "is_folder"]),
		):
			with self.subTest(index=index):
				keys = frappe.db.sql("show index from `tabFile` where Key_name = %s", index, as_dict=True)
				self.assertEqual([k.Column_name for k in keys], columns)
