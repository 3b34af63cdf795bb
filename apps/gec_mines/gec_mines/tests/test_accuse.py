"""The acknowledgement receipt: its content in both languages, its QR code, its public check."""

import re
import shutil
import struct
import subprocess
import tempfile
import unittest
from pathlib import Path
from unittest.mock import patch
from urllib.parse import parse_qs, urlparse

import frappe
from frappe.utils import formatdate, getdate

from gec_mines import accuse
from gec_mines.core import jeton
from gec_mines.tests.utils import (
	GECTestCase,
	as_user,
	call_api,
	make_courrier,
	make_gec_users,
	make_user,
	route,
)

RECEIPT = "gec_mines.api.accuse_reception"
VERIFY = "gec_mines.api.verifier_accuse"
REVOKE = "gec_mines.api.accuse.revoquer_accuse"


def download(cmd: str, **kwargs) -> tuple[bytes, dict]:
	"""Call a file-returning endpoint like `/api/method/<cmd>`; its bytes and headers."""
	response = frappe.local.response
	with patch.object(frappe.db, "commit"):  # the access log commits in GET requests
		call_api(cmd, **kwargs)
	content = response.pop("filecontent")
	meta = {key: response.pop(key, None) for key in ("filename", "type")}
	return content, meta


def pdf_text(pdf: bytes) -> str:
	if not shutil.which("pdftotext"):
		raise unittest.SkipTest("!!! pdftotext (poppler-utils) is missing: receipt text not checked !!!")
	result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
	return re.sub(r"[ \t]+", " ", result.stdout.decode())


def qr_codes(pdf: bytes) -> list[str]:
	"""The QR codes found on the first page, read by zxing-cpp from a 200 dpi rendering."""
	try:
		import zxingcpp
	except ImportError:
		print("\n!!! SKIPPED: zxing-cpp is not installed in the bench env (pip install zxing-cpp) !!!\n")
		raise unittest.SkipTest("zxing-cpp is not installed: the QR code is not decoded")
	if not shutil.which("pdftoppm"):
		raise unittest.SkipTest("!!! pdftoppm (poppler-utils) is missing: the QR code is not decoded !!!")
	from PIL import Image

	with tempfile.TemporaryDirectory() as folder:
		source = Path(folder, "accuse.pdf")
		source.write_bytes(pdf)
		subprocess.run(
			["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", str(source), str(Path(folder, "page"))],
			check=True,
		)
		image = Image.open(next(Path(folder).glob("page*.png")))
		return [code.text for code in zxingcpp.read_barcodes(image)]


def token_of(url: str) -> str:
	return parse_qs(urlparse(url).query)["jeton"][0]


def altered(token: str) -> str:
	"""The same token with one character changed."""
	middle = len(token) // 2
	return token[:middle] + ("B" if token[middle] != "B" else "C") + token[middle + 1 :]


