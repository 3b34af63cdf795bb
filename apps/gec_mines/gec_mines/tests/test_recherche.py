"""The list's search box: the newest-first scan for common words, the full-text index for rare
ones, the same answer from both, and the access rule in each."""

import json
import random
import string
from contextlib import contextmanager
from unittest.mock import patch

import frappe

from gec_mines import recherche
from gec_mines.recherche import normaliser, split_filters
from gec_mines.tests.utils import GECTestCase, as_user, call_api, make_courrier, make_gec_users


@contextmanager
def statements():
	"""Every SQL statement run inside the block, in order."""
	ran, sql = [], frappe.db.sql

	def spy(query, *args, **kwargs):
		ran.append(str(query).lower())
		return sql(query, *args, **kwargs)

	with patch.object(frappe.db, "sql", spy):
		yield ran


def forced(plan: str):
	"""The scan plan with an ample budget, or a budget so small that the index plan answers."""
	budget = 10**9 if plan == "scan" else 1
	return patch.multiple(recherche, PAGE_BUDGET=budget, COUNT_BUDGET=budget, fraction=lambda words: None)


def search(*words: str, user: str) -> tuple[set[str], str]:
	"""Names the Courrier list shows for `words` typed in its search box, and the SQL it ran."""
	filters = [["Courrier", "texte_recherche", "like", f"%{w}%"] for w in words]
	with as_user(user), statements() as ran:
		result = call_api(
			"frappe.desk.reportview.get",
			"POST",
			doctype="Courrier",
			fields=json.dumps(["`tabCourrier`.`name`"]),
			filters=json.dumps(filters),
			page_length=100,
			with_comment_count=1,  # as the desk sends it
		)
		count = call_api(
			"frappe.desk.reportview.get_count",
			"POST",
			doctype="Courrier",
			filters=json.dumps(filters),
			limit=1001,
		)
	names = {row[0] for row in (result or {}).get("values", [])}
	assert count == len(names), (count, names)
	return names, "\n".join(q for q in ran if "tabcourrier" in q and q.lstrip().startswith("select"))


class TestRecherche(GECTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.users = make_gec_users("recherche")
		# words no other test's mail holds (other modules commit mail on the same site)
		t = "".join(random.choices(string.ascii_lowercase, k=8))
		cls.words = {"kolwezi": f"kolwezi{t}", "cobalt": f"cobalt{t}", "export": f"exportation{t}"}
		w = cls.words
		with as_user(cls.users["agent"]):
			cls.kolwezi = make_courrier(
				objet=f"{w['export']} de {w['cobalt']} depuis {w['kolwezi']}",
				expediteur=f"Société{t} Minière du Katanga SA",
			).name
			cls.likasi = make_courrier(objet=f"{w['export']} de cuivre depuis Likasi").name
			cls.juridique = make_courrier(
				objet=f"{w['cobalt']} stratégique {w['kolwezi']}", departement="JUR"
			).name
		# InnoDB applies full-text index changes at commit: the rows must be committed to be found.
		frappe.db.commit()  # nosemgrep: full-text search only sees committed rows

	@classmethod
	def tearDownClass(cls):
		frappe.flags.gec_purge = True
		for name in (cls.kolwezi, cls.likasi, cls.juridique):
			frappe.delete_doc("Courrier", name, force=True, ignore_permissions=True)
		frappe.flags.gec_purge = False
		frappe.db.commit()  # nosemgrep: undo the committed fixtures
		super().tearDownClass()

	def test_a_common_word_is_answered_by_the_newest_first_scan(self):
		w = self.words
		with forced("scan"):
			names, query = search(w["kolwezi"], w["export"], user=self.users["agent"])
		self.assertEqual(names, {self.kolwezi})
		self.assertNotIn("match(", query)
		self.assertIn(f"like '% {w['kolwezi']}%'", query)
		self.assertIn("rows examined", query)

	def test_a_rare_word_falls_back_to_the_full_text_index_with_the_same_answer(self):
		w = self.words
		with forced("index"):
			names, query = search(w["kolwezi"], w["export"], user=self.users["agent"])
		self.assertEqual(names, {self.kolwezi})
		self.assertIn("match(", query)  # tried the scan, ran out of budget, asked the index
		self.assertRegex(query, r"rows examined \d+\b")

	def test_accents_and_case_do_not_matter_and_words_match_as_prefixes_in_both_plans(self):
		token = self.words["kolwezi"].removeprefix("kolwezi")
		for plan in ("scan", "index"):
			with self.subTest(plan=plan), forced(plan):
				self.assertEqual(
					search(f"SOCIETE{token}".upper(), "minier", user=self.users["agent"])[0], {self.kolwezi}
				)
				self.assertEqual(search(f"société{token[:-3]}", user=self.users["agent"])[0], {self.kolwezi})
				# a word matches at the start of a word only, never inside one
				self.assertEqual(search(f"ociete{token}", user=self.users["agent"])[0], set())

	def test_short_words_stay_exact_substring_filters(self):
		names, query = search(self.words["export"], "du", user=self.users["agent"])
		self.assertEqual(names, {self.kolwezi})
		self.assertIn("%du%", query)

	def test_the_search_words_drop_accents_case_and_punctuation(self):
		self.assertEqual(
			normaliser("N/Réf. LM/003 Société Minière d'Exploitation ÉTÉ"),
			"n ref lm 003 societe miniere d exploitation ete",
		)
		doc = frappe.get_doc("Courrier", self.kolwezi)
		self.assertEqual(doc.mots_recherche, normaliser(doc.texte_recherche))

	def test_the_access_rule_still_applies_in_both_plans(self):
		both = {self.kolwezi, self.juridique}
		word = self.words["kolwezi"]
		for plan in ("scan", "index"):
			with self.subTest(plan=plan), forced(plan):
				self.assertEqual(search(word, user=self.users["agent"])[0], both)
				self.assertEqual(search(word, user=self.users["sg"])[0], both)
				self.assertEqual(search(word, user=self.users["gest_jur"])[0], {self.juridique})
				self.assertEqual(search(word, user=self.users["gest_tech"])[0], set())

	def test_the_sidebar_counts_use_the_same_search(self):
		filters = json.dumps([["Courrier", "texte_recherche", "like", f"%{self.words['cobalt']}%"]])
		with as_user(self.users["sg"]):
			counts = call_api(
				"frappe.desk.listview.get_group_by_count",
				"POST",
				doctype="Courrier",
				current_filters=filters,
				field="confidentialite",
			)
		by_level = {row["name"]: row["count"] for row in counts}
		self.assertEqual(by_level.get("Normal"), 2)

	def test_filters_that_the_index_cannot_answer_are_kept(self):
		words, kept = split_filters(
			[
				["Courrier", "texte_recherche", "like", "%cobalt%"],
				["Courrier", "texte_recherche", "like", "%GEC-E-2026%"],
				["Courrier", "type_courrier", "=", "Entrant"],
				["texte_recherche", "like", "%the%"],
				["texte_recherche", "like", "%du%"],
			]
		)
		# stopwords are in the index (built without InnoDB's list): only length and shape keep a filter
		self.assertEqual(words, ["cobalt", "the"])
		self.assertEqual(len(kept), 3)
