"""A colleague of another department with a REST client, against the records that hang off a
mail: routing slips, attachments, assignments, comments, forwards and shares.

The attacker works in Technique; the Secret mail belongs to Juridique. Reading a related record
must follow the mail; a record cannot be added to a mail one may not read; and once created, a
record stays tied to its mail (no re-pointing at another one).
"""

import json

import frappe

from gec_mines.tests.hostile_support import HostileTestCase
from gec_mines.tests.utils import PDF, as_user


class RelatedRecordsCase(HostileTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.secret = cls.secret_mail()
		# a Normal mail routed to Technique, which its staff read
		cls.own = cls.mail("Normal", "Rapport de la mission technique à Kolwezi", departement="TECH")

	def assertStillUnreadable(self, who: str, name: str):
		"""`who` still cannot open mail `name`, and the refusal says nothing of it."""
		response = self.http(who, "GET", f"/api/resource/Courrier/{name}")
		self.assertRefused(response, 403, 404)
		self.assertNoLeak(response, *self.secrets_of(name))
		with as_user(self.users[who]):
			self.assertFalse(frappe.has_permission("Courrier", "read", doc=name))


class TestRoutingSlips(RelatedRecordsCase):
	"""`Imputation Courrier` is a child table: its rows carry the department and the SG's note."""

	prefix = "hostile-imputations"

	def assertOnlyReadableSlips(self, response):
		self.assertNotIn(self.secret, response.text, response)
		self.assertNoLeak(response, *self.secrets_of(self.secret))

	def test_routing_slips_of_secret_mail_are_not_listed_over_rest(self):
		fields = json.dumps(["parent", "departement", "note"])
		for extra in ({}, {"parent_doctype": "Courrier"}):
			with self.subTest(**extra):
				response = self.http(
					"chef_tech",
					"GET",
					"/api/resource/Imputation Courrier",
					query={"fields": fields, "limit_page_length": 0, **extra},
				)
				self.assertOnlyReadableSlips(response)
				if response.status_code == 200:
					self.assertIn(self.own, response.text)

	def test_routing_slips_of_secret_mail_are_not_listed_when_filtered_by_its_number(self):
		response = self.http(
			"chef_tech",
			"GET",
			"/api/resource/Imputation Courrier",
			query={
				"fields": json.dumps(["parent", "note"]),
				"filters": json.dumps([["parent", "=", self.secret]]),
				"parent_doctype": "Courrier",
			},
		)
		self.assertOnlyReadableSlips(response)

	def test_a_routing_line_of_secret_mail_cannot_be_read_by_its_name(self):
		row = frappe.db.get_value("Imputation Courrier", {"parent": self.secret}, "name")
		response = self.http(
			"chef_tech", "GET", f"/api/resource/Imputation Courrier/{row}", query={"parent": "Courrier"}
		)
		self.assertRefused(response, 403, 404)
		self.assertOnlyReadableSlips(response)

	def test_routing_slips_of_secret_mail_are_not_listed_through_client_get_list(self):
		response = self.method(
			"gest_tech",
			"frappe.client.get_list",
			doctype="Imputation Courrier",
			parent="Courrier",
			fields=["parent", "departement", "note"],
			limit_page_length=0,
		)
		self.assertOnlyReadableSlips(response)

	def test_routing_slips_of_secret_mail_are_not_read_through_client_get_value(self):
		for extra in ({}, {"parent": "Courrier"}):
			with self.subTest(**extra):
				response = self.method(
					"gest_tech",
					"frappe.client.get_value",
					doctype="Imputation Courrier",
					fieldname=["parent", "note"],
					filters={"parent": self.secret},
					**extra,
				)
				self.assertOnlyReadableSlips(response)

	def test_routing_slips_of_secret_mail_are_not_listed_through_the_report_view(self):
		for extra in ({}, {"parent_doctype": "Courrier"}):
			with self.subTest(**extra):
				response = self.method(
					"chef_tech",
					"frappe.desk.reportview.get",
					doctype="Imputation Courrier",
					fields=["`tabImputation Courrier`.`parent`", "`tabImputation Courrier`.`note`"],
					filters=[],
					**extra,
				)
				self.assertOnlyReadableSlips(response)


class TestRepointedRecords(RelatedRecordsCase):
	"""Records of one's own, changed over REST to point at a Secret mail."""

	prefix = "hostile-repointage"

	def setUp(self):
		with as_user(self.users["gest_tech"]):
			self.file = frappe.get_doc(
				{
					"doctype": "File",
					"file_name": "annexe.pdf",
					"content": PDF.replace(
						b"%%EOF", f"% annexe {frappe.generate_hash(length=8)}\n%%EOF".encode()
					),
					"is_private": 1,
					"attached_to_doctype": "Courrier",
					"attached_to_name": self.own,
				}
			).insert()
		self.secret_file = frappe.db.get_value(
			"File",
			{"attached_to_doctype": "Courrier", "attached_to_name": self.secret},
			["name", "file_url", "content_hash"],
			as_dict=True,
		)
		frappe.db.commit()  # nosemgrep: the requests read through their own connection

	def assertFileUnchanged(self):
		stored = frappe.db.get_value(
			"File",
			self.file.name,
			["file_url", "attached_to_name", "is_private", "content_hash"],
			as_dict=True,
		)
		self.assertEqual(stored.file_url, self.file.file_url)
		self.assertEqual(stored.attached_to_name, self.own)
		self.assertEqual(stored.is_private, 1)
		self.assertEqual(stored.content_hash, self.file.content_hash)

	def assertNoSecretBytes(self, who: str):
		"""Neither the secret file's URL nor the attacker's own file gives the secret's bytes."""
		for path in (self.secret_file.file_url, self.secret_file.file_url.replace("/private", "")):
			response = self.http(who, "GET", path)
			self.assertNoLeak(response, *self.secrets_of(self.secret))
			self.assertNotEqual(response.status_code, 200, f"{path}: {response!r}")
		for name in (self.file.name, self.secret_file.name):
			response = self.http(
				who, "GET", "/api/method/gec_mines.api.telecharger_fichier", query={"name": name}
			)
			self.assertNoLeak(response, *self.secrets_of(self.secret))

	def test_an_attachment_of_ones_own_mail_cannot_be_repointed_at_a_secret_mail(self):
		response = self.http(
			"gest_tech",
			"PUT",
			f"/api/resource/File/{self.file.name}",
			json={
				"file_url": self.secret_file.file_url,
				"content_hash": "",
				"attached_to_name": self.secret,
				"is_private": 0,
			},
		)
		self.assertRefused(response)
		self.assertNoLeak(response, *self.secrets_of(self.secret))
		self.assertFileUnchanged()
		self.assertNoSecretBytes("gest_tech")

	def test_an_attachment_of_ones_own_mail_cannot_take_the_url_of_a_secret_file(self):
		response = self.http(
			"gest_tech",
			"PUT",
			f"/api/resource/File/{self.file.name}",
			json={"file_url": self.secret_file.file_url, "content_hash": self.secret_file.content_hash},
		)
		self.assertRefused(response, 403)
		self.assertFileUnchanged()
		self.assertNoSecretBytes("gest_tech")

	def test_an_attachment_of_ones_own_mail_cannot_be_moved_to_a_secret_mail(self):
		response = self.http(
			"gest_tech", "PUT", f"/api/resource/File/{self.file.name}", json={"attached_to_name": self.secret}
		)
		self.assertRefused(response, 403)
		self.assertFileUnchanged()
		self.assertStillUnreadable("gest_tech", self.secret)

	def assigned_todo(self) -> str:
		with as_user(self.users["chef_tech"]):
			frappe.get_doc("Courrier", self.own).assigner(self.users["gest_tech"])
		frappe.db.commit()  # nosemgrep: the requests read through their own connection
		return frappe.db.get_value(
			"ToDo",
			{"reference_name": self.own, "allocated_to": self.users["gest_tech"], "status": "Open"},
			"name",
		)

	def test_ones_own_assignment_cannot_be_repointed_at_a_secret_mail(self):
		todo = self.assigned_todo()
		response = self.http(
			"gest_tech", "PUT", f"/api/resource/ToDo/{todo}", json={"reference_name": self.secret}
		)
		self.assertRefused(response, 403)
		self.assertNoLeak(response, *self.secrets_of(self.secret))
		self.assertEqual(frappe.db.get_value("ToDo", todo, "reference_name"), self.own)
		self.assertStillUnreadable("gest_tech", self.secret)

	def test_ones_own_assignment_cannot_be_handed_to_a_colleague_over_rest(self):
		todo = self.assigned_todo()
		response = self.http(
			"gest_tech", "PUT", f"/api/resource/ToDo/{todo}", json={"allocated_to": self.users["gest_jur"]}
		)
		self.assertRefused(response, 403)
		self.assertEqual(frappe.db.get_value("ToDo", todo, "allocated_to"), self.users["gest_tech"])

	def test_ones_own_comment_cannot_be_repointed_at_a_secret_mail(self):
		with as_user(self.users["gest_tech"]):
			comment = frappe.get_doc("Courrier", self.own).add_comment("Comment", "Vu, à suivre").name
		frappe.db.commit()  # nosemgrep: the requests read through their own connection
		response = self.http(
			"gest_tech", "PUT", f"/api/resource/Comment/{comment}", json={"reference_name": self.secret}
		)
		self.assertRefused(response, 403)
		self.assertEqual(frappe.db.get_value("Comment", comment, "reference_name"), self.own)
		self.assertEqual(self.count("Comment", reference_name=self.secret, owner=self.users["gest_tech"]), 0)


class TestRecordsAddedToUnreadableMail(RelatedRecordsCase):
	"""Records that would name the attacker a reader of the Secret mail, or write on it."""

	prefix = "hostile-ajouts"

	def assertNothingAdded(self, response, doctype: str, **filters):
		self.assertRefused(response, 403)
		self.assertNoLeak(response, *self.secrets_of(self.secret))
		self.assertEqual(self.count(doctype, **filters), 0, f"{doctype} written: {response!r}")
		self.assertStillUnreadable("gest_tech", self.secret)

	@property
	def me(self) -> str:
		return self.users["gest_tech"]

	def test_a_file_cannot_be_attached_to_a_secret_mail(self):
		response = self.http(
			"gest_tech",
			"POST",
			"/api/resource/File",
			json={
				"file_name": "piece.txt",
				"content": "pièce ajoutée",
				"is_private": 1,
				"attached_to_doctype": "Courrier",
				"attached_to_name": self.secret,
			},
		)
		self.assertNothingAdded(response, "File", attached_to_name=self.secret, owner=self.me)

	def test_a_comment_cannot_be_posted_on_a_secret_mail_over_rest(self):
		response = self.http(
			"gest_tech",
			"POST",
			"/api/resource/Comment",
			json={
				"comment_type": "Comment",
				"reference_doctype": "Courrier",
				"reference_name": self.secret,
				"content": "Commentaire intrus",
			},
		)
		self.assertNothingAdded(response, "Comment", reference_name=self.secret, owner=self.me)

	def test_a_comment_cannot_be_posted_on_a_secret_mail_from_the_form_endpoint(self):
		response = self.method(
			"gest_tech",
			"frappe.desk.form.utils.add_comment",
			reference_doctype="Courrier",
			reference_name=self.secret,
			content="Commentaire intrus",
			comment_email=self.me,
			comment_by="Gestionnaire Technique",
		)
		self.assertNothingAdded(response, "Comment", reference_name=self.secret, content=("like", "%intrus%"))

	def test_a_forward_to_oneself_cannot_be_created_over_rest(self):
		response = self.http(
			"gest_tech",
			"POST",
			"/api/resource/Transmission Courrier",
			json={"courrier": self.secret, "destinataire": self.me, "transmis_par": self.users["sg"]},
		)
		self.assertNothingAdded(response, "Transmission Courrier", courrier=self.secret, destinataire=self.me)

	def test_a_typed_comment_cannot_be_created_over_rest(self):
		response = self.http(
			"gest_tech",
			"POST",
			"/api/resource/Commentaire Courrier",
			json={
				"courrier": self.secret,
				"type_commentaire": "Commentaire",
				"texte": "Intrus",
				"auteur": self.me,
			},
		)
		self.assertNothingAdded(response, "Commentaire Courrier", courrier=self.secret, texte="Intrus")

	def test_an_assignment_to_oneself_cannot_be_created_over_rest(self):
		response = self.http(
			"gest_tech",
			"POST",
			"/api/resource/ToDo",
			json={
				"reference_type": "Courrier",
				"reference_name": self.secret,
				"allocated_to": self.me,
				"description": "À traiter",
			},
		)
		self.assertNothingAdded(response, "ToDo", reference_name=self.secret, allocated_to=self.me)

	def test_an_assignment_to_oneself_cannot_be_made_from_the_sidebar_endpoint(self):
		response = self.method(
			"gest_tech",
			"frappe.desk.form.assign_to.add",
			assign_to=[self.me],
			doctype="Courrier",
			name=self.secret,
			description="À traiter",
		)
		self.assertNothingAdded(response, "ToDo", reference_name=self.secret, allocated_to=self.me)

	def test_a_share_to_oneself_cannot_be_created_over_rest(self):
		response = self.http(
			"gest_tech",
			"POST",
			"/api/resource/DocShare",
			json={"share_doctype": "Courrier", "share_name": self.secret, "user": self.me, "read": 1},
		)
		self.assertNothingAdded(response, "DocShare", share_name=self.secret, user=self.me)

	def test_a_share_to_oneself_cannot_be_made_from_the_share_endpoint(self):
		response = self.method(
			"gest_tech", "frappe.share.add", doctype="Courrier", name=self.secret, user=self.me, read=1
		)
		self.assertNothingAdded(response, "DocShare", share_name=self.secret, user=self.me)
