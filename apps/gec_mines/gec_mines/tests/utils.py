"""Factories and hooks shared by the integration tests."""

import base64

import frappe

from gec_mines.setup.install import complete_setup, install_security

try:  # Frappe v16
	from frappe.tests import IntegrationTestCase as GECTestCase
except ImportError:  # Frappe v15
	from frappe.tests.utils import FrappeTestCase as GECTestCase

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = base64.b64decode(
	"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def before_tests():
	complete_setup()
	install_security()
	make_outgoing_email_account()
	frappe.db.commit()  # nosemgrep: test bootstrap


def make_outgoing_email_account():
	"""E-mails are queued, never sent: the account only has to exist (its check is off in tests)."""
	if frappe.db.exists("Email Account", "GEC Tests"):
		return
	frappe.flags.in_test = True
	frappe.get_doc(
		{
			"doctype": "Email Account",
			"email_account_name": "GEC Tests",
			"email_id": "gec-tests@example.com",
			"enable_outgoing": 1,
			"default_outgoing": 1,
			"smtp_server": "localhost",
			"no_smtp_authentication": 1,
			"awaiting_password": 0,
		}
	).insert(ignore_permissions=True)


def make_user(email: str, roles: list[str], departement: str | None = None) -> str:
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": email.split("@")[0],
				"send_welcome_email": 0,
				"language": "fr",
				"gec_departement": departement,
			}
		)
		user.insert(ignore_permissions=True)
	user = frappe.get_doc("User", email)
	user.add_roles(*roles)
	return email


def upload(
	content: bytes = PDF, file_name: str = "lettre.pdf", attached_to: str | None = None, is_private: int = 1
):
	"""A File attached to a courrier (or to the temporary name of one being registered)."""
	return frappe.get_doc(
		{
			"doctype": "File",
			"file_name": file_name,
			"content": content,
			"is_private": is_private,
			"attached_to_doctype": "Courrier",
			"attached_to_name": attached_to or "new-courrier-" + frappe.generate_hash(length=8),
			"attached_to_field": "fichier",
		}
	).insert()


def make_courrier(direction: str = "Entrant", attach: bytes = PDF, file_name: str = "lettre.pdf", **values):
	file = upload(attach, file_name)
	doc = frappe.get_doc(
		{
			"doctype": "Courrier",
			"type_courrier": direction,
			"objet": "Demande de renouvellement du permis d'exploitation",
			"fichier": file.file_url,
			**(
				{"expediteur": "Kamoto Copper Company SA", "copie_sg": "Non"}
				if direction == "Entrant"
				else {
					"destinataire": "Division provinciale des Mines du Lualaba",
					"date_redaction": frappe.utils.today(),
					"type_document": "Lettre officielle",
				}
			),
			**values,
		}
	)
	doc.set("__temporary_name", file.attached_to_name)
	return doc.insert()


def call_api(cmd: str, http_method: str = "GET", **kwargs):
	"""Call a whitelisted method the way `/api/method/<cmd>` does (overrides, whitelisting and
	HTTP-method checks included), from a given address."""
	from types import SimpleNamespace

	from frappe.handler import execute_cmd
	from werkzeug.datastructures import LanguageAccept

	frappe.local.request = SimpleNamespace(
		method=http_method,
		headers={},
		path="/api/method/" + cmd,
		host=frappe.local.site,
		cookies={},
		accept_languages=LanguageAccept([("fr", 1)]),
	)
	frappe.local.request_ip = getattr(frappe.local, "request_ip", None) or "10.4.4.4"
	frappe.local.form_dict = frappe._dict(kwargs)
	lang = frappe.local.lang
	try:
		return execute_cmd(cmd)
	finally:
		frappe.local.form_dict = frappe._dict()
		frappe.local.lang = lang
		del frappe.local.request


class as_user:
	"""Run a block as `user`, then go back to whoever ran the test."""

	def __init__(self, user: str):
		self.user = user

	def __enter__(self):
		from gec_mines.permissions import clear_cache

		self.previous = frappe.session.user
		clear_cache()
		frappe.set_user(self.user)
		return self

	def __exit__(self, *exc):
		from gec_mines.permissions import clear_cache

		clear_cache()
		frappe.set_user(self.previous)


def apply(name: str, action: str, user: str):
	"""The desk's workflow button: `action` on courrier `name`, clicked by `user`."""
	from frappe.model.workflow import apply_workflow

	with as_user(user):
		return apply_workflow(frappe.get_doc("Courrier", name).as_dict(), action)


def route(name: str, sg: str, agent: str, *lines: dict):
	"""The incoming circuit up to the routing slip: desk -> SG -> routed to `lines`."""
	apply(name, "Transmettre au SG", agent)
	with as_user(sg):
		doc = frappe.get_doc("Courrier", name)
		for line in lines:
			doc.append("imputations", {"instruction": "Attribution", **line})
		doc.save()
	return apply(name, "Imputer", sg)


