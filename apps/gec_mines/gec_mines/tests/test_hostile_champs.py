"""A user with a REST client, against the fields the server owns: their own department and
roles, the read-only fields of a mail, its confidentiality, and the duplicate warning."""

import frappe
from frappe.utils import getdate, today

from gec_mines.tests.hostile_support import HostileTestCase
from gec_mines.tests.utils import PDF, as_user, make_courrier, upload


class FieldsCase(HostileTestCase):
	def assertNamesField(self, response, label: str):
		"""The refusal names the field, in English or in French."""
		names = {label, frappe._(label, lang="fr")}
		self.assertTrue(any(n in response.text for n in names), f"{names} not named in {response!r}")

	def attachment(self, who: str) -> tuple[str, str]:
		"""A scan uploaded by `who` for a mail being registered: (file URL, temporary name)."""
		with as_user(self.users[who]):
			file = upload(PDF.replace(b"%%EOF", f"% {frappe.generate_hash(length=8)}\n%%EOF".encode()))
		frappe.db.commit()  # nosemgrep: the requests read through their own connection
		return file.file_url, file.attached_to_name

	def register(self, who: str, direction: str = "Entrant", **values):
		"""POST /api/resource/Courrier by `who`, with a scan of their own."""
		file_url, temporary_name = self.attachment(who)
		body = {
			"type_courrier": direction,
			"objet": "Demande d'autorisation de transport de minerais",
			"fichier": file_url,
			"__temporary_name": temporary_name,
			**(
				{"expediteur": "Kamoto Copper Company SA", "copie_sg": "Non"}
				if direction == "Entrant"
				else {
					"destinataire": "Division provinciale des Mines du Lualaba",
					"date_redaction": today(),
					"type_document": "Lettre officielle",
				}
			),
			**values,
		}
		return self.http(who, "POST", "/api/resource/Courrier", json=body)


class TestOwnUserRecord(FieldsCase):
	"""A user's department and roles decide what they read: they are not theirs to change."""

	prefix = "hostile-utilisateur"

	def setUp(self):
		from gec_mines.tests.hostile_support import api_token

		# a save of one's own record through the desk may reset one's API secret
		self.tokens["gest_tech"] = api_token(self.users["gest_tech"])

	def my_settings(self, who: str) -> dict:
		"""The user's record as the "My Settings" form sends it back."""
		doc = frappe.get_doc("User", self.users[who]).as_dict(convert_dates_to_str=True)
		return {k: v for k, v in doc.items() if k not in ("api_key", "api_secret", "new_password")}

	def department(self, who: str):
		return frappe.db.get_value("User", self.users[who], "gec_departement")

	def roles(self, who: str) -> set:
		return set(frappe.get_all("Has Role", filters={"parent": self.users[who]}, pluck="role"))

	def test_a_gestionnaire_cannot_move_himself_to_juridique_over_rest(self):
		for who, department in (("gest_tech", "TECH"), ("chef_tech", "TECH"), ("gest_seul", None)):
			with self.subTest(who=who):
				response = self.http(
					who, "PUT", f"/api/resource/User/{self.users[who]}", json={"gec_departement": "JUR"}
				)
				self.assertRefused(response, 403)
				self.assertNamesField(response, "Department")
				self.assertEqual(self.department(who), department)

	def test_a_gestionnaire_cannot_move_himself_to_juridique_with_set_value(self):
		response = self.method(
			"gest_tech",
			"frappe.client.set_value",
			doctype="User",
			name=self.users["gest_tech"],
			fieldname="gec_departement",
			value="JUR",
		)
		self.assertRefused(response, 403)
		self.assertNamesField(response, "Department")
		self.assertEqual(self.department("gest_tech"), "TECH")

	def test_a_gestionnaire_cannot_move_himself_to_juridique_from_my_settings(self):
		doc = self.my_settings("gest_tech")
		response = self.method(
			"gest_tech",
			"frappe.desk.form.save.savedocs",
			doc={**doc, "gec_departement": "JUR"},
			action="Save",
		)
		self.assertRefused(response, 403)
		self.assertNamesField(response, "Department")
		self.assertEqual(self.department("gest_tech"), "TECH")

	def test_a_gestionnaire_cannot_make_himself_secretary_general_over_rest(self):
		before = self.roles("gest_tech")
		response = self.http(
			"gest_tech",
			"PUT",
			f"/api/resource/User/{self.users['gest_tech']}",
			json={"roles": [{"role": role} for role in (*before, "GEC Secretaire General")]},
		)
		self.assertEqual(self.roles("gest_tech"), before)
		self.assertRefused(response, 403)
		self.assertNamesField(response, "Roles")

	def test_a_gestionnaire_cannot_make_himself_secretary_general_from_my_settings(self):
		doc = self.my_settings("gest_tech")
		before = self.roles("gest_tech")
		doc["roles"] = [*doc["roles"], {"doctype": "Has Role", "role": "GEC Secretaire General"}]
		response = self.method("gest_tech", "frappe.desk.form.save.savedocs", doc=doc, action="Save")
		self.assertEqual(self.roles("gest_tech"), before)
		self.assertRefused(response, 403)
		self.assertNamesField(response, "Roles")


