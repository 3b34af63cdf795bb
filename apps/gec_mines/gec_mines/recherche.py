"""Free-text search of the Courrier list: the first page of the newest matching mail, whether
a word is on one letter in a million or on every third one, never a `LIKE '%word%'` scan of the
whole archive.

The list's search box sends one `texte_recherche like %word%` filter per word. For the list,
its count and the sidebar's group-by counts, the words the index can answer are taken out of
the request and become one condition on `mots_recherche`, added by the Courrier's permission
query hook. `mots_recherche` is the search text reduced to words: accents and case removed,
anything else than a letter or a digit a space ("Société minière" -> "societe miniere"), so a
word matches as a prefix of a word, the same way through either plan:

- the *scan* plan reads the mail newest first (the list's own index) and keeps those with a
  word starting with each search word (`like 'w%' or like '% w%'`). It stops at the page, so a
  common word costs a few hundred rows; it is given a budget of rows (MariaDB's `LIMIT ROWS
  EXAMINED`) and gives up when a rare word would make it read the archive;
- the *index* plan asks the full-text index (`MATCH ... AGAINST '+w*'`), which costs in
  proportion to the number of matching mail: what a rare word needs.

Which plan: the share of the newest mail holding each word (`frequences`, counted hourly over
the newest mail) tells how many rows the scan would read to fill the page, or the count's limit.
Few enough: the scan, with a budget a few times that; otherwise straight to the index. Without
counts yet (a new site), the scan is tried with a fixed budget first. Past its budget the scan
gives up (MariaDB's `LIMIT ROWS EXAMINED`) and the index answers; both give the same rows. Words the index cannot answer (shorter than InnoDB's
3 characters, several words in one such as a registration number) stay `LIKE` filters on
`texte_recherche`, so the result never loses a mail.
"""

import json
import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from contextlib import contextmanager

import frappe
from frappe.model.db_query import DatabaseQuery

FIELD = "texte_recherche"
WORDS = "mots_recherche"
MIN_TOKEN = 3  # innodb_ft_min_token_size
TOKEN = re.compile(r"^[a-z0-9]+$")
NOT_WORD = re.compile(r"[^a-z0-9]+")
SEARCHED_FIELDS = ("numero_accuse_reception", "numero_reference", "objet", "expediteur", "destinataire")
# Rows the newest-first scan may read before the full-text index takes over, when the words'
# frequencies are not known yet: a word on more than one mail in four hundred fills a page of 20.
PAGE_BUDGET = 8000
COUNT_BUDGET = 12000
# With frequencies: the scan when it should fill the request within SCAN_LIMIT rows (about 3.5 µs
# a row on a 2-core machine, where the index costs about 1.5 µs a matching mail, sorting apart).
SCAN_LIMIT = 30000
FREQUENCES = "gec_mots_frequents"
SAMPLE = 20000  # the newest mail, where the scan reads
INTERRUPTED = 1931  # ER_QUERY_EXCEEDED_ROWS_EXAMINED_LIMIT: the rows sent so far are partial
SORT_ABORTED = 1028  # the same budget, run out while sorting: no rows


def search_text(values) -> str:
	"""What the free-text search box looks through, kept in `texte_recherche`."""
	return " ".join(str(values.get(f) or "") for f in SEARCHED_FIELDS).strip()


def normaliser(text: str | None) -> str:
	"""Words only, without accents or case: what `mots_recherche` holds and the search words become."""
	decomposed = unicodedata.normalize("NFKD", text or "")
	bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
	return NOT_WORD.sub(" ", bare).strip()


def search_columns(text: str) -> dict:
	return {FIELD: text, WORDS: normaliser(text)}


def indexable(word: str) -> str | None:
	"""The word as the index knows it, or None when the index cannot answer it."""
	token = normaliser(word)
	return token if len(token) >= MIN_TOKEN and TOKEN.match(token) else None


def split_filters(filters) -> tuple[list[str], object]:
	"""(words for the index, the filters left) from list filters in any of Frappe's shapes."""
	if not isinstance(filters, list):
		return [], filters
	words, kept = [], []
	for f in filters:
		if isinstance(f, list | tuple) and len(f) >= 3:
			field, operator, value = (f[1], f[2], f[3]) if len(f) >= 4 else (f[0], f[1], f[2])
			doctype_ok = len(f) < 4 or f[0] == "Courrier"
			word = indexable(str(value or "").strip("%"))
			if doctype_ok and field == FIELD and operator == "like" and word:
				words.append(word)
				continue
		kept.append(f)
	return words, kept


def against(words: list[str]) -> str:
	"""The boolean-mode query: every word required, as a prefix."""
	return " ".join(f"+{w}*" for w in words)


