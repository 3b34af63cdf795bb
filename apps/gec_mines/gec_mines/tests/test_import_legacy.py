"""`bench --site SITE gec-import-legacy` brings a legacy GEC over, and its users sign in with the
password they had.

The legacy data sets are built from the documented schema by `tests/core/legacy_fixtures.py` (the
repository's framework-free test helpers): an SQLite database with its uploads folder, and a mail
export ZIP, both seeded with plain and encrypted values and files and one case of each known flaw.
Batches are "committed" to a savepoint inside the test's own transaction, which the test case rolls
back: nothing stays on the site.
"""

import os
import shutil
import sys
import tempfile
import unittest
from datetime import date
from pathlib import Path
from unittest.mock import patch

import frappe
from frappe.auth import HTTPRequest
from frappe.tests.utils import change_settings
from frappe.utils import get_datetime, set_request
from frappe.utils.password import check_password

import gec_mines
from gec_mines.legacy import Importer, Transaction, open_legacy, preview, run_import
from gec_mines.numbering import next_number
from gec_mines.securite import signin
from gec_mines.tests.utils import GECTestCase

FIXTURES = Path(gec_mines.__file__).resolve().parent.parents[2] / "tests" / "core"
BATCH = "gec_test_batch"
ENDPOINT = "gec_mines.securite.signin.login"

# Rows of the legacy database that cannot be imported, and why (see legacy_fixtures.legacy_rows).
DATABASE_FAILURES = {
	("user", "7"),  # its e-mail is user 3's, in other letter case
	("courrier", "12"),  # its number is courrier 1's, in other letter case
	("courrier", "13"),  # its subject was encrypted with another key
	("courrier", "18"),  # neither ENTRANT nor SORTANT
	("courrier_forward", "3"),  # to user 7
	("courrier_forward", "4"),  # of a courrier that does not exist
	("courrier_modification", "3"),  # of a courrier that does not exist
}
EXPORT_FAILURES = {("export:courrier", "23:GEC-2025-00017")}  # the number of export mail 17


def legacy_fixtures():
	"""The repository's legacy data builders; the tests cannot run without them."""
	if not (FIXTURES / "legacy_fixtures.py").is_file():
		message = f"legacy data builders not found at {FIXTURES}: run from a checkout of the repository"
		print(f"\n*** SKIPPED: {message} ***", file=sys.stderr)
		raise unittest.SkipTest(message)
	if str(FIXTURES) not in sys.path:
		sys.path.insert(0, str(FIXTURES))
	import legacy_fixtures as fixtures

	return fixtures


def batch_savepoints() -> Transaction:
	"""Batches durable up to the test's own rollback; a crash goes back to the last batch."""
	frappe.db.savepoint(BATCH)
	return Transaction(
		commit=lambda: frappe.db.savepoint(BATCH), rollback=lambda: frappe.db.rollback(save_point=BATCH)
	)


def import_database(fixture, batch_size: int = 200):
	with open_legacy(fixture.url, fixture.uploads_dir, legacy_key=fixture.key_b64) as source:
		return run_import(source, batch_savepoints(), batch_size=batch_size)


def import_export(fixture):
	with open_legacy(export=fixture.zip_path) as source:
		return run_import(source, batch_savepoints())


def failures(result) -> set[tuple[str, str]]:
	return {(f.table, f.key) for f in result.failures}


def bookkept(table: str) -> dict[str, str | None]:
	rows = frappe.get_all(
		"Import Legacy GEC", filters={"table_legacy": table}, fields=["cle_legacy", "nom_cible"]
	)
	return {row.cle_legacy: row.nom_cible for row in rows}


def file_content(file_url: str) -> bytes:
	return frappe.get_doc("File", {"file_url": file_url}).get_content()


def site_state() -> dict:
	"""What an import could change, counted."""
	counts = {
		doctype: frappe.db.count(doctype)
		for doctype in (
			"Courrier",
			"User",
			"File",
			"Departement",
			"Statut Courrier",
			"Type Courrier",
			"Transmission Courrier",
			"Commentaire Courrier",
			"Version",
			"Comment",
			"Journal Legacy GEC",
			"Import Legacy GEC",
		)
	}
	counts["series"] = frappe.db.sql("select count(*), coalesce(sum(`current`), 0) from `tabSeries`")[0]
	counts["settings"] = frappe.db.sql(
		"select `field`, `value` from `tabSingles` where `doctype` = 'GEC Settings' order by `field`"
	)
	counts["files on disk"] = sorted(os.listdir(frappe.get_site_path("private", "files")))
	return counts