# field -> a value a request could try (the mail is a fresh incoming Normal mail, "Enregistré")
FORGED = {
	"date_enregistrement": "2020-01-02 09:00:00",
	"numero_accuse_reception": "CE-2020-00001",
	"is_deleted": 1,
	"supprime_par": "Administrator",
	"supprime_le": "2020-01-02 09:00:00",
	"date_echeance": "2099-12-31",
	"niveau_relance": 3,
	"en_attente": 1,
	"attente_depuis": "2020-01-02 09:00:00",
	"departement": "TECH",
	"workflow_state": "Classé",
	"doublon_probable": 1,
	"texte_recherche": "mots choisis par le client",
}


class TestServerOwnedFields(FieldsCase):
	prefix = "hostile-champs"

	def registered(self, level: str = "Normal") -> str:
		with as_user(self.users["agent"]):
			name = make_courrier(objet="Plainte d'un riverain de la mine", confidentialite=level).name
		frappe.db.commit()  # nosemgrep: the requests read through their own connection
		return name

	def test_the_clerk_cannot_write_any_server_owned_field_of_a_mail_she_registered(self):
		for field, value in FORGED.items():
			with self.subTest(field=field):
				name = self.registered()
				before = self.stored(name)
				self.assertEqual(before.workflow_state, "Enregistré")
				response = self.http("agent", "PUT", f"/api/resource/Courrier/{name}", json={field: value})
				self.assertEqual(self.stored(name)[field], before[field])
				self.assertRefused(response, 403, 417)
				self.assertNamesField(response, frappe.get_meta("Courrier").get_label(field))

	def test_the_clerk_cannot_lower_the_confidentiality_of_a_mail_she_registered(self):
		name = self.registered("Confidentiel")
		response = self.http(
			"agent", "PUT", f"/api/resource/Courrier/{name}", json={"confidentialite": "Normal"}
		)
		self.assertEqual(self.stored(name).confidentialite, "Confidentiel")
		self.assertRefused(response, 403)
		self.assertNamesField(response, "Confidentiality")

	def test_the_clerk_may_raise_the_confidentiality_of_a_mail_she_registered(self):
		name = self.registered()
		response = self.http(
			"agent", "PUT", f"/api/resource/Courrier/{name}", json={"confidentialite": "Confidentiel"}
		)
		self.assertEqual(response.status_code, 200, response)
		self.assertEqual(self.stored(name).confidentialite, "Confidentiel")

	def test_a_new_mail_gets_the_server_values_whatever_the_request_says(self):
		forged = {k: v for k, v in FORGED.items() if k != "departement"}
		response = self.register("agent", objet="Demande de permis de recherche", **forged)
		self.assertEqual(response.status_code, 200, response)
		name = response.json["data"]["name"]
		stored = self.stored(name)
		self.assertEqual(getdate(stored.date_enregistrement), getdate(today()))
		self.assertNotEqual(stored.numero_accuse_reception, FORGED["numero_accuse_reception"])
		self.assertEqual(stored.numero_accuse_reception, name)
		for field in ("is_deleted", "niveau_relance", "en_attente", "doublon_probable"):
			self.assertEqual(stored[field], 0, field)
		for field in ("supprime_par", "supprime_le", "attente_depuis"):
			self.assertIsNone(stored[field], field)
		self.assertNotEqual(str(stored.date_echeance), FORGED["date_echeance"])
		self.assertEqual(stored.workflow_state, "Enregistré")
		self.assertNotIn("mots choisis", stored.texte_recherche or "")

	def test_a_gestionnaire_of_technique_cannot_register_a_mail_for_juridique(self):
		response = self.register("gest_tech", objet="Courrier à glisser chez le juridique", departement="JUR")
		self.assertEqual(
			frappe.get_all("Courrier", filters={"owner": self.users["gest_tech"], "departement": "JUR"}), []
		)
		if response.status_code == 200:
			self.assertEqual(self.stored(response.json["data"]["name"]).departement, "TECH")

	def declassify(self, who: str, name: str, motif: str = "Levée du secret par décision n° 12"):
		return self.run_doc_method(
			who, "changer_confidentialite", args={"niveau": "Normal", "motif": motif}, dt="Courrier", dn=name
		)

	def journalled(self, name: str) -> int:
		return self.count("Journal Securite GEC", courrier=name, evenement="Déclassement")

	def test_only_the_sg_declassifies_a_mail(self):
		"""A GEC Administrateur may not read Confidentiel mail: declassifying would open it to them."""
		for who in ("agent", "admin", "chef_jur", "gest_jur", "auditeur", "chef_tech"):
			with self.subTest(who=who):
				name = self.mail("Confidentiel", "Rapport confidentiel sur une concession")
				response = self.declassify(who, name)
				self.assertRefused(response, 403)
				self.assertEqual(self.stored(name).confidentialite, "Confidentiel")
				self.assertEqual(self.journalled(name), 0)

	def test_the_sg_cannot_declassify_without_a_reason(self):
		name = self.mail("Confidentiel", "Rapport confidentiel sans motif")
		response = self.declassify("sg", name, motif="  ")
		self.assertRefused(response)
		self.assertNamesField(response, "Reason")
		self.assertEqual(self.stored(name).confidentialite, "Confidentiel")
		self.assertEqual(self.journalled(name), 0)

	def test_the_sg_declassifies_a_secret_mail_with_a_reason_and_it_is_journalled(self):
		name = self.secret_mail("Pli secret à déclassifier")
		response = self.declassify("sg", name)
		self.assertEqual(response.status_code, 200, response)
		self.assertEqual(self.stored(name).confidentialite, "Normal")
		self.assertEqual(self.journalled(name), 1)
		self.assertEqual(
			self.count(
				"Comment",
				reference_doctype="Courrier",
				reference_name=name,
				content=("like", "%décision n° 12%"),
			),
			1,
		)


