"""What the hostile-user suites share: signed-in HTTP requests through Frappe's real request
pipeline, a cast of users, mail of every level and a clean-up of everything they left behind.

Requests go through the in-process WSGI client Frappe's own API tests use: each request runs
in its own thread with its own database connection, so fixtures are committed before every
request and the test reads what the request committed afterwards. Each user signs in with an
API key (`Authorization: token key:secret`), like a script would.
"""

import json
from urllib.parse import urlencode

import frappe
from frappe.utils.password import set_encrypted_password

from gec_mines.tests.utils import (
	GEC_USERS,
	PDF,
	GECTestCase,
	as_user,
	make_courrier,
	make_gec_users,
	remove_traces,
	route,
)

# where each record that hangs off a courrier names it, for the clean-up


def api_token(user: str) -> str:
	"""A fresh API key and secret for `user`, as `key:secret`."""
	key, secret = frappe.generate_hash(length=15), frappe.generate_hash(length=15)
	frappe.db.set_value("User", user, "api_key", key, update_modified=False)
	set_encrypted_password("User", user, secret, "api_secret")
	return f"{key}:{secret}"


class Response:
	"""What came back: status, text and the decoded JSON body (an empty dict when not JSON)."""

	def __init__(self, raw):
		self.status_code = raw.status_code
		self.headers = raw.headers
		self.content = raw.get_data()
		self.text = raw.get_data(as_text=True)
		try:
			self.json = json.loads(self.text)
		except ValueError:
			self.json = {}

	@property
	def messages(self) -> str:
		"""The messages shown to the user (`_server_messages`), decoded, as one text."""
		raw = self.json.get("_server_messages")
		if not raw:
			return ""
		return " ".join(json.dumps(json.loads(m), ensure_ascii=False) for m in json.loads(raw))

	def __repr__(self):
		return f"<{self.status_code} {self.text[:300]}>"