class TestAccuseReception(GECTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		accuse.ensure_receipt_secret()
		cls.users = make_gec_users("accuse")
		cls.english = make_user("accuse-english@example.com", ["GEC Agent Courrier"])
		frappe.db.set_value("User", cls.english, "language", "en")
		with as_user(cls.users["agent"]):
			cls.mail = make_courrier(
				objet="Demande de renouvellement du permis PE 1234",
				expediteur="Société Minière de Kolwezi",
				numero_reference="SMK/DG/2026/117",
				copie_sg="Oui",
				type_document="Lettre",
			)
		route(cls.mail.name, cls.users["sg"], cls.users["agent"], {"departement": "JUR"})
		frappe.db.set_value("Departement", "JUR", {"telephone": "+243 81 000 0001", "email": "jur@mines.cd"})
		with as_user(cls.users["sg"]):
			doc = frappe.get_doc("Courrier", cls.mail.name)
			doc.commenter("Instruction", "Préparer la réponse avant vendredi")
			doc.transmettre(cls.users["chef_jur"], "Pour suite utile")
		cls.mail.reload()

	def setUp(self):
		frappe.local.request_ip = "10.4.4.4"
		frappe.cache.delete_keys("rl:")

	def receipt(self, user: str, **kwargs) -> bytes:
		with as_user(user):
			pdf, meta = download(RECEIPT, name=self.mail.name, **kwargs)
		self.assertEqual(meta["type"], "pdf")
		self.assertTrue(pdf.startswith(b"%PDF"))
		return pdf

	def test_the_french_receipt_holds_the_values_of_the_courrier(self):
		text = pdf_text(self.receipt(self.users["agent"]))
		day = getdate(self.mail.date_enregistrement).strftime("%d/%m/%Y")
		for expected in (
			"ACCUSÉ DE RÉCEPTION - COURRIER ENTRANT",
			self.mail.name,
			"SMK/DG/2026/117",
			"Société Minière de Kolwezi",
			"Demande de renouvellement du permis PE 1234",
			"Lettre",
			"Date de réception",
			day,
			"Enregistré par",
			"accuse-agent",
			"Reçu",
			"Service en charge",
			"Département Juridique",
			"+243 81 000 0001",
			"jur@mines.cd",
			"lettre.pdf",
			"Secrétaire Général en copie",
			"Oui",
			"Commentaires et annotations",
			"Préparer la réponse avant vendredi",
			"Historique des transmissions",
			"Pour suite utile",
			"République Démocratique du Congo",
			"Page 1 sur 2",
			"Document généré le",
		):
			self.assertIn(expected, text)

	def test_an_english_user_gets_the_receipt_in_english(self):
		text = pdf_text(self.receipt(self.english))
		for expected in (
			"Acknowledgement of receipt - incoming mail",
			self.mail.name,
			"Date of receipt",
			"Department in charge",
			"Département Juridique",
			"Secretary General in copy",
			"Yes",
			"Page 1 of 2",
		):
			self.assertIn(expected, text)
		self.assertNotIn("Date de réception", text)

	def test_an_encrypted_subject_is_printed_in_clear_for_its_reader(self):
		with as_user(self.users["agent"]):
			name = make_courrier(
				objet="Plainte confidentielle de riverains", confidentialite="Confidentiel"
			).name
			text = pdf_text(download(RECEIPT, name=name)[0])
		self.assertIn("Plainte confidentielle de riverains", text)
		self.assertNotIn("gec:v", text)

	def test_the_counter_copy_is_a5(self):
		from io import BytesIO

		from pypdf import PdfReader

		page = PdfReader(BytesIO(self.receipt(self.users["agent"], format="A5"))).pages[0]
		self.assertAlmostEqual(float(page.mediabox.width), 419.5, delta=1)
		with as_user(self.users["agent"]), self.assertRaises(frappe.ValidationError):
			download(RECEIPT, name=self.mail.name, format="Letter")

	def test_each_receipt_is_logged(self):
		before = frappe.db.count("Access Log", {"reference_document": self.mail.name})
		self.receipt(self.users["chef_jur"])
		log = frappe.get_last_doc("Access Log", filters={"reference_document": self.mail.name})
		self.assertEqual(frappe.db.count("Access Log", {"reference_document": self.mail.name}), before + 1)
		self.assertEqual(
			(log.user, log.export_from, log.file_type), (self.users["chef_jur"], "Courrier", "PDF")
		)

	def test_who_may_not_read_the_courrier_gets_no_receipt(self):
		for user in (self.users["gest_tech"], self.users["chef_tech"], self.users["gest_seul"], "Guest"):
			with as_user(user), self.assertRaises(frappe.PermissionError):
				download(RECEIPT, name=self.mail.name)
		with as_user(self.users["agent"]):
			secret = make_courrier(objet="Pli secret", confidentialite="Secret")
			with self.assertRaises(frappe.PermissionError):
				download(RECEIPT, name=secret.name)
		with as_user(self.users["sg"]):
			self.assertTrue(download(RECEIPT, name=secret.name)[0].startswith(b"%PDF"))

	def test_the_qr_code_decodes_to_a_token_the_public_check_accepts(self):
		codes = qr_codes(self.receipt(self.users["agent"]))
		self.assertEqual(len(codes), 1)
		url = urlparse(codes[0])
		self.assertEqual(url.path, "/verification")
		with as_user("Guest"):
			result = call_api(VERIFY, jeton=token_of(codes[0]))
		self.assertEqual(set(result), {"numero", "date", "statut"})
		self.assertEqual(result["numero"], self.mail.name)
		self.assertEqual(result["date"], str(getdate(self.mail.date_enregistrement)))
		self.assertEqual(result["statut"], "Reçu")

	def test_a_token_with_one_changed_character_is_refused(self):
		token = token_of(accuse.verification_url(self.mail.name))
		with as_user("Guest"):
			self.assertEqual(call_api(VERIFY, jeton=token)["numero"], self.mail.name)
			for forged in (altered(token), token[:-1], token + "A", "", "bm90IGEgdG9rZW4"):
				with self.assertRaises(accuse.ReceiptTokenInvalid) as refused:
					call_api(VERIFY, jeton=forged)
				self.assertEqual(refused.exception.http_status_code, 400)
			self.assertIn("n'a pas pu être vérifié", str(refused.exception), "a French browser reads French")
			with self.assertRaises(accuse.ReceiptTokenInvalid) as refused:
				call_api(VERIFY, jeton=altered(token), _lang="en")
			self.assertIn("could not be verified", str(refused.exception))

	def test_receipts_printed_before_a_key_rotation_still_verify(self):
		token = token_of(accuse.verification_url(self.mail.name))
		old = frappe.conf[accuse.SECRET_KEY]
		with patch.dict(frappe.conf, {accuse.SECRET_KEY: "n" * 64, accuse.OLD_SECRETS_KEY: [old]}):
			self.assertEqual(accuse.verify(token)["numero"], self.mail.name)
		with patch.dict(frappe.conf, {accuse.SECRET_KEY: "n" * 64, accuse.OLD_SECRETS_KEY: []}):
			self.assertRaises(accuse.ReceiptTokenInvalid, accuse.verify, token)

	def test_the_public_check_is_rate_limited_per_address(self):
		token = token_of(accuse.verification_url(self.mail.name))
		with as_user("Guest"):
			for _ in range(30):
				call_api(VERIFY, jeton=token)
			with self.assertRaises(frappe.RateLimitExceededError):
				call_api(VERIFY, jeton=token)
			frappe.local.request_ip = "10.4.4.5"
			self.assertEqual(call_api(VERIFY, jeton=token)["numero"], self.mail.name)

	def test_the_public_page_shows_number_date_and_status_only(self):
		from frappe.website.serve import get_response_content

		token = token_of(accuse.verification_url(self.mail.name))
		with as_user("Guest"):
			frappe.local.form_dict = frappe._dict(jeton=token)
			page = get_response_content("verification")
			frappe.local.form_dict = frappe._dict(jeton=altered(token))
			refused = get_response_content("verification")
			frappe.local.form_dict = frappe._dict()
		self.assertIn(self.mail.name, page)
		self.assertIn(formatdate(self.mail.date_enregistrement), page)
		self.assertIn("Reçu", page)
		for hidden in ("Kolwezi", "PE 1234", "SMK/DG", "Juridique", "accuse-agent"):
			self.assertNotIn(hidden, page)
		self.assertIn('data-etat="valide"', page)
		self.assertIn('data-etat="refuse"', refused)
		self.assertNotIn(self.mail.name, refused)


class TestRevocation(GECTestCase):
	"""A receipt the registry revokes no longer verifies, and says so without a word of the mail."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		accuse.ensure_receipt_secret()
		cls.users = make_gec_users("accuse")

	def setUp(self):
		frappe.local.request_ip = "10.4.4.6"
		frappe.cache.delete_keys("rl:")
		with as_user(self.users["agent"]):
			self.mail = make_courrier(objet="Accusé à révoquer", expediteur="Société Minière de Likasi")

	def verify_as_guest(self, token: str, lang: str = "fr"):
		with as_user("Guest"):
			return call_api(VERIFY, jeton=token, _lang=lang)

	def test_revoking_a_mails_receipts_refuses_those_issued_until_then_only(self):
		before = token_of(accuse.verification_url(self.mail.name))
		with as_user(self.users["sg"]):
			call_api(REVOKE, "POST", name=self.mail.name, motif="Accusé remis à une mauvaise personne")
		after = token_of(accuse.verification_url(self.mail.name))
		for lang, words in (("fr", "révoqué"), ("en", "revoked")):
			with self.assertRaises(accuse.ReceiptTokenRevoked) as caught:
				self.verify_as_guest(before, lang)
			self.assertEqual(caught.exception.http_status_code, 410)
			self.assertIn(words, str(caught.exception))
			for hidden in (self.mail.name, "Likasi", "révoquer"):
				self.assertNotIn(hidden, str(caught.exception))
		self.assertEqual(self.verify_as_guest(after)["numero"], self.mail.name)
		row = frappe.get_last_doc("Jeton Revoque", filters={"courrier": self.mail.name})
		self.assertEqual((row.revoque_par, row.jeton), (self.users["sg"], None))

	def test_receipts_printed_before_tokens_had_ids_verify_until_their_mail_is_revoked(self):
		secret = accuse.secrets()[0]
		issued = int(frappe.utils.now_datetime().timestamp()) - 3600
		body = struct.pack(">BBI", 1, jeton._hint(secret), issued) + self.mail.name.encode()
		old = jeton._encode(body + jeton._tag(secret, body))
		self.assertEqual(self.verify_as_guest(old)["numero"], self.mail.name)
		with as_user(self.users["admin"]):
			call_api(REVOKE, "POST", name=self.mail.name, motif="Série d'accusés compromise")
		with self.assertRaises(accuse.ReceiptTokenRevoked):
			self.verify_as_guest(old)

	def test_one_receipt_can_be_revoked_alone(self):
		first = token_of(accuse.verification_url(self.mail.name))
		second = token_of(accuse.verification_url(self.mail.name))
		with as_user(self.users["sg"]):
			call_api(REVOKE, "POST", name=self.mail.name, motif="Exemplaire perdu", jeton=first)
			with self.assertRaises(accuse.ReceiptTokenInvalid):
				call_api(REVOKE, "POST", name=self.mail.name, motif="Autre courrier", jeton=altered(second))
		with self.assertRaises(accuse.ReceiptTokenRevoked):
			self.verify_as_guest(first)
		self.assertEqual(self.verify_as_guest(second)["numero"], self.mail.name)

	def test_only_the_sg_or_an_administrator_revokes_and_only_receipts_of_mail_they_may_read(self):
		for user in ("agent", "chef_jur", "auditeur", "gest_jur"):
			with as_user(self.users[user]):
				with self.assertRaises(frappe.PermissionError, msg=user):
					call_api(REVOKE, "POST", name=self.mail.name, motif="Essai")
				with self.assertRaises(frappe.PermissionError, msg=user):
					frappe.get_doc(
						{"doctype": "Jeton Revoque", "courrier": self.mail.name, "motif": "Par l'API REST"}
					).insert()
		secret = make_courrier(confidentialite="Secret", objet="Affaire réservée au SG")
		with as_user(self.users["admin"]):
			with self.assertRaises(frappe.PermissionError):
				call_api(REVOKE, "POST", name=secret.name, motif="Essai")
			with self.assertRaises(frappe.PermissionError):
				call_api(REVOKE, "GET", name=self.mail.name, motif="Par un lien")
			with self.assertRaises(frappe.MandatoryError):
				call_api(REVOKE, "POST", name=self.mail.name, motif="  ")
		self.assertFalse(
			frappe.db.exists("Jeton Revoque", {"courrier": ["in", [self.mail.name, secret.name]]})
		)


class TestFormatsImpression(GECTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		accuse.ensure_receipt_secret()
		cls.users = make_gec_users("impression")
		with as_user(cls.users["agent"]):
			cls.mail = make_courrier(objet="Rapport trimestriel de production", expediteur="Tenke Fungurume")
		route(
			cls.mail.name,
			cls.users["sg"],
			cls.users["agent"],
			{"departement": "TECH", "note": "Analyse technique"},
			{"departement": "JUR", "instruction": "Avis"},
		)

	def render(self, print_format: str, user: str) -> str:
		with as_user(user):
			return frappe.get_print("Courrier", self.mail.name, print_format=print_format)

	def test_the_receipt_print_format_shows_the_receipt_and_its_qr_code(self):
		html = self.render("Accusé de réception", self.users["agent"])
		for expected in (self.mail.name, "Rapport trimestriel de production", "Tenke Fungurume", "<svg"):
			self.assertIn(expected, html)

	def test_the_routing_slip_lists_the_departments_and_instructions(self):
		html = self.render("Fiche d'imputation", self.users["sg"])
		for expected in (
			self.mail.name,
			"Département Technique",
			"Analyse technique",
			"Département Juridique",
		):
			self.assertIn(expected, html)
		self.assertIn("<svg", html)

	def test_who_may_not_read_the_courrier_cannot_print_it(self):
		from frappe.www.printview import get_html_and_style

		with as_user(self.users["gest_seul"]), self.assertRaises(frappe.PermissionError):
			get_html_and_style("Courrier", self.mail.name, print_format="Accusé de réception")
