"""Hostile uploads are refused with a clear message and leave nothing behind: no File, no bytes on disk,
no registration number."""

import base64
import io
import os
import struct
import zipfile
import zlib

import frappe
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from gec_mines.tests.utils import PDF, PNG, GECTestCase, as_user, make_courrier, make_user


def png_claiming(width: int, height: int) -> bytes:
	"""A PNG whose header announces `width` x `height` pixels (a decompression bomb's signature)."""

	def chunk(kind: bytes, data: bytes) -> bytes:
		return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

	header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
	return (
		b"\x89PNG\r\n\x1a\n"
		+ chunk(b"IHDR", header)
		+ chunk(b"IDAT", zlib.compress(b"\x00"))
		+ chunk(b"IEND", b"")
	)


def zip_archive() -> bytes:
	buffer = io.BytesIO()
	with zipfile.ZipFile(buffer, "w") as archive:
		archive.writestr("index.html", "<html><script>alert(document.cookie)</script></html>")
	return buffer.getvalue()


def pdf_with(body: bytes) -> bytes:
	return b"%PDF-1.7\n" + body + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"


# name -> (file name sent, content, words the message must contain)
HOSTILE = {
	"polyglot": ("scan.png", PNG + zip_archive(), ("scan.png", "ZIP")),
	"decompression bomb": ("bombe.png", png_claiming(50_000, 50_000), ("bombe.png", "decompression bomb")),
	"svg with script": (
		"image.svg",
		b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
		("image.svg", "not a PDF, JPEG, PNG or TIFF"),
	),
	"wrong extension": ("photo.jpg", PNG, ("photo.jpg", "PNG", "rename")),
	"executable named pdf": ("lettre.pdf", b"MZ\x90\x00" + bytes(200), ("lettre.pdf", "not a PDF")),
	"pdf with javascript": (
		"lettre.pdf",
		pdf_with(b"1 0 obj<</OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj"),
		("lettre.pdf", "JavaScript"),
	),
	"path traversal": ("../../etc/passwd.pdf", PDF, ("passwd.pdf", "leave its folder")),
	"oversized": ("gros.pdf", PDF + b" " * (16 * 1024 * 1024), ("gros.pdf", "limit is 16")),
}


def multipart(path: str, fields: dict, file_field: str, file_name: str, content: bytes) -> Request:
	data = {**fields, file_field: (io.BytesIO(content), file_name)}
	return Request(EnvironBuilder(method="POST", path=path, data=data).get_environ())


def stored_files() -> set[str]:
	return set(os.listdir(frappe.get_site_path("private", "files")))


def counters() -> dict:
	return dict(frappe.db.sql("select name, current from `tabSeries` where name like 'GEC-%%'"))


