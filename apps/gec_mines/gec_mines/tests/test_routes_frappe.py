"""Frappe's own roads to a courrier: each answers only to those who may read the mail.

The calls go through `call_api`, as `/api/method/<cmd>` does, so they need the lines of
`gec_mines.overrides` in `override_whitelisted_methods` (hooks.py)."""

import json

import frappe
from frappe.desk.doctype.tag.tag import add_tag

from gec_mines.tests.utils import (
	GECTestCase,
	as_user,
	assigned_incoming,
	call_api,
	make_courrier,
	make_gec_users,
)

TAGGED = "frappe.desk.doctype.tag.tag.get_tagged_docs"
STATE_COUNT = "frappe.workflow.doctype.workflow.workflow.get_workflow_state_count"


class TestFrappeRoads(GECTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.users = make_gec_users("routes")
		cls.normal = assigned_incoming(cls.users, "Demande de cadastre minier, routes Frappe")
		with as_user(cls.users["agent"]):
			cls.secret = make_courrier(objet="Enquête réservée, routes Frappe", confidentialite="Secret").name

	def outsider(self):
		"""A Gestionnaire of Technique: reads neither the Juridique mail nor the Secret one."""
		return as_user(self.users["gest_tech"])

	def assert_refused(self, cmd: str, http_method: str = "GET", **kwargs):
		with self.assertRaises(frappe.PermissionError):
			call_api(cmd, http_method, **kwargs)
		frappe.clear_messages()

	def test_an_outsider_gets_no_title_of_a_secret_mail(self):
		args = {"doctype": "Courrier", "docname": self.secret}
		with self.outsider():
			self.assert_refused("frappe.desk.search.get_link_title", **args)
		with as_user(self.users["sg"]):
			# Frappe's answer, as stored (an envelope when GEC Settings encrypts the objet)
			title = call_api("frappe.desk.search.get_link_title", **args)
		self.assertEqual(title, frappe.db.get_value("Courrier", self.secret, "objet"))

	def test_the_assigned_to_sidebar_does_not_tell_an_outsider_who_holds_a_mail(self):
		args = {
			"doctype": "Courrier",
			"current_filters": json.dumps({"name": self.normal}),
			"field": "assigned_to",
		}
		with self.outsider():
			self.assertEqual(call_api("frappe.desk.listview.get_group_by_count", **args), [])
		with as_user(self.users["chef_jur"]):
			holders = call_api("frappe.desk.listview.get_group_by_count", **args)
		self.assertEqual([(h.name, h.count) for h in holders], [(self.users["gest_jur"], 1)])

	def test_an_outsider_does_not_learn_who_follows_a_mail(self):
		frappe.get_doc(
			{
				"doctype": "Document Follow",
				"ref_doctype": "Courrier",
				"ref_docname": self.secret,
				"user": self.users["sg"],
			}
		).insert(ignore_permissions=True)
		args = {"doctype": "Courrier", "doc_name": self.secret}
		with self.outsider():
			self.assert_refused("frappe.desk.form.document_follow.get_follow_users", **args)
		with as_user(self.users["sg"]):
			followers = call_api("frappe.desk.form.document_follow.get_follow_users", **args)
		self.assertEqual([f.user for f in followers], [self.users["sg"]])

	def test_an_outsider_neither_tags_a_secret_mail_nor_finds_it_by_its_tag(self):
		add_tag("enquete-routes", "Courrier", self.secret)  # as Administrator
		with self.outsider():
			self.assert_refused(
				"frappe.desk.doctype.tag.tag.add_tag", "POST", tag="vu-routes", dt="Courrier", dn=self.secret
			)
			self.assert_refused(
				"frappe.desk.doctype.tag.tag.remove_tag",
				"POST",
				tag="enquete-routes",
				dt="Courrier",
				dn=self.secret,
			)
			found = call_api(TAGGED, doctype="Courrier", tag="%enquete-routes%")
			self.assertNotIn(self.secret, [row[0] for row in found])
		self.assertEqual(frappe.db.get_value("Courrier", self.secret, "_user_tags"), ",enquete-routes")
		with as_user(self.users["sg"]):
			found = call_api(TAGGED, doctype="Courrier", tag="%enquete-routes%")
		self.assertIn(self.secret, [row[0] for row in found])

	def test_workflow_state_counts_leave_out_mail_the_user_may_not_see(self):
		args = {"doctype": "Courrier", "workflow_state_field": "workflow_state", "states": json.dumps([])}
		with self.outsider():
			counts = {r.workflow_state: r.count for r in call_api(STATE_COUNT, **args)}
			readable = len(frappe.get_list("Courrier", filters={"workflow_state": "Chez le SG"}))
		self.assertEqual(counts.get("Chez le SG", 0), readable)
		with as_user(self.users["sg"]):
			counts = {r.workflow_state: r.count for r in call_api(STATE_COUNT, **args)}
		self.assertGreaterEqual(counts["Chez le SG"], 1)

	def test_link_validation_does_not_confirm_a_secret_mail_to_an_outsider(self):
		args = {"doctype": "Courrier", "docname": self.secret}
		with self.outsider():
			self.assert_refused("frappe.client.validate_link", **args)
		with as_user(self.users["sg"]):
			self.assertEqual(call_api("frappe.client.validate_link", **args).name, self.secret)

	def test_an_outsider_cannot_unlock_a_mail(self):
		with as_user(self.users["sg"]):
			frappe.get_doc("Courrier", self.secret).lock()
		try:
			with self.outsider():
				self.assert_refused(
					"frappe.model.document.unlock_document", "POST", doctype="Courrier", name=self.secret
				)
			self.assertTrue(frappe.get_doc("Courrier", self.secret).is_locked)
		finally:
			frappe.get_doc("Courrier", self.secret).unlock()

	def test_an_outsider_reads_no_review_of_a_mail(self):
		args = {"doctype": "Courrier", "docname": self.secret}
		with self.outsider():
			self.assert_refused("frappe.social.doctype.energy_point_log.energy_point_log.get_reviews", **args)
		with as_user(self.users["sg"]):
			self.assertEqual(
				call_api("frappe.social.doctype.energy_point_log.energy_point_log.get_reviews", **args), []
			)
