"""The list's search box goes through the full-text index and still honours the access rule."""

import json
import random
import string

import frappe

from gec_mines.recherche import split_filters
from gec_mines.tests.utils import GECTestCase, as_user, call_api, make_courrier, make_gec_users


def search(*words: str, user: str) -> tuple[set[str], str]:
	"""Names the Courrier list shows for `words` typed in its search box, and the SQL it ran."""
	filters = [["Courrier", "texte_recherche", "like", f"%{w}%"] for w in words]
	with as_user(user):
		result = call_api(
			"frappe.desk.reportview.get",
			"POST",
			doctype="Courrier",
			fields=json.dumps(["`tabCourrier`.`name`"]),
			filters=json.dumps(filters),
			page_length=100,
		)
		query = frappe.db.last_query or ""
		count = call_api(
			"frappe.desk.reportview.get_count", "POST", doctype="Courrier", filters=json.dumps(filters)
		)
	names = {row[0] for row in (result or {}).get("values", [])}
	assert count == len(names), (count, names)
	return names, query


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

	def test_words_are_found_through_the_full_text_index(self):
		w = self.words
		names, query = search(w["kolwezi"], w["export"], user=self.users["agent"])
		self.assertEqual(names, {self.kolwezi})
		self.assertIn("match(", query.lower())
		self.assertNotIn(f"%{w['kolwezi']}%", query.lower())

	def test_accents_and_case_do_not_matter_and_words_match_as_prefixes(self):
		token = self.words["kolwezi"].removeprefix("kolwezi")
		self.assertEqual(
			search(f"SOCIETE{token}".upper(), "minier", user=self.users["agent"])[0], {self.kolwezi}
		)
		self.assertEqual(search(f"societe{token[:-3]}", user=self.users["agent"])[0], {self.kolwezi})

	def test_short_words_and_stopwords_stay_exact_substring_filters(self):
		names, query = search(self.words["export"], "du", user=self.users["agent"])
		self.assertEqual(names, {self.kolwezi})
		self.assertIn("%du%", query.lower())

	def test_the_access_rule_still_applies(self):
		both = {self.kolwezi, self.juridique}
		word = self.words["kolwezi"]
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
			]
		)
		self.assertEqual(words, ["cobalt"])
		self.assertEqual(len(kept), 3)
