"""Public holidays (Jour Ferie): kept by the administrator, they stop the deadline clock."""

import datetime

import frappe

from gec_mines.echeances import calendrier
from gec_mines.tests.utils import GECTestCase, as_user, make_gec_users


class TestJourFerie(GECTestCase):
	def test_a_yearly_holiday_is_not_a_working_day_any_year(self):
		frappe.get_doc(
			{"doctype": "Jour Ferie", "date": "2026-03-19", "libelle": "Journée d'essai", "annuel": 1}
		).insert()
		cal = calendrier()
		for year in (2026, 2031):
			self.assertEqual(
				cal.add_working_days(datetime.date(year, 3, 18), 1) > datetime.date(year, 3, 19),
				datetime.date(year, 3, 19).weekday() < 5,
				year,
			)

	def test_only_the_administrator_keeps_the_holidays(self):
		users = make_gec_users("ferie")
		for key in ("agent", "sg", "chef_jur", "auditeur"):
			with as_user(users[key]):
				self.assertFalse(frappe.has_permission("Jour Ferie", "create"), key)
		with as_user(users["admin"]):
			self.assertTrue(frappe.has_permission("Jour Ferie", "create"))