def condition() -> str:
	"""The search condition of the request being answered, in the plan being tried, or ""."""
	words = frappe.local.flags.get("gec_plein_texte")
	if not words:
		return ""
	column = f"`tabCourrier`.`{WORDS}`"
	if frappe.local.flags.get("gec_plan") == "scan":
		return " and ".join(
			f"({column} like {frappe.db.escape(w + '%', percent=False)}"
			f" or {column} like {frappe.db.escape('% ' + w + '%', percent=False)})"
			for w in words
		)
	return f"match({column}) against ({frappe.db.escape(against(words))} in boolean mode)"


@contextmanager
def plein_texte(filters_key: str = "filters", doctype_key: str = "doctype"):
	"""Move the indexable word filters of the request into the search condition."""
	form = frappe.local.form_dict
	if form.get(doctype_key) != "Courrier" or not form.get(filters_key):
		yield
		return
	raw = form.get(filters_key)
	filters = json.loads(raw) if isinstance(raw, str) else raw
	words, kept = split_filters(filters)
	if not words:
		yield
		return
	form[filters_key] = json.dumps(kept)
	frappe.local.flags.gec_plein_texte = words
	try:
		yield
	finally:
		frappe.local.flags.gec_plein_texte = None
		frappe.local.flags.gec_plan = None
		form[filters_key] = raw


def calculer_frequences() -> dict:
	"""How many of the newest mail hold each word (hourly; after the demo data): what the scan
	meets. Words on fewer than 5 of them are left out (rare: the index answers them)."""
	rows = frappe.db.sql(
		"""select `mots_recherche` from `tabCourrier` where `is_deleted` = 0
		order by `creation` desc limit %s""",
		(SAMPLE,),
	)
	counts = Counter()
	for (words,) in rows:
		counts.update(set((words or "").split()))
	frequent = sorted((token, n) for token, n in counts.items() if n >= 5 and len(token) >= MIN_TOKEN)
	stats = {"total": len(rows), "tokens": [t for t, _n in frequent], "counts": [n for _t, n in frequent]}
	frappe.cache.set_value(FREQUENCES, stats)
	return stats


def fraction(words: list[str]) -> float | None:
	"""The estimated share of the newest mail holding all `words` (as prefixes), or None when
	no counts exist yet."""
	stats = frappe.cache.get_value(FREQUENCES)
	if not stats or not stats.get("total"):
		return None
	tokens, counts, total = stats["tokens"], stats["counts"], stats["total"]
	share = 1.0
	for word in words:
		first, last = bisect_left(tokens, word), bisect_left(tokens, word + "\x7f")
		share *= min(sum(counts[first:last]), total) / total
	return share


def scan_budget(needed: int, default: int) -> int | None:
	"""Rows the scan may read to find `needed` matching mail, or None: ask the index directly."""
	share = fraction(frappe.local.flags.get("gec_plein_texte") or [])
	if share is None:
		return default
	if share <= 0 or needed / share > SCAN_LIMIT:
		return None
	return int(max(3 * needed / share, 5000))


@contextmanager
def plan(name: str):
	frappe.local.flags.gec_plan = name
	try:
		yield
	finally:
		frappe.local.flags.gec_plan = None


def interrupted() -> bool:
	"""True when the last statement stopped at its `ROWS EXAMINED` budget (its rows are partial)."""
	return any(row[1] == INTERRUPTED for row in frappe.db.sql("show warnings"))


class BudgetedQuery(DatabaseQuery):
	"""The list's query with a budget of rows; None instead of partial rows when it runs out."""

	budget = PAGE_BUDGET

	def add_limit(self):
		limit = super().add_limit()
		return f"{limit} rows examined {self.budget}" if limit else limit

	def build_and_run(self):
		rows = bounded(super().build_and_run)
		if rows is None:  # raised, not returned: `execute` goes on with the rows (comment counts…)
			raise BudgetExceeded
		return rows


class BudgetExceeded(Exception):
	"""The scan plan read its budget of rows without filling the request."""


def bounded(run):
	"""`run()`, or None when the statement ran out of its `ROWS EXAMINED` budget."""
	try:
		result = run()
	except frappe.db.OperationalError as error:
		if error.args and error.args[0] == SORT_ABORTED:
			return None
		raise
	return None if interrupted() else result


@frappe.whitelist()
def get_group_by_count(doctype: str, current_filters: str, field: str) -> list[dict]:
	from frappe.desk import listview

	frappe.local.form_dict.update(doctype=doctype, current_filters=current_filters)
	with plein_texte("current_filters"):
		return listview.get_group_by_count(doctype, frappe.local.form_dict.current_filters, field)
