"""The examples of docs/api.md, run as written against a real server.

Every block of the page fenced as ```` ```bash test=<step> ```` runs, in the page's order, in
`bash` with the variables the page's conventions name (`GEC_URL`, `AGENT_KEY`, `COURRIER`, ...),
in a folder holding `lettre.pdf`. A `.curlrc` adds one line per request to stderr with its HTTP
status, so the commands need no change. `COURRIER`, `SORTANT` and `JETON` are taken from the
answers of the steps that produce them, as a reader would copy them.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import frappe
from frappe.utils.password import set_encrypted_password, update_password

from gec_mines.tests.utils import GEC_USERS, PDF, GECTestCase, LiveSite, make_gec_users, remove_traces

DOC = Path(__file__).resolve().parents[4] / "docs" / "api.md"
BLOCK = re.compile(r"^```bash test=(?P<step>\S+)\n(?P<script>.*?)^```$", re.MULTILINE | re.DOTALL)
STATUS = re.compile(r"^HTTP_STATUS (\d{3})$", re.MULTILINE)
PREFIX = "apidoc"
PASSWORD = "Gec-Mines-2026!Api-Docs"
# user of each role the page names, as a key of make_gec_users
ROLES = {"AGENT": "agent", "SG": "sg", "CHEF": "chef_jur", "GEST": "gest_jur"}


def json_documents(text: str) -> list:
	"""The JSON answers a block printed, one after the other."""
	decoder, documents, position = json.JSONDecoder(), [], 0
	text = text.strip()
	while position < len(text):
		document, position = decoder.raw_decode(text, position)
		documents.append(document)
		while position < len(text) and text[position].isspace():
			position += 1
	return documents


def server_message(answer: dict) -> str:
	return " ".join(json.loads(m)["message"] for m in json.loads(answer["_server_messages"]))


class TestApiDocs(GECTestCase):
	"""A client signs in, registers a letter with its scan, finds it, prints and verifies its
	receipt, and takes it through the circuit up to the dispatched reply: docs/api.md."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.chefs = dict(frappe.get_all("Departement", fields=["name", "chef"], as_list=True))
		cls.remove_traces()
		cls.users = make_gec_users(PREFIX)
		cls.env = {"GEC_URL": "", "AGENT_USER": cls.users["agent"], "AGENT_PASSWORD": PASSWORD}
		for variable, key in ROLES.items():
			api_key, api_secret = frappe.generate_hash(length=15), frappe.generate_hash(length=15)
			frappe.db.set_value("User", cls.users[key], "api_key", api_key, update_modified=False)
			set_encrypted_password("User", cls.users[key], api_secret, "api_secret")
			cls.env.update({f"{variable}_KEY": api_key, f"{variable}_SECRET": api_secret})
		cls.env["GEST_USER"] = cls.users["gest_jur"]
		update_password(cls.users["agent"], PASSWORD)
		frappe.db.commit()  # nosemgrep: the server reads through its own connection
		cls.site = LiveSite("gec-test-api-docs.log")
		cls.base = cls.site.start()
		cls.env["GEC_URL"] = cls.base

	@classmethod
	def tearDownClass(cls):
		cls.site.stop()
		frappe.db.rollback()
		cls.remove_traces()
		for departement, chef in cls.chefs.items():
			frappe.db.set_value("Departement", departement, "chef", chef, update_modified=False)
		frappe.db.commit()  # nosemgrep: the server committed what the examples wrote
		frappe.clear_cache()
		super().tearDownClass()

	@classmethod
	def remove_traces(cls):
		remove_traces([f"{PREFIX}-{key}@example.com" for key in GEC_USERS], files=True)

	# ------------------------------------------------------------------ running the page

	def run_block(self, step: str, script: str, folder: str) -> tuple[list[int], str]:
		"""(HTTP statuses of the block's requests, what it printed)."""
		done = subprocess.run(
			["bash", "-c", "set -eo pipefail\n" + script],
			cwd=folder,
			env={
				**os.environ,
				**self.env,
				"CURL_HOME": folder,
				# `python3` of the examples is the bench's, which has zxing-cpp and Pillow
				"PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
			},
			capture_output=True,
			text=True,
			timeout=120,
		)
		self.assertEqual(done.returncode, 0, f"{step}: {done.stderr}\n{done.stdout}")
		return [int(s) for s in STATUS.findall(done.stderr)], done.stdout

	def test_the_examples_of_the_api_page_work_as_written(self):
		blocks = [(m["step"], m["script"]) for m in BLOCK.finditer(DOC.read_text())]
		self.assertEqual([step for step, _s in blocks], list(self.expected()))
		with tempfile.TemporaryDirectory() as folder:
			Path(folder, "lettre.pdf").write_bytes(PDF)
			Path(folder, ".curlrc").write_text('write-out = "%{stderr}HTTP_STATUS %{http_code}\\n"\n')
			for step, script in blocks:
				with self.subTest(step=step):
					statuses, output = self.run_block(step, script, folder)
					status, check = self.expected()[step]
					self.assertEqual(statuses, status, f"{step}: {output}")
					frappe.db.rollback()  # see what the server committed
					check(output, folder)

	def expected(self) -> dict:
		"""Each tested step of the page, in order: the statuses of its requests, then its check."""
		return {
			"whoami": ([200], self.check_whoami),
			"session": ([200, 200, 200], self.check_session),
			"register": ([200], self.check_register),
			"register-two-steps": ([200, 200], self.check_register_two_steps),
			"read": ([200], self.check_read),
			"list": ([200], self.check_list),
			"search": ([200], self.check_search),
			"search-exact": ([200], self.check_search_exact),
			"receipt": ([200], self.check_receipt),
			"receipt-qr": ([], self.check_receipt_qr),
			"verify": ([200], self.check_verify),
			"to-sg": ([200], self.state_is("COURRIER", "Chez le SG")),
			"routing-slip": ([200], self.check_routing_slip),
			"route": ([200], self.state_is("COURRIER", "Imputé")),
			"assign": ([200], self.check_assign),
			"draft-reply": ([200], self.check_draft_reply),
			"submit": ([200], self.state_is("SORTANT", "En validation")),
			"validate": ([200], self.state_is("SORTANT", "Validé")),
			"dispatch": ([200, 200], self.check_dispatch),
			"error": ([417], self.check_error),
		}

	# ------------------------------------------------------------------ what each step did

	def check_whoami(self, output: str, folder: str):
		self.assertEqual(json_documents(output), [{"message": self.users["agent"]}])

	def check_session(self, output: str, folder: str):
		login, whoami = json_documents(output)
		self.assertEqual(login["message"], "Logged In")
		self.assertEqual(whoami, {"message": self.users["agent"]})

	def check_register(self, output: str, folder: str):
		(answer,) = json_documents(output)
		name = self.env["COURRIER"] = answer["message"]["name"]
		self.assertEqual(answer["message"]["numero_accuse_reception"], name)
		self.assertAttached(name)
		self.assertEqual(frappe.db.get_value("Courrier", name, "workflow_state"), "Enregistré")

	def check_register_two_steps(self, output: str, folder: str):
		(answer,) = json_documents(output)
		self.assertEqual(answer["data"]["workflow_state"], "Enregistré")
		self.assertAttached(answer["data"]["name"])

	def assertAttached(self, name: str):
		"""The mail holds its scan, and the File is attached to the mail, not to a temporary name."""
		fichier, owner = frappe.db.get_value("Courrier", name, ["fichier", "owner"])
		self.assertEqual(owner, self.users["agent"])
		self.assertTrue(
			frappe.db.exists(
				"File",
				{
					"file_url": fichier,
					"attached_to_doctype": "Courrier",
					"attached_to_name": name,
					"is_private": 1,
				},
			)
		)

	def check_read(self, output: str, folder: str):
		(answer,) = json_documents(output)
		self.assertEqual(answer["data"]["name"], self.env["COURRIER"])
		self.assertEqual(answer["data"]["expediteur"], "Kamoto Copper Company SA")

	def check_list(self, output: str, folder: str):
		(answer,) = json_documents(output)
		self.assertIn(self.env["COURRIER"], [row["name"] for row in answer["data"]])

	def check_search(self, output: str, folder: str):
		(answer,) = json_documents(output)
		self.assertTrue(answer["message"], "the search found nothing")
		self.assertEqual(answer["message"]["keys"], ["name", "objet", "expediteur"])
		self.assertIn(self.env["COURRIER"], [row[0] for row in answer["message"]["values"]])

	def check_search_exact(self, output: str, folder: str):
		(answer,) = json_documents(output)
		self.assertIn(self.env["COURRIER"], answer["message"])

	def check_receipt(self, output: str, folder: str):
		self.assertTrue(Path(folder, "accuse.pdf").read_bytes().startswith(b"%PDF"))

	def check_receipt_qr(self, output: str, folder: str):
		url = urlparse(output.strip())
		self.assertEqual(url.path, "/verification")
		self.env["JETON"] = parse_qs(url.query)["jeton"][0]

	def check_verify(self, output: str, folder: str):
		(answer,) = json_documents(output)
		self.assertEqual(set(answer["message"]), {"numero", "date", "statut"})
		self.assertEqual(answer["message"]["numero"], self.env["COURRIER"])

	def state_is(self, variable: str, state: str):
		def check(output: str, folder: str):
			self.assertEqual(frappe.db.get_value("Courrier", self.env[variable], "workflow_state"), state)

		return check

	def check_routing_slip(self, output: str, folder: str):
		(answer,) = json_documents(output)
		self.assertEqual(answer["data"]["departement"], "JUR")
		rows = frappe.get_all(
			"Imputation Courrier",
			filters={"parent": self.env["COURRIER"]},
			fields=["departement", "instruction", "impute_par"],
			order_by="idx",
		)
		self.assertEqual(
			[(r.departement, r.instruction, r.impute_par) for r in rows],
			[("JUR", "Attribution", self.users["sg"]), ("TECH", "Avis", self.users["sg"])],
		)

	def check_assign(self, output: str, folder: str):
		self.state_is("COURRIER", "En traitement")(output, folder)
		self.assertTrue(
			frappe.db.exists(
				"ToDo",
				{
					"reference_type": "Courrier",
					"reference_name": self.env["COURRIER"],
					"allocated_to": self.users["gest_jur"],
					"status": "Open",
				},
			)
		)

	def check_draft_reply(self, output: str, folder: str):
		(answer,) = json_documents(output)
		name = self.env["SORTANT"] = answer["message"]["name"]
		reply = frappe.db.get_value(
			"Courrier", name, ["workflow_state", "en_reponse_a", "fichier"], as_dict=True
		)
		self.assertEqual((reply.workflow_state, reply.en_reponse_a), ("Brouillon", self.env["COURRIER"]))
		self.assertTrue(reply.fichier)

	def check_dispatch(self, output: str, folder: str):
		saved, dispatched = json_documents(output)
		self.assertEqual(saved["data"]["mode_envoi"], "Porteur")
		self.assertEqual(dispatched["message"]["workflow_state"], "Expédié")
		self.state_is("SORTANT", "Expédié")(output, folder)
		self.state_is("COURRIER", "Traité")(output, folder)

	def check_error(self, output: str, folder: str):
		(answer,) = json_documents(output)
		self.assertEqual(answer["exc_type"], "MandatoryError")
		self.assertIn("Pièce jointe principale", server_message(answer))
