"""The Courrier list and its count (`frappe.desk.reportview.get` / `get_count`), fast at a million
mail for every role.

- Search words: through `gec_mines.recherche` (the newest-first scan within a budget of rows,
  else the full-text index; the same answer either way).
- The access rule: for a user who does not see every mail, the rule is an OR of branches
  (`gec_mines.permissions.regle.branches`: a department, an owner, a routing slip, a name on a
  ToDo, a forward or a share). An OR of them makes MariaDB test the whole rule on each row of the
  archive, newest first, until the page is full: fast when the user sees much of the archive,
  seconds when they see little of it. So each branch is asked on its own, from its own index, for
  its first `start + page_length` names in the list's order; the page lies among those names, and
  the list's own query then picks it there, under the whole rule as always. The count is the
  union of the branches, each capped at the count's limit.

Other doctypes, grouped or OR-filtered requests, and users who see every mail take Frappe's own
path, with the rule as one condition.
"""

import frappe
from frappe.desk import reportview
from frappe.model.db_query import DatabaseQuery
from frappe.utils import cint, sbool

from gec_mines import recherche
from gec_mines.permissions.regle import branches, une_branche
from gec_mines.recherche import BudgetedQuery, BudgetExceeded, bounded, plan, plein_texte

LIST_ORDER = "`tabCourrier`.`creation` desc"  # the DocType's sort


@frappe.whitelist()
@frappe.read_only()
def get():
	no_index_intersection()
	with plein_texte():
		args = reportview.get_form_params()
		query = {k: v for k, v in args.items() if k != "doctype"}
		parts = by_branches(args)
		names = first_names(args, parts) if parts else None
		if names is not None:
			query["filters"] = with_names(args.filters, names)
			with plan("scan"):  # a few candidates, each checked: no index needed
				return reportview.compress(DatabaseQuery("Courrier").execute(**query), args=args)
		budget = words_budget(cint(args.start) + cint(args.page_length or 20), recherche.PAGE_BUDGET)
		if budget and not parts:
			scan = BudgetedQuery("Courrier")
			scan.budget = budget
			try:
				with plan("scan"):
					return reportview.compress(scan.execute(**query), args=args)
			except BudgetExceeded:
				pass  # a rare word: the full-text index answers
		with plan("index"):
			return reportview.get()


@frappe.whitelist()
@frappe.read_only()
def get_count() -> int:
	no_index_intersection()
	with plein_texte():
		args = reportview.get_form_params()
		limit = cint(args.limit)
		parts = by_branches(args)
		rows = None
		if parts:
			rows = run_union(
				lambda p: f"select count(*) from ({union(args, parts, limit, None, p)}) u",
				parts,
				limit or recherche.COUNT_BUDGET,
				recherche.COUNT_BUDGET,
			)
		if rows is not None:
			count = rows[0][0] if rows else 0
			return min(count, limit) if limit else count
		budget = words_budget(limit, recherche.COUNT_BUDGET) if limit else None
		if budget and not parts:
			args.update(
				fields=["`tabCourrier`.name"], distinct=sbool(args.distinct), order_by=None, limit=limit
			)
			with plan("scan"):
				partial = reportview.execute(**args, run=0)
			bound = f"limit 1 rows examined {budget}"
			count = bounded(lambda: frappe.db.sql(f"select count(*) from ({partial}) p {bound}"))
			if count:
				return count[0][0]
		with plan("index"):
			return reportview.get_count()


def no_index_intersection():
	"""For this request's connection: no index-merge intersection. With one index per column on
	low-cardinality columns (in the trash or not, confidentiality, department), MariaDB would
	intersect them and sort every match (seconds at a million mail) instead of reading the
	list's index newest first and stopping at the page."""
	frappe.db.sql("set session optimizer_switch = 'index_merge_intersection=off'")


def by_branches(args) -> list | None:
	"""The branches of the rule to ask one by one, or None for Frappe's path."""
	if args.doctype != "Courrier" or args.group_by or args.or_filters:
		return None
	parts = branches()
	return parts if parts and len(parts) > 1 else None


def union(args, parts, limit: int, order_by: str | None, plan_name: str | None) -> str:
	"""The names of each branch's mail matching the request (filters and words), merged."""
	statements = []
	for part in parts:
		with une_branche(part), plan(plan_name):
			sql = DatabaseQuery("Courrier").execute(
				fields=["`tabCourrier`.`name`"],
				filters=args.filters,
				order_by=order_by,
				limit_start=0,
				limit_page_length=limit,
				run=0,
			)
		statements.append(f"({sql})")
	return " union ".join(statements)


def first_names(args, parts) -> list[str] | None:
	"""Names among which the requested page lies: each branch's first `start + page_length` in the
	list's order (the first n of a union are among the first n of its parts). None when search
	words made the branches read more than their budget: the full-text index answers instead."""
	wanted = cint(args.start) + cint(args.page_length or 20)
	order_by = args.order_by or LIST_ORDER
	rows = run_union(lambda p: union(args, parts, wanted, order_by, p), parts, wanted, recherche.PAGE_BUDGET)
	return None if rows is None else [row[0] for row in rows]


def words_budget(needed: int, default: int) -> int | None:
	"""The scan's budget of rows for this request's search words (None: no words, or words rare
	enough to go straight to the full-text index)."""
	if not frappe.local.flags.gec_plein_texte:
		return None
	return recherche.scan_budget(needed, default)


def run_union(build, parts, needed: int, default: int):
	"""Run the statement `build(plan)` builds: as it is without search words; with words, in the
	scan plan within its budget of rows, or None past it or when the words are rare (the caller
	then asks the full-text index once, under the whole rule, rather than once per branch)."""
	if not frappe.local.flags.gec_plein_texte:
		return frappe.db.sql(build(None))
	budget = words_budget(needed, default)
	if not budget:
		return None
	budget *= len(parts)  # each branch reads its own rows
	bound = f"limit 18446744073709551615 rows examined {budget}"
	return bounded(lambda: frappe.db.sql(f"select * from ({build('scan')}) b {bound}"))


def with_names(filters, names: list[str]) -> list:
	"""The request's filters, in list form, restricted to `names`."""
	if isinstance(filters, dict):
		filters = [
			["Courrier", key, *(value if isinstance(value, list | tuple) else ("=", value))]
			for key, value in filters.items()
		]
	return [*(filters or []), ["Courrier", "name", "in", names or [""]]]
