"""The access rule on every road to a courrier: who sees Normal, Confidentiel and Secret mail."""

import json

import frappe

from gec_mines.constants import ROLES
from gec_mines.tests.utils import (
	GECTestCase,
	as_user,
	call_api,
	make_courrier,
	make_gec_users,
	make_user,
	route,
)

# Everyone who sees a mail routed to Juridique and registered by `agent`, per level.
SEES = {
	"Normal": {"agent", "agent2", "sg", "auditeur", "admin", "chef_jur", "gest_jur"},
	"Confidentiel": {"agent", "sg", "auditeur", "chef_jur"},
	"Secret": {"sg"},
}


def roads(name: str, marker: str) -> dict[str, bool]:
	"""For the current user: does each road to the data show courrier `name`?"""
	from frappe.api import v1 as rest
	from frappe.desk.form.load import getdoc
	from frappe.desk.listview import get_group_by_count
	from frappe.desk.reportview import execute as reportview
	from frappe.desk.search import search_link
	from frappe.www.printview import get_html_and_style

	def raises(call) -> bool:
		try:
			call()
			return True
		except frappe.PermissionError:
			frappe.clear_messages()
			return False

	def rows(call) -> bool:
		try:
			return bool(call())
		except frappe.PermissionError:
			frappe.clear_messages()
			return False

	user = frappe.session.user
	only = {"name": name}
	file = frappe.get_doc("File", {"attached_to_doctype": "Courrier", "attached_to_name": name})
	frappe.local.form_dict = frappe._dict(filters=json.dumps(only), fields=json.dumps(["name"]))
	result = {
		"form": frappe.has_permission("Courrier", "read", doc=name, user=user),
		"getdoc": raises(lambda: getdoc("Courrier", name)),
		"print": raises(lambda: get_html_and_style("Courrier", name)),
		"client.get": raises(lambda: frappe.client.get("Courrier", name)),
		"rest read": raises(lambda: rest.read_doc("Courrier", name)),
		"rest list": rows(lambda: rest.document_list("Courrier")),
		"get_list": rows(lambda: frappe.get_list("Courrier", filters=only)),
		"get_count": rows(
			lambda: call_api("frappe.client.get_count", doctype="Courrier", filters=json.dumps(only))
		),
		"get_value": rows(
			lambda: call_api(
				"frappe.client.get_value", doctype="Courrier", fieldname="objet", filters=json.dumps(only)
			)
		),
		"api get_list": rows(
			lambda: call_api("frappe.client.get_list", doctype="Courrier", filters=json.dumps(only))
		),
		"report view": rows(lambda: reportview("Courrier", fields=["name"], filters=only)),
		"group by": rows(lambda: get_group_by_count("Courrier", json.dumps(only), "workflow_state")),
		"link search": rows(lambda: search_link("Courrier", name)),
		"awesome bar": rows(lambda: call_api("frappe.desk.search.search_link", doctype="Courrier", txt=name)),
		"aggregate": rows(
			lambda: frappe.get_list("Courrier", filters=only, fields=["count(name) as n"])[0].n
		),
		"attachment": file.is_downloadable(),
		"file list": rows(lambda: frappe.get_list("File", filters={"attached_to_name": name})),
		"comments": rows(
			lambda: frappe.get_list("Comment", filters={"reference_name": name, "content": marker})
		),
		"versions": rows(lambda: frappe.get_list("Version", filters={"docname": name})),
		"forwards": rows(lambda: frappe.get_list("Transmission Courrier", filters={"courrier": name})),
	}
	frappe.local.form_dict = frappe._dict()
	return result