class TestDuplicateWarning(FieldsCase):
	"""The warning "already registered as …" must not reveal mail the user may not read."""

	prefix = "hostile-doublons"

	def test_registering_the_same_incoming_reference_does_not_reveal_a_secret_mail(self):
		reference = f"KCC/DG/{frappe.generate_hash(length=6)}"
		secret = self.secret_mail("Pli secret de Kamoto", numero_reference=reference)
		response = self.register("gest_tech", numero_reference=reference)
		self.assertNotIn(secret, response.text, response)
		self.assertNotIn(secret, response.messages)
		self.assertNoLeak(response, *self.secrets_of(secret))

	def test_registering_the_same_outgoing_reference_does_not_reveal_a_secret_mail(self):
		reference = f"SG/JUR/{frappe.generate_hash(length=6)}"
		with as_user(self.users["sg"]):
			secret = make_courrier(
				"Sortant",
				objet="Réponse secrète au ministre",
				confidentialite="Secret",
				numero_reference=reference,
				departement="JUR",
			).name
		frappe.db.commit()  # nosemgrep: the requests read through their own connection
		response = self.register("gest_tech", "Sortant", numero_reference=reference)
		self.assertNotIn(secret, response.text, response)
		self.assertNotIn("Réponse secrète au ministre", response.text)

	def test_the_clerk_is_warned_of_a_duplicate_she_may_read(self):
		reference = f"KCC/DG/{frappe.generate_hash(length=6)}"
		with as_user(self.users["agent"]):
			first = make_courrier(objet="Demande ordinaire", numero_reference=reference).name
		frappe.db.commit()  # nosemgrep: the requests read through their own connection
		response = self.register("agent", numero_reference=reference)
		self.assertEqual(response.status_code, 200, response)
		self.assertIn(first, response.messages)