class LegacyTestCase(GECTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.fixtures = legacy_fixtures()
		cls.directory = tempfile.mkdtemp(prefix="gec-legacy-")
		cls.addClassCleanup(shutil.rmtree, cls.directory, ignore_errors=True)


class TestLegacyDatabaseImport(LegacyTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.legacy = cls.fixtures.build_legacy_database(cls.directory)
		# as on a site that was just installed: no department has a head yet (other tests set some)
		frappe.db.sql("update `tabDepartement` set `chef` = null")
		cls.result = import_database(cls.legacy)

	def test_every_table_comes_over_except_the_rows_that_cannot(self):
		self.assertEqual(failures(self.result), DATABASE_FAILURES)
		for table, count in self.legacy.counts.items():
			if table == "role":  # roles have no record of their own: users get GEC roles
				continue
			expected = count - sum(1 for t, _key in DATABASE_FAILURES if t == table)
			self.assertEqual(self.result.imported[table] + self.result.skipped[table], expected, table)
			self.assertEqual(len(bookkept(table)), expected, table)
		self.assertEqual(self.result.skipped["courrier_comment"], 1)  # deleted in the legacy app

		def created(doctype, table):
			return frappe.db.count(doctype, {"name": ["in", [n for n in bookkept(table).values() if n]]})

		self.assertEqual(created("Courrier", "courrier"), 16)
		self.assertEqual(created("User", "user"), 6)
		self.assertEqual(created("Transmission Courrier", "courrier_forward"), 3)
		self.assertEqual(created("Commentaire Courrier", "courrier_comment"), 3)
		self.assertEqual(created("Version", "courrier_modification"), 2)
		self.assertEqual(created("Journal Legacy GEC", "log_activite"), 7)

	def test_a_courrier_keeps_its_number_dates_author_department_status_and_scan(self):
		mail = frappe.get_doc("Courrier", "GEC-2025-00001")
		self.assertEqual(mail.type_courrier, "Entrant")
		self.assertEqual(mail.objet, "Demande de permis d'exploitation")
		self.assertEqual(mail.numero_reference, "REF/MIN/001")
		self.assertEqual(mail.copie_sg, "Oui")
		self.assertEqual(mail.statut, "RECU")
		self.assertEqual(mail.workflow_state, "Enregistré")
		self.assertEqual(mail.confidentialite, "Normal")
		self.assertEqual(mail.departement, "ADM")  # agent1's department, as the legacy app saw it
		self.assertEqual(mail.owner, "agent1@mines.gov.cd")
		self.assertEqual(str(mail.date_redaction), "2025-01-02")
		# 08:15 UTC in the legacy database is 09:15 in Kinshasa
		self.assertEqual(get_datetime(mail.date_enregistrement), get_datetime("2025-01-03 09:15:00"))
		self.assertEqual(get_datetime(mail.creation), get_datetime("2025-01-03 09:15:00"))
		self.assertTrue(mail.fichier.startswith("/private/files/"))
		self.assertEqual(file_content(mail.fichier), self.legacy.contents["courrier:1"])

	def test_legacy_encryption_is_undone_and_this_sites_own_applies(self):
		mail = frappe.get_doc("Courrier", "GEC-2025-00004")
		self.assertEqual(mail.objet, "Rapport trimestriel confidentiel")
		self.assertEqual(mail.expediteur, "Cabinet du Ministre")
		self.assertEqual(mail.numero_reference, "CAB/2025/044")
		for number, key in (("00004", "courrier:4"), ("00005", "courrier:5"), ("00007", "courrier:7")):
			fichier = frappe.db.get_value("Courrier", f"GEC-2025-{number}", "fichier")
			self.assertEqual(
				file_content(fichier), self.legacy.contents[key], number
			)  # 8 190, 16 384, 8 192 bytes
		self.assertEqual(
			file_content(frappe.db.get_value("Courrier", "GEC-2025-00008", "fichier")),
			self.legacy.contents["courrier:8"],
		)
		# imported mail goes through the registry's own saves: "other information" is always encrypted
		stored = frappe.db.sql("select autres_informations from tabCourrier where name = 'GEC-2025-00002'")
		self.assertTrue(stored[0][0])
		self.assertNotIn("Par porteur", stored[0][0])

	def test_mail_without_usable_file_comes_without_one_and_is_reported(self):
		for number in ("GEC-2025-00006", "GEC-2025-00009", "GEC-2025-00017", "GEC-2025-00019"):
			self.assertFalse(frappe.db.get_value("Courrier", number, "fichier"), number)
		self.assertFalse(frappe.db.get_value("Courrier", "GEC-2025-00003", "fichier"))  # bytes after the PNG
		warned = {(w.table, w.key) for w in self.result.warnings}
		self.assertLessEqual({("courrier", k) for k in ("3", "6", "9", "10", "17", "19")}, warned)
		self.assertFalse(frappe.db.exists("File", {"file_name": "secret.txt"}))

	def test_outgoing_trashed_and_odd_mail_keep_their_state(self):
		sortant = frappe.get_doc("Courrier", "GEC-2025-00002")
		self.assertEqual(
			(sortant.type_courrier, sortant.type_document, sortant.statut, sortant.workflow_state),
			("Sortant", "Lettre officielle", "TRAITE", "Expédié"),
		)
		self.assertEqual(frappe.db.get_value("Courrier", "GEC-2025-00015", "type_document"), "Autre")
		trashed = frappe.get_doc("Courrier", "GEC-2025-00011")
		self.assertEqual((trashed.is_deleted, trashed.supprime_par), (1, "admin@mines.gov.cd"))
		self.assertEqual(trashed.statut, "PERDU")
		self.assertTrue(frappe.db.exists("Statut Courrier", "PERDU"))
		manual = frappe.get_doc("Courrier", "ARR/2024/77")
		self.assertEqual(manual.owner, "Administrator")  # its legacy user 42 does not exist

	def test_history_comes_with_its_authors_dates_and_read_state(self):
		forward = frappe.get_doc("Transmission Courrier", bookkept("courrier_forward")["1"])
		self.assertEqual(
			(forward.courrier, forward.transmis_par, forward.destinataire, forward.lu),
			("GEC-2025-00001", "agent1@mines.gov.cd", "jdoe@mines.gov.cd", 1),
		)
		self.assertEqual(get_datetime(forward.lu_le), get_datetime("2025-01-04 11:00:00"))
		self.assertEqual(file_content(forward.fichier), self.legacy.contents["courrier_forward:1"])
		kinds = frappe.get_all(
			"Commentaire Courrier",
			filters={"name": ["in", list(bookkept("courrier_comment").values())]},
			pluck="type_commentaire",
		)
		self.assertEqual(sorted(kinds), ["Annotation", "Commentaire", "Instruction"])
		version = frappe.get_doc("Version", bookkept("courrier_modification")["1"])
		self.assertEqual(
			(version.ref_doctype, version.docname, version.owner),
			("Courrier", "GEC-2025-00001", "jdoe@mines.gov.cd"),
		)
		self.assertEqual(
			version.get_data()["changed"],
			[["objet", "Demande de permis", "Demande de permis d'exploitation"]],
		)
		journal = frappe.get_doc("Journal Legacy GEC", bookkept("log_activite")["6"])
		self.assertEqual(
			(journal.action, journal.utilisateur, journal.courrier),
			("SUPPRESSION_COURRIER", "admin@mines.gov.cd", "GEC-2025-00011"),
		)

	def test_users_keep_department_roles_language_and_state_but_no_readable_password(self):
		jdoe = frappe.get_doc("User", "jdoe@mines.gov.cd")
		self.assertEqual((jdoe.username, jdoe.gec_departement, jdoe.language), ("jdoe", "JUR", "en"))
		self.assertIn("GEC Chef Departement", frappe.get_roles(jdoe.name))
		self.assertEqual(frappe.db.get_value("Departement", "JUR", "chef"), jdoe.name)
		self.assertIn("GEC Administrateur", frappe.get_roles("admin@mines.gov.cd"))
		self.assertEqual(frappe.db.get_value("User", "ancien@mines.gov.cd", "enabled"), 0)
		self.assertFalse(signin.has_frappe_password(jdoe.name))
		self.assertTrue(signin.legacy_hash(jdoe.name).startswith("pbkdf2:sha256:"))
		self.assertNotIn("pbkdf2", frappe.as_json(jdoe.as_dict()))

	def test_settings_and_numbering_continue_the_legacy_registry(self):
		settings = frappe.get_single("GEC Settings")
		self.assertEqual(settings.nom_logiciel, "GEC Mines")
		self.assertEqual(settings.titre_pdf, "Secrétariat Général des Mines")
		self.assertEqual(settings.appellation_departement, "Directions")
		self.assertEqual(
			(settings.format_entrant, settings.format_sortant), ("GEC-{year}-{counter:05d}",) * 2
		)
		self.assertEqual(file_content(settings.logo), self.legacy.contents["parametres_systeme:logo"])
		self.assertEqual(next_number("Entrant", date(2025, 6, 1)), "GEC-2025-00020")
		self.assertEqual(next_number("Sortant", date(2025, 6, 1)), "GEC-2025-00021")
		self.assertEqual(next_number("Entrant", date(2024, 12, 31)), "GEC-2024-00121")

	def test_a_second_import_changes_nothing(self):
		before = site_state()
		again = import_database(self.legacy)
		self.assertEqual(sum(again.imported.values()), 0)
		self.assertEqual(failures(again), DATABASE_FAILURES)  # tried again, refused again
		self.assertEqual(site_state(), before)


class TestLegacySignIn(LegacyTestCase):
	"""Through `gec_mines.securite.signin.login`, the endpoint the sign-in form posts to."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.legacy = cls.fixtures.build_legacy_database(cls.directory)
		import_database(cls.legacy)

	def setUp(self):
		frappe.cache.delete_value(f"rl:{ENDPOINT}:127.0.0.1")  # the endpoint's rate limit

	def tearDown(self):
		for key in ("jdoe@mines.gov.cd", "stagiaire1@mines.gov.cd", "127.0.0.1"):
			frappe.cache.hdel("login_failed_count", key)
			frappe.cache.hdel("login_failed_time", key)
		frappe.set_user("Administrator")

	def sign_in(self, usr: str, pwd: str) -> str:
		"""A sign-in request, as the form sends it; returns who is signed in afterwards."""
		previous = getattr(frappe.local, "request", None)
		set_request(method="POST", path=f"/api/method/{ENDPOINT}")
		frappe.local.form_dict = frappe._dict(cmd=ENDPOINT, usr=usr, pwd=pwd)
		try:
			with patch.object(frappe.db, "commit"):  # a failed sign-in commits its log
				HTTPRequest()  # a Guest session, as before any sign-in
				signin.login(usr=usr, pwd=pwd)
			return frappe.session.user
		finally:
			frappe.local.request = previous

	def test_werkzeug_and_bcrypt_passwords_open_once_then_frappe_takes_over(self):
		for login, user in (
			("sa.gec001", "admin@mines.gov.cd"),  # scrypt
			("jdoe", "jdoe@mines.gov.cd"),  # pbkdf2
			("agent1@mines.gov.cd", "agent1@mines.gov.cd"),  # bcrypt, by e-mail
		):
			self.assertEqual(self.sign_in(login, self.legacy.passwords[login.split("@")[0]]), user)
			self.assertIsNone(signin.legacy_hash(user))
			self.assertEqual(check_password(user, self.legacy.passwords[login.split("@")[0]]), user)
			frappe.set_user("Administrator")

	def test_a_wrong_password_is_refused_and_counts_toward_the_lockout(self):
		with self.assertRaises(frappe.AuthenticationError):
			self.sign_in("jdoe", "not the password")
		self.assertTrue(signin.legacy_hash("jdoe@mines.gov.cd"))
		self.assertEqual(frappe.cache.hget("login_failed_count", "jdoe@mines.gov.cd"), 1)

	def test_a_locked_account_is_not_opened_even_by_the_right_legacy_password(self):
		with change_settings(
			"System Settings", {"allow_consecutive_login_attempts": 3, "allow_login_after_fail": 600}
		):
			for _attempt in range(4):
				with self.assertRaises(frappe.AuthenticationError):
					self.sign_in("stagiaire1", "wrong")
			with self.assertRaises(frappe.SecurityException):
				self.sign_in("stagiaire1", self.legacy.passwords["ancien"])
		self.assertTrue(signin.legacy_hash("stagiaire1@mines.gov.cd"))

	def test_an_unverifiable_hash_sends_a_reset_email_and_opens_nothing(self):
		with self.assertRaises(frappe.AuthenticationError):
			self.sign_in("sansdept", "anything")
		self.assertTrue(frappe.db.get_value("User", "sansdept@mines.gov.cd", "reset_password_key"))
		self.assertTrue(
			frappe.db.exists("Email Queue Recipient", {"recipient": "sansdept@mines.gov.cd"}),
		)
		self.assertFalse(signin.has_frappe_password("sansdept@mines.gov.cd"))

	def test_a_disabled_legacy_user_cannot_sign_in(self):
		with self.assertRaises(frappe.AuthenticationError):
			self.sign_in("ancien", self.legacy.passwords["ancien"])
		self.assertFalse(signin.has_frappe_password("ancien@mines.gov.cd"))


class TestLegacyExportImport(LegacyTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.legacy = cls.fixtures.build_export_zip(cls.directory)
		cls.result = import_export(cls.legacy)

	def test_export_mail_comes_with_the_attachments_whatever_their_names(self):
		self.assertEqual(failures(self.result), EXPORT_FAILURES)
		self.assertEqual(self.result.imported["export:courrier"], self.legacy.counts["courrier"] - 1)
		for number in (17, 18, 19, 21, 22, 24):  # filename, basename, 8 192 bytes, Windows, NFD, 2 MiB
			mail = frappe.get_doc("Courrier", f"GEC-2025-{number:05d}")
			self.assertEqual(file_content(mail.fichier), self.legacy.contents[f"courrier:{number}"], number)
			self.assertEqual(mail.owner, "Administrator")  # an export names no user of this site
		self.assertFalse(frappe.db.get_value("Courrier", "GEC-2025-00020", "fichier"))  # not in the ZIP
		self.assertEqual(frappe.db.get_value("Courrier", "GEC-2025-00024", "type_courrier"), "Sortant")

	def test_export_forwards_become_notes_on_the_mail(self):
		self.assertEqual(self.result.imported["export:courrier_forward"], 2)
		notes = frappe.get_all(
			"Comment",
			filters={
				"reference_doctype": "Courrier",
				"reference_name": "GEC-2025-00022",
				"comment_type": "Info",
			},
			pluck="content",
		)
		self.assertEqual(len(notes), 2)
		self.assertTrue(any("Pour avis" in note for note in notes))
		self.assertTrue(
			frappe.db.exists("File", {"attached_to_name": "GEC-2025-00022", "file_name": ["like", "avis%"]})
		)

	def test_a_second_import_of_the_same_export_changes_nothing(self):
		before = site_state()
		again = import_export(self.legacy)
		self.assertEqual(sum(again.imported.values()), 0)
		self.assertEqual(failures(again), EXPORT_FAILURES)
		self.assertEqual(site_state(), before)


class TestDryRunAndResume(LegacyTestCase):
	def test_a_dry_run_reports_every_problem_and_writes_nothing(self):
		legacy = self.fixtures.build_legacy_database(tempfile.mkdtemp(dir=self.directory))
		before = site_state()
		with open_legacy(legacy.url, legacy.uploads_dir, legacy_key=legacy.key_b64) as source:
			report = preview(source)
		self.assertEqual(site_state(), before)
		found = {(p.code, p.table, p.row_id) for p in report.problems}
		self.assertLessEqual(legacy.problems, found)
		# what this site's upload checks will refuse: bytes after a PNG's end, an empty file
		self.assertLessEqual(
			{("attachment_refused", "courrier", 3), ("attachment_refused", "courrier", 6)}, found
		)
		self.assertEqual(report.counts["courrier"], legacy.counts["courrier"])
		self.assertIn("  courrier: 19", report.lines())

	def test_an_import_that_crashes_resumes_after_its_last_batch_without_duplicates(self):
		legacy = self.fixtures.build_legacy_database(tempfile.mkdtemp(dir=self.directory))
		crashing, imported = Importer.import_courrier, []

		def crash_after_six(importer, record):
			if len(imported) == 6:
				raise KeyboardInterrupt  # the process is killed: no row-level handling applies
			imported.append(record.id)
			return crashing(importer, record)

		with patch.object(Importer, "import_courrier", crash_after_six), self.assertRaises(KeyboardInterrupt):
			import_database(legacy, batch_size=4)
		self.assertEqual(len(bookkept("courrier")), 4)  # the first batch; the second was rolled back
		self.assertEqual(
			frappe.db.count("Courrier", {"name": ["in", list(bookkept("courrier").values())]}), 4
		)

		resumed = import_database(legacy, batch_size=4)
		self.assertEqual(resumed.already["courrier"], 4)
		self.assertEqual(resumed.imported["courrier"], 12)
		names = list(bookkept("courrier").values())
		self.assertEqual(len(names), 16)
		self.assertEqual(frappe.db.count("Courrier", {"name": ["in", names]}), 16)
		self.assertEqual(failures(resumed), DATABASE_FAILURES)
