"""The census of roads: every whitelisted method and every REST doctype is reviewed and classified
in `gec_mines/permissions/census.toml`, so a new road cannot ship unreviewed."""

from gec_mines.permissions import census
from gec_mines.tests.utils import GECTestCase


class TestCensus(GECTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.report = census.unclassified()

	def assert_empty(self, key: str, advice: str):
		self.assertEqual(self.report.get(key, []), [], advice)

	def test_every_module_imports(self):
		self.assertEqual(census.import_all(), {}, "a module that cannot import hides its whitelisted methods")

	def test_every_whitelisted_method_is_classified(self):
		self.assert_empty("methods_missing", "read each one and classify it in census.toml")

	def test_every_resource_doctype_is_classified(self):
		self.assert_empty("doctypes_missing", "read each one and classify it in census.toml")

	def test_the_census_names_no_road_that_is_gone(self):
		self.assert_empty("methods_gone", "remove them from census.toml")
		self.assert_empty("doctypes_gone", "remove them from census.toml")

	def test_each_entry_has_a_class_and_a_reason(self):
		self.assert_empty("malformed", "class is safe, guarded or blocked; why is a short reason")

	def test_what_hangs_off_a_courrier_names_its_guard(self):
		self.assert_empty(
			"courrier_ties_unguarded", "tied to a courrier: guarded (guard = ...) or safe with a reason"
		)

	def test_every_override_guard_is_wired_in_hooks(self):
		self.assert_empty(
			"guards_not_wired", "wire it in hooks.py (override_whitelisted_methods, has_permission)"
		)
