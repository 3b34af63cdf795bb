"""Deadlines over working days, reminders and escalations, the stopped clock and the overdue view."""

import datetime

import frappe

from gec_mines.echeances import envoyer_rappels
from gec_mines.tests.utils import GECTestCase, as_user, assigned_incoming, make_courrier, make_gec_users


class TestEcheances(GECTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.users = make_gec_users("delais")
		frappe.db.set_single_value(
			"GEC Settings", {"rappel_jours_avant": 2, "escalade_chef_jours": 1, "escalade_sg_jours": 3}
		)

	def logs(self, name: str) -> dict[str, str]:
		"""Notification Log name -> recipient, for this module's users only."""
		ours = set(self.users.values())
		return {
			log.name: log.for_user
			for log in frappe.get_all(
				"Notification Log", filters={"document_name": name}, fields=["name", "for_user"]
			)
			if log.for_user in ours
		}

	def routed_mail(self, due: str) -> str:
		return assigned_incoming(self.users, "Demande de titre minier", date_echeance=due)

	def test_the_type_delay_counts_working_days_and_holidays(self):
		frappe.db.set_value("Type Courrier", "Lettre officielle", "delai_traitement", 3)
		with self.freeze_time("2026-06-26 10:00:00"):  # a Friday; Tuesday 30 June is Independence Day
			with as_user(self.users["gest_jur"]):
				doc = make_courrier("Sortant", objet="Projet avec délai")
		self.assertEqual(str(doc.date_echeance), "2026-07-02")

	def test_reminders_then_escalations_across_a_weekend_and_a_holiday(self):
		name = self.routed_mail("2026-06-26")  # Friday
		u = self.users

		def run(day: str) -> set[str]:
			before = self.logs(name)
			with self.freeze_time(day + " 06:30:00"):
				envoyer_rappels()
			return {user for log, user in self.logs(name).items() if log not in before}

		self.assertEqual(run("2026-06-23"), set(), "three working days ahead: nothing yet")
		self.assertEqual(run("2026-06-24"), {u["gest_jur"]}, "two working days ahead: the holder")
		self.assertEqual(run("2026-06-25"), set(), "each level is sent once")
		self.assertEqual(run("2026-06-27"), {u["gest_jur"]}, "Saturday: overdue, the holder")
		self.assertEqual(run("2026-06-29"), {u["chef_jur"]}, "Monday, one working day late: the head")
		self.assertEqual(run("2026-06-30"), set(), "Independence Day is not a working day")
		self.assertEqual(run("2026-07-01"), set())
		self.assertEqual(run("2026-07-02"), {u["sg"]}, "three working days late: the SG")
		self.assertEqual(frappe.db.get_value("Courrier", name, "niveau_relance"), 4)

	def test_a_stopped_clock_sends_nothing_and_moves_the_deadline_on_restart(self):
		name = self.routed_mail("2026-06-26")
		with self.freeze_time("2026-06-22 09:00:00"):
			with as_user(self.users["gest_jur"]):
				with self.assertRaises(frappe.MandatoryError):
					frappe.get_doc("Courrier", name).suspendre(" ")
				frappe.get_doc("Courrier", name).suspendre("Pièces manquantes demandées au requérant")
		before = self.logs(name)
		with self.freeze_time("2026-06-29 06:30:00"):
			envoyer_rappels()
		self.assertEqual(self.logs(name), before)
		with self.freeze_time("2026-06-29 09:00:00"):  # five working days of waiting
			with as_user(self.users["gest_jur"]):
				frappe.get_doc("Courrier", name).reprendre()
		doc = frappe.get_doc("Courrier", name)
		self.assertFalse(doc.en_attente)
		# 26 June + 5 working days, skipping the weekend and 30 June
		self.assertEqual(str(doc.date_echeance), "2026-07-06")

	def test_the_overdue_view_shows_what_each_reader_may_see(self):
		from gec_mines.gec_mines.report.courrier_en_retard.courrier_en_retard import execute

		name = self.routed_mail("2026-06-26")
		for key, expected in (("chef_jur", True), ("gest_jur", True), ("chef_tech", False)):
			with as_user(self.users[key]):
				_columns, rows, _msg, _chart, _summary = execute({"date": "2026-07-02"})
			listed = [r for r in rows if r.courrier == name]
			self.assertEqual(bool(listed), expected, key)
			if listed:
				self.assertEqual(listed[0].jours_retard, 3)
				self.assertIn("gest_jur", listed[0].detenteur)
		with as_user(self.users["sg"]):
			_c, rows, *_ = execute({"date": "2026-07-02", "utilisateur": self.users["gest_jur"]})
		self.assertIn(name, [r.courrier for r in rows])

	def test_holidays_are_unique_and_seeded(self):
		self.assertTrue(frappe.db.exists("Jour Ferie", {"libelle": "Fête de l'Indépendance", "annuel": 1}))
		with self.assertRaises(frappe.DuplicateEntryError):
			frappe.get_doc(
				{
					"doctype": "Jour Ferie",
					"date": datetime.date(2027, 6, 30),
					"libelle": "Doublon",
					"annuel": 0,
				}
			).insert()