class TestAccessMatrix(GECTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.users = make_gec_users("acces")
		cls.users["sysadmin"] = make_user("acces-sysadmin@example.com", ["System Manager"])
		cls.mail = {}
		for level in SEES:
			with as_user(cls.users["agent"]):
				doc = make_courrier(objet=f"Dossier {level} acces", confidentialite=level)
			if level == "Secret":
				# the desk hands Secret mail straight to the SG
				assert doc.workflow_state == "Chez le SG", doc.workflow_state
				with as_user(cls.users["sg"]):
					doc = frappe.get_doc("Courrier", doc.name)
					doc.append("imputations", {"departement": "JUR", "instruction": "Attribution"})
					doc.save()
			else:
				route(doc.name, cls.users["sg"], cls.users["agent"], {"departement": "JUR"})
			doc.add_comment("Comment", f"marker-{doc.name}")
			with as_user(cls.users["sg"]):
				d = frappe.get_doc("Courrier", doc.name)
				d.objet = d.objet + "."
				d.save()  # leaves a Version behind
			cls.mail[level] = doc.name
			with as_user(cls.users["sg"]):
				# a forward every reader may see, to a user who sees the mail anyway
				frappe.get_doc("Courrier", doc.name).transmettre(cls.users["sg"], "Pour mémoire")

	def test_each_level_is_seen_exactly_by_its_readers_on_every_road(self):
		mismatches = []
		for level, name in self.mail.items():
			for key, user in self.users.items():
				expected = key in SEES[level]
				with as_user(user):
					for road, seen in roads(name, f"marker-{name}").items():
						if road in ("comments", "versions") and expected:
							continue  # only System Managers read those lists at all
						if seen != expected:
							mismatches.append(f"{level} / {key} / {road}: seen={seen}")
		self.assertEqual(mismatches, [])

	def test_a_system_manager_without_a_gec_role_sees_no_mail_nor_its_comments(self):
		with as_user(self.users["sysadmin"]):
			for name in self.mail.values():
				result = roads(name, f"marker-{name}")
				self.assertFalse(result["comments"], name)
				self.assertFalse(result["versions"], name)
				self.assertFalse(result["file list"], name)
				self.assertFalse(result["form"], name)

	def test_the_sg_names_readers_of_secret_mail_by_assigning_or_forwarding(self):
		with as_user(self.users["agent"]):
			secret = make_courrier(objet="Dossier secret à nommer", confidentialite="Secret").name
		with as_user(self.users["gest_tech"]):
			self.assertFalse(frappe.has_permission("Courrier", "read", doc=secret))
		with as_user(self.users["sg"]):
			frappe.get_doc("Courrier", secret).transmettre(self.users["gest_tech"], "Avis technique")
			frappe.get_doc("Courrier", secret).assigner(self.users["chef_jur"])
		for key in ("gest_tech", "chef_jur"):
			with as_user(self.users[key]):
				self.assertTrue(frappe.has_permission("Courrier", "read", doc=secret), key)
				self.assertEqual(
					frappe.get_list("Courrier", filters={"name": secret}, pluck="name"), [secret]
				)
		with as_user(self.users["auditeur"]):
			self.assertFalse(frappe.has_permission("Courrier", "read", doc=secret))

	def test_a_head_assigns_only_to_their_own_staff(self):
		with as_user(self.users["agent"]):
			name = make_courrier(objet="Dossier confidentiel à assigner", confidentialite="Confidentiel").name
		route(name, self.users["sg"], self.users["agent"], {"departement": "JUR"})
		with as_user(self.users["chef_jur"]):
			with self.assertRaises(frappe.PermissionError):
				frappe.get_doc("Courrier", name).assigner(self.users["gest_tech"])
			frappe.get_doc("Courrier", name).assigner(self.users["gest_jur"])
		with as_user(self.users["gest_jur"]):
			self.assertTrue(frappe.has_permission("Courrier", "read", doc=name))

	def test_nobody_else_assigns_through_the_sidebar(self):
		from frappe.desk.form.assign_to import add

		with as_user(self.users["agent2"]):
			with self.assertRaises(frappe.PermissionError):
				add(
					{
						"assign_to": [self.users["gest_seul"]],
						"doctype": "Courrier",
						"name": self.mail["Normal"],
					}
				)
		with as_user(self.users["gest_seul"]):
			self.assertFalse(frappe.has_permission("Courrier", "read", doc=self.mail["Normal"]))

	def test_editing_the_department_does_not_open_someone_elses_mail(self):
		with as_user(self.users["gest_tech"]):
			doc = frappe.get_doc("Courrier", self.mail["Normal"])
			doc.departement = "TECH"
			with self.assertRaises(frappe.PermissionError):
				doc.save()

	def test_only_readers_are_notified(self):
		with as_user(self.users["agent"]):
			doc = make_courrier(objet="Notification confidentielle", confidentialite="Confidentiel")
		route(doc.name, self.users["sg"], self.users["agent"], {"departement": "JUR"})
		notified = set(
			frappe.get_all("Notification Log", filters={"document_name": doc.name}, pluck="for_user")
		)
		self.assertIn(self.users["chef_jur"], notified)
		self.assertIn(self.users["sg"], notified)
		self.assertNotIn(self.users["gest_jur"], notified)
		with as_user(self.users["gest_jur"]):
			self.assertEqual(frappe.get_list("Notification Log", filters={"document_name": doc.name}), [])

	def test_a_forwardee_gains_access_and_the_read_state_is_kept(self):
		with as_user(self.users["agent"]):
			doc = make_courrier(objet="Transmission simple")
		with as_user(self.users["agent"]):
			frappe.get_doc("Courrier", doc.name).transmettre(self.users["gest_seul"], "Pour suite utile")
		with as_user(self.users["gest_seul"]):
			self.assertTrue(frappe.has_permission("Courrier", "read", doc=doc.name))
			self.assertEqual(frappe.db.get_value("Transmission Courrier", {"courrier": doc.name}, "lu"), 0)
			frappe.get_doc("Courrier", doc.name).marquer_lu()
		self.assertEqual(frappe.db.get_value("Transmission Courrier", {"courrier": doc.name}, "lu"), 1)


class TestPermissionMatrix(GECTestCase):
	GEC_DOCTYPES = (
		"Courrier",
		"Type Courrier",
		"Statut Courrier",
		"Departement",
		"GEC Settings",
		"Jour Ferie",
		"Transmission Courrier",
		"Commentaire Courrier",
	)

	def perms(self, doctype: str, role: str, permlevel: int = 0) -> dict:
		rows = [
			p for p in frappe.get_meta(doctype).permissions if p.role == role and p.permlevel == permlevel
		]
		return rows[0].as_dict() if rows else {}

	def test_every_gec_doctype_gives_each_gec_role_an_explicit_read(self):
		for doctype in self.GEC_DOCTYPES:
			for role in ROLES:
				self.assertTrue(self.perms(doctype, role).get("read"), f"{role} reads {doctype}")

	def test_the_auditor_changes_nothing_and_nobody_deletes_a_courrier(self):
		for doctype in self.GEC_DOCTYPES:
			p = self.perms(doctype, "GEC Auditeur")
			self.assertFalse(p.get("write") or p.get("create") or p.get("delete"), doctype)
		for role in ROLES:
			self.assertFalse(self.perms("Courrier", role).get("delete"), role)

	def test_only_the_sg_shares_and_routes_and_masters_belong_to_the_administrator(self):
		for role in ROLES:
			self.assertEqual(
				bool(self.perms("Courrier", role).get("share")), role == "GEC Secretaire General"
			)
			self.assertEqual(
				bool(self.perms("Courrier", role, permlevel=1).get("write")), role == "GEC Secretaire General"
			)
			for master in ("Type Courrier", "Statut Courrier", "Departement", "GEC Settings", "Jour Ferie"):
				self.assertEqual(
					bool(self.perms(master, role).get("write")), role == "GEC Administrateur", master
				)