class TestTeleversement(GECTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.agent = make_user("televersement-agent@example.com", ["GEC Agent Courrier"])
		with as_user(cls.agent):
			cls.courrier = make_courrier(confidentialite="Confidentiel", objet="Pièces jointes hostiles").name
		frappe.db.commit()  # every refusal below ends with a rollback, as its request would

	def tearDown(self):
		frappe.local.form_dict = frappe._dict()
		frappe.local.request = None
		frappe.db.rollback()

	def call(self, request: Request, fields: dict, method):
		try:
			with as_user(self.agent):  # which empties form_dict: fill it afterwards
				frappe.local.request = request
				frappe.local.form_dict = frappe._dict(fields)
				return method()
		finally:
			frappe.local.request = None
			frappe.local.form_dict = frappe._dict()

	def upload(self, file_name: str, content: bytes):
		"""The sidebar's upload: `/api/method/upload_file` for an existing mail."""
		from frappe.handler import upload_file

		fields = {"doctype": "Courrier", "docname": self.courrier, "is_private": "1"}
		request = multipart("/api/method/upload_file", fields, "file", file_name, content)
		return self.call(request, fields, upload_file)

	def register(self, file_name: str, content: bytes):
		"""The registration form: `gec_mines.api.courrier.enregistrer` with its main attachment."""
		from gec_mines.api.courrier import enregistrer

		fields = {
			"type_courrier": "Entrant",
			"objet": "Lettre avec pièce hostile",
			"expediteur": "Expéditeur inconnu",
			"copie_sg": "Non",
			"confidentialite": "Confidentiel",
		}
		request = multipart(
			"/api/method/gec_mines.api.courrier.enregistrer", fields, "fichier", file_name, content
		)
		return self.call(request, fields, enregistrer)

	def assert_refused_and_nothing_stored(self, road, case: str):
		file_name, content, words = HOSTILE[case]
		files, rows, numbers = stored_files(), frappe.db.count("File"), counters()
		mails = frappe.db.count("Courrier")
		with self.assertRaises(frappe.ValidationError, msg=f"{road.__name__}: {case}") as caught:
			road(file_name, content)
		message = str(caught.exception)
		for word in words:
			self.assertIn(word, message, f"{road.__name__}: {case}")
		frappe.db.rollback()  # the end of the refused request
		self.assertEqual(stored_files(), files, f"{road.__name__}: {case} left bytes on disk")
		self.assertEqual(frappe.db.count("File"), rows, f"{road.__name__}: {case} left a File")
		self.assertEqual(frappe.db.count("Courrier"), mails, f"{road.__name__}: {case}")
		self.assertEqual(counters(), numbers, f"{road.__name__}: {case} consumed a number")

	def test_the_hostile_corpus_is_refused_on_the_upload_road(self):
		for case in HOSTILE:
			self.assert_refused_and_nothing_stored(self.upload, case)

	def test_the_hostile_corpus_is_refused_on_the_registration_road(self):
		for case in HOSTILE:
			self.assert_refused_and_nothing_stored(self.register, case)

	def test_a_public_attachment_is_refused(self):
		from frappe.handler import upload_file

		fields = {"doctype": "Courrier", "docname": self.courrier, "is_private": "0"}
		request = multipart("/api/method/upload_file", fields, "file", "public.pdf", PDF)
		files = stored_files()
		with self.assertRaises(frappe.ValidationError) as caught:
			self.call(request, fields, upload_file)
		self.assertIn("private", str(caught.exception))
		frappe.db.rollback()
		self.assertEqual(stored_files(), files)
		self.assertFalse(os.path.exists(frappe.get_site_path("public", "files", "public.pdf")))

	def test_an_attachment_cannot_be_made_public_afterwards(self):
		file = frappe.get_doc("File", {"attached_to_doctype": "Courrier", "attached_to_name": self.courrier})
		file.is_private = 0
		with self.assertRaises(frappe.ValidationError) as caught:
			file.save()
		self.assertIn("private", str(caught.exception))

	def test_a_base64_upload_is_checked_too(self):
		with self.assertRaises(frappe.ValidationError):
			frappe.get_doc(
				{
					"doctype": "File",
					"file_name": "scan.png",
					"content": base64.b64encode(PNG + zip_archive()).decode(),
					"decode": True,
					"is_private": 1,
					"attached_to_doctype": "Courrier",
					"attached_to_name": self.courrier,
				}
			).insert()

	def test_a_good_document_is_kept_encrypted_with_its_checksum(self):
		from gec_mines import chiffrement
		from gec_mines.core import chiffrement as crypto

		content = PDF.replace(b"%%EOF", f"% {frappe.generate_hash()}\n%%EOF".encode())
		file = self.upload("annexe.pdf", content)
		self.assertEqual(file.gec_sha256, __import__("hashlib").sha256(content).hexdigest())
		with open(chiffrement.chemin_fichier(file), "rb") as fh:
			self.assertTrue(crypto.is_encrypted_bytes(fh.read()))  # the mail is Confidentiel
		self.assertEqual(chiffrement.lire_fichier(file), content)