GEC_USERS = {
	"agent": ("GEC Agent Courrier", None),
	"agent2": ("GEC Agent Courrier", None),
	"sg": ("GEC Secretaire General", None),
	"auditeur": ("GEC Auditeur", None),
	"admin": ("GEC Administrateur", None),
	"chef_jur": ("GEC Chef Departement", "JUR"),
	"gest_jur": ("GEC Gestionnaire", "JUR"),
	"chef_tech": ("GEC Chef Departement", "TECH"),
	"gest_tech": ("GEC Gestionnaire", "TECH"),
	"gest_seul": ("GEC Gestionnaire", None),
}


def make_gec_users(prefix: str) -> dict[str, str]:
	"""One user per GEC profile, e.g. users["chef_jur"] heads the Juridique department."""
	users = {
		key: make_user(f"{prefix}-{key}@example.com", [role], dept) for key, (role, dept) in GEC_USERS.items()
	}
	for key, dept in (("chef_jur", "JUR"), ("chef_tech", "TECH")):
		frappe.db.set_value("Departement", dept, "chef", users[key])
	return users


def assigned_incoming(users: dict[str, str], objet: str, **line) -> str:
	"""An incoming mail registered by the desk, routed to Juridique and assigned by its head."""
	with as_user(users["agent"]):
		name = make_courrier(objet=objet).name
	route(name, users["sg"], users["agent"], {"departement": "JUR", **line})
	with as_user(users["chef_jur"]):
		frappe.get_doc("Courrier", name).assigner(users["gest_jur"])
	return name


# Where the records that hang off a mail name it, for the clean-up of tests whose requests commit.
TIES = {
	"Imputation Courrier": "parent",
	"Transmission Courrier": "courrier",
	"Commentaire Courrier": "courrier",
	"ToDo": "reference_name",
	"Comment": "reference_name",
	"DocShare": "share_name",
	"Version": "docname",
	"Workflow Action": "reference_name",
	"Notification Log": "document_name",
	"Communication": "reference_name",
	"Document Follow": "ref_docname",
	"Activity Log": "reference_name",
	"Access Log": "reference_document",
	"Journal Securite GEC": "courrier",
	"Email Queue": "reference_name",
}


def remove_traces(users: list[str], files: bool = False):
	"""The mail registered by `users`, what hangs off it, what they created (their files too when
	`files`) and the users: for tests whose requests committed through their own connection."""
	mails = frappe.get_all("Courrier", filters={"owner": ("in", users)}, pluck="name")
	for doctype, column in {**TIES, "File": "attached_to_name"}.items():
		if mails:
			frappe.db.delete(doctype, {column: ("in", mails)})
		if doctype != "File" or not files:
			frappe.db.delete(doctype, {"owner": ("in", users)})
	if mails:
		frappe.db.delete("Courrier", {"name": ("in", mails)})
	if files:
		for file in frappe.get_all("File", filters={"owner": ("in", users)}, pluck="name"):
			frappe.delete_doc("File", file, ignore_permissions=True, force=True)
	frappe.db.delete("Has Role", {"parent": ("in", users)})
	frappe.db.delete("User", {"name": ("in", users)})


class LiveSite:
	"""The test site served by `frappe serve` on a free port of 127.0.0.1, for tests that talk HTTP
	to a real server (commit what it must read first: it has its own connection)."""

	def __init__(self, log_name: str):
		self.log_name = log_name

	def start(self) -> str:
		import os
		import socket
		import subprocess
		import sys
		import time

		import requests

		with socket.socket() as s:
			s.bind(("127.0.0.1", 0))
			port = s.getsockname()[1]
		self.base = f"http://127.0.0.1:{port}"
		self.log = open(frappe.get_site_path("logs", self.log_name), "w")
		self.server = subprocess.Popen(
			[
				*(sys.executable, "-m", "frappe.utils.bench_helper", "frappe"),
				*("--site", frappe.local.site, "serve", "--port", str(port), "--noreload"),
			],
			cwd=os.path.join(frappe.utils.get_bench_path(), "sites"),
			stdout=self.log,
			stderr=subprocess.STDOUT,
		)
		deadline = time.monotonic() + 90
		while True:
			try:
				if requests.get(self.base + "/api/method/ping", timeout=2).ok:
					return self.base
			except requests.ConnectionError:
				pass
			if time.monotonic() > deadline or self.server.poll() is not None:
				self.stop()
				raise RuntimeError(f"frappe serve did not start: see logs/{self.log_name}")
			time.sleep(0.5)

	def stop(self):
		self.server.terminate()
		self.server.wait(timeout=20)
		self.log.close()