class HostileTestCase(GECTestCase):
	"""Users of every profile (Juridique and Technique), each with an API key, and mail of
	Juridique at every level. `self.secret` is a Secret mail routed to Juridique with an
	instruction and a comment whose texts must never reach anyone else."""

	prefix = "hostile"

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.chefs = dict(frappe.get_all("Departement", fields=["name", "chef"], as_list=True))
		cls.remove_traces()  # of a run that could not clean up
		cls.users = make_gec_users(cls.prefix)
		cls.tokens = {key: api_token(user) for key, user in cls.users.items()}
		cls.markers = {}
		frappe.db.commit()  # nosemgrep: the requests read through their own connection

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		cls.remove_traces()
		for departement, chef in cls.chefs.items():
			frappe.db.set_value("Departement", departement, "chef", chef, update_modified=False)
		frappe.db.commit()  # nosemgrep: the requests committed what they wrote
		frappe.clear_cache()
		super().tearDownClass()

	@classmethod
	def remove_traces(cls):
		"""Remove the mail of this class's users, what hangs off it, what they created and the users."""
		remove_traces([f"{cls.prefix}-{key}@example.com" for key in GEC_USERS])

	# ------------------------------------------------------------------ requests

	def http(self, who: str, method: str, path: str, query: dict | None = None, **body):
		"""A request of user `who` (a key of `self.users`, or None for a visitor). `body`:
		`json=` a JSON body, `data=` form fields."""
		from frappe.tests.test_api import make_request
		from frappe.utils import get_test_client

		frappe.db.commit()  # nosemgrep: the request reads through its own connection
		headers = {"Accept": "application/json"}
		if who:
			headers["Authorization"] = f"token {self.tokens[who]}"
		if query:
			path += "?" + urlencode(query)
		client = get_test_client(use_cookies=False)
		raw = make_request(
			target=client.open,
			args=(path,),
			kwargs={"method": method, "headers": headers, **body},
			site=frappe.local.site,
		)
		frappe.db.rollback()  # a fresh snapshot: what the request committed
		frappe.local.cache = {}
		frappe.db.value_cache = {}
		return Response(raw)

	def method(self, who: str, cmd: str, **args):
		"""POST /api/method/<cmd> with form fields (dicts and lists sent as JSON)."""
		data = {k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in args.items()}
		return self.http(who, "POST", "/api/method/" + cmd, data=data)

	def run_doc_method(
		self, who: str, method: str, doc: dict | None = None, args: dict | None = None, **form
	):
		"""`run_doc_method` with a client-built document (`docs`) or `dt`/`dn` in `form`."""
		if doc is not None:
			form["docs"] = doc
		return self.method(who, "run_doc_method", method=method, args=args or {}, **form)

	# ------------------------------------------------------------------ data

	@classmethod
	def mail(cls, level: str, objet: str, departement: str = "JUR", note: str = "", **values) -> str:
		"""A mail of `departement` at `level`, registered by the desk and routed by the SG."""
		with as_user(cls.users["agent"]):
			doc = make_courrier(objet=objet, confidentialite=level, **values)
		line = {"departement": departement, "note": note}
		if doc.workflow_state == "Chez le SG":  # the desk hands Secret mail straight to the SG
			with as_user(cls.users["sg"]):
				doc = frappe.get_doc("Courrier", doc.name)
				doc.append("imputations", {"instruction": "Attribution", **line})
				doc.save()
		else:
			route(doc.name, cls.users["sg"], cls.users["agent"], line)
		frappe.db.commit()  # nosemgrep: the requests read through their own connection
		return doc.name

	@classmethod
	def secret_mail(cls, objet: str = "Enquête réservée sur la concession 7", **values) -> str:
		"""A Secret mail of Juridique whose scan, routing note, SG instruction and comment carry
		texts (`secrets_of`) that must never reach anyone else."""
		marker = frappe.generate_hash(length=10)
		name = cls.mail(
			"Secret",
			objet,
			note=f"Note d'imputation {marker}",
			attach=PDF.replace(b"%%EOF", f"% OCTETS-SECRETS-{marker}\n%%EOF".encode()),
			**values,
		)
		cls.markers[name] = (marker, objet)
		with as_user(cls.users["sg"]):
			doc = frappe.get_doc("Courrier", name)
			doc.commenter("Instruction", f"Instruction du SG {marker}")
			doc.add_comment("Comment", f"Commentaire réservé {marker}")
		frappe.db.commit()  # nosemgrep: the requests read through their own connection
		return name

	def secrets_of(self, name: str) -> list[str]:
		"""What a non-reader must never see of mail `name`: its subject and every text hanging off it."""
		marker, objet = self.markers[name]
		return [objet, marker]

	def client_copy(self, name: str, **forged) -> dict:
		"""The JSON a REST client builds of a stored mail (all its values, read as Administrator),
		marked new and with `forged` values."""
		doc = frappe.get_doc("Courrier", name).as_dict(convert_dates_to_str=True)
		return {**doc, "__islocal": 1, **forged}

	def stored(self, name: str, *fields):
		return frappe.db.get_value("Courrier", name, list(fields) or "*", as_dict=True)

	def assertNoLeak(self, response: Response, *texts: str):
		"""None of `texts` (subjects, comments, numbers) appears in the response."""
		for text in texts:
			self.assertNotIn(text, response.text, f"{text!r} leaked in {response!r}")
			if "\\u" in response.text:  # JSON escapes of accented text
				self.assertNotIn(json.dumps(text)[1:-1], response.text, f"{text!r} leaked in {response!r}")

	def assertRefused(self, response: Response, *statuses: int):
		"""A refusal: a 4xx status (one of `statuses` when given) with an error in the body."""
		expected = statuses or (401, 403, 404, 409, 417)
		self.assertIn(response.status_code, expected, response)
		self.assertTrue(response.json.get("exc_type") or response.json.get("_server_messages"), response)

	def count(self, doctype: str, **filters) -> int:
		return frappe.db.count(doctype, filters)
