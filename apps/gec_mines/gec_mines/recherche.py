"""Free-text search of the Courrier list through the full-text index, never a `LIKE '%word%'` scan.

The list's search box sends one `texte_recherche like %word%` filter per word. For the list,
its count and the sidebar's group-by counts, those filters are taken out of the request and
become one `MATCH ... AGAINST` condition (every word, as a word prefix, accents and case
ignored by the collation), added by the Courrier's permission query hook. Words the index
cannot answer (shorter than InnoDB's 3 characters, stopwords, punctuation such as in a
registration number) stay `LIKE` filters, so the result never loses a mail.
"""

import json
import re
from contextlib import contextmanager

import frappe

FIELD = "texte_recherche"
MIN_TOKEN = 3  # innodb_ft_min_token_size
# InnoDB's default stopword list: such words are not indexed, MATCH would find nothing.
STOPWORDS = frozenset(
	"a about an are as at be by com de en for from how i in is it la of on or that the this to was"
	" what when where who will with und www".split()
)
WORD = re.compile(r"^\w+$")
SEARCHED_FIELDS = ("numero_accuse_reception", "numero_reference", "objet", "expediteur", "destinataire")


def search_text(values) -> str:
	"""What the free-text search box looks through, kept in `texte_recherche`."""
	return " ".join(str(values.get(f) or "") for f in SEARCHED_FIELDS).strip()


def indexable(word: str) -> bool:
	return len(word) >= MIN_TOKEN and bool(WORD.match(word)) and word.casefold() not in STOPWORDS


def split_filters(filters) -> tuple[list[str], object]:
	"""(words for the index, the filters left) from list filters in any of Frappe's shapes."""
	if not isinstance(filters, list):
		return [], filters
	words, kept = [], []
	for f in filters:
		if isinstance(f, list | tuple) and len(f) >= 3:
			field, operator, value = (f[1], f[2], f[3]) if len(f) >= 4 else (f[0], f[1], f[2])
			doctype_ok = len(f) < 4 or f[0] == "Courrier"
			word = str(value or "").strip("%")
			if doctype_ok and field == FIELD and operator == "like" and indexable(word):
				words.append(word)
				continue
		kept.append(f)
	return words, kept


def against(words: list[str]) -> str:
	"""The boolean-mode query: every word required, as a prefix."""
	return " ".join(f"+{w}*" for w in words)


def condition() -> str:
	"""The MATCH condition of the request being answered, or ""."""
	words = frappe.local.flags.get("gec_plein_texte")
	if not words:
		return ""
	return f"match(`tabCourrier`.`{FIELD}`) against ({frappe.db.escape(against(words))} in boolean mode)"


@contextmanager
def plein_texte(filters_key: str = "filters", doctype_key: str = "doctype"):
	"""Move the indexable word filters of the request into the full-text condition."""
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
		form[filters_key] = raw


@frappe.whitelist()
@frappe.read_only()
def get():
	from frappe.desk import reportview

	with plein_texte():
		return reportview.get()


@frappe.whitelist()
@frappe.read_only()
def get_count() -> int:
	from frappe.desk import reportview

	with plein_texte():
		return reportview.get_count()


@frappe.whitelist()
def get_group_by_count(doctype: str, current_filters: str, field: str) -> list[dict]:
	from frappe.desk import listview

	frappe.local.form_dict.update(doctype=doctype, current_filters=current_filters)
	with plein_texte("current_filters"):
		return listview.get_group_by_count(doctype, frappe.local.form_dict.current_filters, field)
