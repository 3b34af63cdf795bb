"""Registration numbers: unique, gapless, per direction and per year, even under load."""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from datetime import date

import frappe

from gec_mines.core import numbering
from gec_mines.numbering import next_number
from gec_mines.tests.utils import GECTestCase, as_user, make_courrier, make_user

WORKERS = 6
MAILS = 24


def register_in_another_process(site: str, sites_path: str, count: int) -> list[str]:
	"""A clerk's session: its own process, its own database connection, one commit per mail."""
	import frappe

	from gec_mines.tests.utils import make_courrier

	frappe.init(site=site, sites_path=sites_path)
	frappe.connect()
	frappe.set_user("Administrator")
	try:
		names = []
		for _ in range(count):
			names.append(make_courrier(objet="Enregistrement simultané").name)
			frappe.db.commit()
		return names
	finally:
		frappe.destroy()


class TestNumbering(GECTestCase):
	def test_parallel_registrations_get_distinct_consecutive_numbers(self):
		frappe.db.set_single_value("GEC Settings", "format_entrant", "PAR-{year}-{counter:05d}")
		frappe.db.commit()  # nosemgrep: the other processes must see the format
		try:
			site, sites_path = frappe.local.site, frappe.local.sites_path
			context = multiprocessing.get_context("spawn")
			with ProcessPoolExecutor(max_workers=WORKERS, mp_context=context) as pool:
				batches = list(
					pool.map(register_in_another_process, [site] * MAILS, [sites_path] * MAILS, [1] * MAILS)
				)
		finally:
			frappe.db.set_single_value("GEC Settings", "format_entrant", numbering.DEFAULT_FORMATS["Entrant"])
			frappe.db.commit()  # nosemgrep

		names = [name for batch in batches for name in batch]
		self.assertEqual(len(names), MAILS)
		self.assertEqual(len(set(names)), MAILS)
		counters = sorted(int(name.rsplit("-", 1)[1]) for name in names)
		self.assertEqual(counters, list(range(counters[0], counters[0] + MAILS)))

	def use_formats(self, entrant: str, sortant: str):
		frappe.db.set_single_value("GEC Settings", {"format_entrant": entrant, "format_sortant": sortant})
		self.addCleanup(
			frappe.db.set_single_value,
			"GEC Settings",
			{
				"format_entrant": numbering.DEFAULT_FORMATS["Entrant"],
				"format_sortant": numbering.DEFAULT_FORMATS["Sortant"],
			},
		)

	def test_each_year_and_direction_has_its_own_counter(self):
		tag = frappe.generate_hash(length=6).upper()  # a prefix no earlier run has counted
		self.use_formats(f"E{tag}-{{year}}-{{counter:05d}}", f"S{tag}-{{year}}-{{counter:05d}}")
		self.assertEqual(next_number("Entrant", date(2041, 1, 5)), f"E{tag}-2041-00001")
		self.assertEqual(next_number("Entrant", date(2041, 12, 31)), f"E{tag}-2041-00002")
		self.assertEqual(next_number("Sortant", date(2041, 6, 1)), f"S{tag}-2041-00001")
		self.assertEqual(next_number("Entrant", date(2042, 1, 1)), f"E{tag}-2042-00001")

	def test_formats_with_month_day_and_unpadded_counter(self):
		tag = frappe.generate_hash(length=6).upper()
		self.use_formats(numbering.DEFAULT_FORMATS["Entrant"], f"{{day}}{{month}}{{year}}/{{counter}}/{tag}")
		self.assertEqual(next_number("Sortant", date(2043, 2, 7)), f"07022043/1/{tag}")
		self.assertEqual(next_number("Sortant", date(2043, 2, 7)), f"07022043/2/{tag}")
		self.assertEqual(next_number("Sortant", date(2043, 2, 8)), f"08022043/1/{tag}")

	def test_settings_refuse_a_format_without_counter(self):
		settings = frappe.get_doc("GEC Settings")
		settings.format_entrant = "GEC-{year}"
		with self.assertRaisesRegex(frappe.ValidationError, "counter|compteur"):
			settings.save()


class TestManualNumbering(GECTestCase):
	"""Only an administrator registers a mail under a number typed by hand."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.agent = make_user("numero-agent@example.com", ["GEC Agent Courrier"])
		# an administrator who registers mail (the role alone does not)
		cls.admin = make_user("numero-admin@example.com", ["GEC Agent Courrier", "GEC Administrateur"])

	def manual_mode(self):
		frappe.db.set_single_value("GEC Settings", "mode_numerotation", "Manuel")
		self.addCleanup(frappe.db.set_single_value, "GEC Settings", "mode_numerotation", "Automatique")

	def test_a_clerk_who_types_a_number_in_manual_mode_is_refused_with_the_field_named(self):
		self.manual_mode()
		number = "AR/2026/" + frappe.generate_hash(length=5).upper()
		with as_user(self.agent):
			with self.assertRaises(frappe.PermissionError) as caught:
				make_courrier(numero_accuse_reception=number)
			self.assertRegex(str(caught.exception), "administrat")
			self.assertRegex(str(caught.exception), "N° d'accusé de réception|Registration No")
			self.assertFalse(frappe.db.exists("Courrier", number))
			self.assertNotEqual(make_courrier().name, number)  # without a number: the counter's
		with as_user(self.admin):
			self.assertEqual(make_courrier(numero_accuse_reception=number).name, number)

	def test_in_automatic_mode_a_number_sent_by_the_client_is_ignored(self):
		with as_user(self.admin):
			doc = make_courrier(numero_accuse_reception="CHOISI-PAR-LE-CLIENT")
		self.assertNotEqual(doc.name, "CHOISI-PAR-LE-CLIENT")
		self.assertEqual(doc.numero_accuse_reception, doc.name)
		self.assertFalse(frappe.db.exists("Courrier", "CHOISI-PAR-LE-CLIENT"))

	def test_the_counter_steps_over_a_number_an_administrator_typed(self):
		prefix = "MAN" + frappe.generate_hash(length=4).upper()
		frappe.db.set_single_value("GEC Settings", "format_entrant", prefix + "-{counter:03d}")
		self.addCleanup(
			frappe.db.set_single_value, "GEC Settings", "format_entrant", numbering.DEFAULT_FORMATS["Entrant"]
		)
		self.manual_mode()
		with as_user(self.admin):
			make_courrier(numero_accuse_reception=f"{prefix}-002")
		with as_user(self.agent):
			numbers = [make_courrier().name for _ in range(2)]
		self.assertEqual(numbers, [f"{prefix}-001", f"{prefix}-003"])
