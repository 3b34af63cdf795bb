# Copyright (c) 2026, Secrétariat Général des Mines
# License: MIT. See license.txt

import json
import os

import frappe
from frappe.utils import now_datetime

from gec_mines.core import numbering
from gec_mines.numbering import format_for
from gec_mines.tests.utils import PDF, PNG, GECTestCase, make_courrier, make_user, upload


def private_files() -> set[str]:
	return set(os.listdir(frappe.get_site_path("private", "files")))


def counter(direction: str) -> int:
	key = numbering.render(format_for(direction), now_datetime().date()).series_key
	value = frappe.db.sql("select `current` from `tabSeries` where `name` = %s", (key,))
	return int(value[0][0]) if value else 0


class TestRegistration(GECTestCase):
	def test_incoming_mail_gets_the_next_number_and_the_server_date(self):
		before = counter("Entrant")
		courrier = make_courrier("Entrant")
		year = now_datetime().year
		self.assertEqual(courrier.name, f"GEC-E-{year}-{before + 1:05d}")
		self.assertEqual(courrier.numero_accuse_reception, courrier.name)
		self.assertEqual(courrier.statut, "RECU")
		self.assertLess(abs((now_datetime() - courrier.date_enregistrement).total_seconds()), 60)

	def test_outgoing_mail_has_its_own_counter(self):
		before_in, before_out = counter("Entrant"), counter("Sortant")
		courrier = make_courrier("Sortant")
		self.assertTrue(courrier.name.startswith(f"GEC-S-{now_datetime().year}-"))
		self.assertEqual(counter("Sortant"), before_out + 1)
		self.assertEqual(counter("Entrant"), before_in)

	def test_registration_date_cannot_be_chosen_by_the_client(self):
		courrier = make_courrier(date_enregistrement="2001-01-01 10:00:00")
		self.assertEqual(courrier.date_enregistrement.year, now_datetime().year)

	def test_sg_copy_answer_sets_the_flag(self):
		self.assertEqual(make_courrier(copie_sg="Oui").secretaire_general_copie, 1)
		self.assertEqual(make_courrier(copie_sg="Non").secretaire_general_copie, 0)

	def test_attachment_is_private_and_linked_to_the_mail(self):
		courrier = make_courrier(attach=PNG, file_name="scan.png")
		file = frappe.get_doc("File", {"file_url": courrier.fichier})
		self.assertEqual(
			(file.attached_to_doctype, file.attached_to_name, file.is_private), ("Courrier", courrier.name, 1)
		)

	def test_same_reference_from_same_sender_is_flagged_as_probable_duplicate(self):
		reference = "KCC/DG/" + frappe.generate_hash(length=6)
		first = make_courrier(numero_reference=reference, expediteur="Kamoto Copper Company SA")
		second = make_courrier(numero_reference=reference, expediteur="Kamoto Copper Company SA")
		other_sender = make_courrier(numero_reference=reference, expediteur="Sicomines SA")
		self.assertEqual(
			(first.doublon_probable, second.doublon_probable, other_sender.doublon_probable), (0, 1, 0)
		)

	def test_every_change_is_kept_in_the_timeline(self):
		courrier = make_courrier()
		frappe.flags.in_test = False  # Frappe skips versions in tests; the registry relies on them
		try:
			courrier.objet = "Objet corrigé après vérification"
			courrier.save()
		finally:
			frappe.flags.in_test = True
		version = frappe.get_last_doc(
			"Version", filters={"ref_doctype": "Courrier", "docname": courrier.name}
		)
		changed = {field: new for field, _old, new in json.loads(version.data)["changed"]}
		self.assertEqual(changed["objet"], "Objet corrigé après vérification")

	def test_manual_numbering_checks_uniqueness_and_characters(self):
		frappe.db.set_single_value("GEC Settings", "mode_numerotation", "Manuel")
		try:
			number = "AR/2026/" + frappe.generate_hash(length=5).upper()
			self.assertEqual(make_courrier(numero_accuse_reception=number).name, number)
			with self.assertRaises(frappe.DuplicateEntryError):
				make_courrier(numero_accuse_reception=number)
			with self.assertRaisesRegex(frappe.ValidationError, "lettres|letters"):
				make_courrier(numero_accuse_reception="<b>42</b>")
		finally:
			frappe.db.set_single_value("GEC Settings", "mode_numerotation", "Automatique")


class TestRefusals(GECTestCase):
	"""Bad input is refused with a message naming the field, and leaves nothing behind:
	no File record, no file on disk, no number consumed (the request is rolled back)."""

	def setUp(self):
		previous, frappe.local.lang = frappe.local.lang, "fr"  # a French-speaking clerk, as the site default
		self.addCleanup(setattr, frappe.local, "lang", previous)

	def assert_refused_leaving_nothing(self, message: str, register, direction: str = "Entrant"):
		frappe.db.commit()  # nosemgrep: what exists before the request stays
		files, on_disk, number = frappe.db.count("File"), private_files(), counter(direction)
		with self.assertRaises(frappe.ValidationError) as caught:
			register()
		frappe.db.rollback()  # what the request handler does with a refused request
		self.assertIn(message, str(caught.exception))
		self.assertEqual(frappe.db.count("File"), files)
		self.assertEqual(private_files(), on_disk)
		self.assertEqual(counter(direction), number)

	def test_missing_subject(self):
		self.assert_refused_leaving_nothing("Objet", lambda: make_courrier(objet="  "))

	def test_missing_sender_of_incoming_mail(self):
		self.assert_refused_leaving_nothing("Expéditeur", lambda: make_courrier(expediteur=""))

	def test_missing_sg_copy_answer(self):
		self.assert_refused_leaving_nothing("Secrétaire Général", lambda: make_courrier(copie_sg=""))

	def test_outgoing_mail_needs_recipient_date_and_type(self):
		for field, label in (
			("destinataire", "Destinataire"),
			("date_redaction", "Date"),
			("type_document", "Type"),
		):
			self.assert_refused_leaving_nothing(
				label, lambda f=field: make_courrier("Sortant", **{f: None}), "Sortant"
			)

	def test_type_not_valid_for_the_direction(self):
		self.assert_refused_leaving_nothing(
			"Note circulaire", lambda: make_courrier("Entrant", type_document="Note circulaire")
		)

	def test_attachment_that_is_not_a_pdf_or_image_by_content(self):
		self.assert_refused_leaving_nothing(
			"TIFF", lambda: make_courrier(attach=b"<svg onload=alert(1)></svg>", file_name="lettre.pdf")
		)
		self.assert_refused_leaving_nothing(
			"TIFF", lambda: make_courrier(attach=b"PK\x03\x04 fake zip", file_name="rapport.pdf")
		)

	def test_attachment_whose_name_lies_about_its_content(self):
		self.assert_refused_leaving_nothing("PNG", lambda: make_courrier(attach=PNG, file_name="scan.pdf"))

	def test_oversized_attachment(self):
		frappe.db.set_single_value("GEC Settings", "taille_max_mo", 1)
		try:
			big = PDF + b"0" * (1024 * 1024 + 10)
			self.assert_refused_leaving_nothing("1", lambda: make_courrier(attach=big, file_name="gros.pdf"))
		finally:
			frappe.db.set_single_value("GEC Settings", "taille_max_mo", 16)
			frappe.db.commit()  # nosemgrep: restore the committed setting

	def test_inactive_status_and_type(self):
		frappe.db.set_value("Statut Courrier", "ARCHIVE", "actif", 0)
		frappe.db.set_value("Type Courrier", "Invitation", "actif", 0)
		try:
			self.assert_refused_leaving_nothing("ARCHIVE", lambda: make_courrier(statut="ARCHIVE"))
			self.assert_refused_leaving_nothing(
				"Invitation", lambda: make_courrier(type_document="Invitation")
			)
		finally:
			frappe.db.set_value("Statut Courrier", "ARCHIVE", "actif", 1)
			frappe.db.set_value("Type Courrier", "Invitation", "actif", 1)
			frappe.db.commit()  # nosemgrep

	def test_main_attachment_must_belong_to_the_mail(self):
		other = make_courrier()
		self.assert_refused_leaving_nothing(
			"Pièce jointe principale",
			lambda: frappe.get_doc(
				{
					"doctype": "Courrier",
					"type_courrier": "Entrant",
					"objet": "Pièce d'un autre courrier",
					"expediteur": "Tiers",
					"copie_sg": "Non",
					"fichier": other.fichier,
				}
			).insert(),
		)

	def test_public_upload_is_refused(self):
		self.assert_refused_leaving_nothing("Privé", lambda: upload(PDF, "public.pdf", is_private=0))


class TestTrash(GECTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.agent = make_user("agent.corbeille@example.com", ["GEC Agent Courrier"])
		cls.sg = make_user("sg.corbeille@example.com", ["GEC Secretaire General"])
		cls.admin = make_user("admin.corbeille@example.com", ["GEC Administrateur"])

	def test_no_role_can_delete_a_courrier(self):
		for role in frappe.get_all("DocPerm", filters={"parent": "Courrier"}, fields=["role", "delete"]):
			self.assertFalse(role.delete, role.role)
		courrier = make_courrier()
		with self.assertRaises(frappe.PermissionError):
			frappe.delete_doc("Courrier", courrier.name, ignore_permissions=True)

	def test_trash_then_restore(self):
		courrier = make_courrier()
		frappe.set_user(self.agent)
		try:
			courrier.reload()
			courrier.mettre_a_la_corbeille()
			self.assertEqual((courrier.is_deleted, courrier.supprime_par), (1, self.agent))
			self.assertIsNotNone(courrier.supprime_le)
			with self.assertRaises(frappe.ValidationError):
				courrier.reload()
				courrier.objet = "Modification dans la corbeille"
				courrier.save()
			with self.assertRaises(frappe.PermissionError):
				courrier.reload()
				courrier.restaurer()
			frappe.set_user(self.sg)
			courrier.reload()
			courrier.restaurer()
			self.assertEqual(
				(courrier.is_deleted, courrier.supprime_par, courrier.supprime_le), (0, None, None)
			)
		finally:
			frappe.set_user("Administrator")

	def test_trashed_mail_leaves_the_default_lists(self):
		kept, trashed = make_courrier(), make_courrier()
		trashed.mettre_a_la_corbeille()
		default = frappe.get_list(
			"Courrier", filters={"is_deleted": 0, "name": ["in", [kept.name, trashed.name]]}, pluck="name"
		)
		trash = frappe.get_list(
			"Courrier", filters={"is_deleted": 1, "name": ["in", [kept.name, trashed.name]]}, pluck="name"
		)
		self.assertEqual((default, trash), ([kept.name], [trashed.name]))

	def test_only_an_administrator_purges_and_the_purge_is_logged(self):
		courrier = make_courrier()
		file_url = courrier.fichier
		courrier.mettre_a_la_corbeille()
		frappe.set_user(self.sg)
		try:
			with self.assertRaises(frappe.PermissionError):
				frappe.get_doc("Courrier", courrier.name).purger()
			frappe.set_user(self.admin)
			frappe.get_doc("Courrier", courrier.name).purger()
		finally:
			frappe.set_user("Administrator")
		self.assertFalse(frappe.db.exists("Courrier", courrier.name))
		self.assertFalse(frappe.db.exists("File", {"file_url": file_url, "attached_to_name": courrier.name}))
		self.assertTrue(
			frappe.db.exists(
				"Activity Log", {"link_doctype": "Courrier", "link_name": courrier.name, "user": self.admin}
			)
		)
		self.assertTrue(
			frappe.db.exists(
				"Deleted Document", {"deleted_doctype": "Courrier", "deleted_name": courrier.name}
			)
		)

	def test_mail_outside_the_trash_cannot_be_purged(self):
		courrier = make_courrier()
		frappe.set_user(self.admin)
		try:
			with self.assertRaises(frappe.ValidationError):
				frappe.get_doc("Courrier", courrier.name).purger()
		finally:
			frappe.set_user("Administrator")

	def test_main_attachment_cannot_be_removed(self):
		courrier = make_courrier()
		with self.assertRaises(frappe.ValidationError):
			frappe.delete_doc(
				"File",
				frappe.db.get_value(
					"File", {"file_url": courrier.fichier, "attached_to_name": courrier.name}
				),
			)


class TestListFilters(GECTestCase):
	"""Every filter of the legacy list returns exactly the right rows."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.token = "TOK" + frappe.generate_hash(length=6)
		t = cls.token
		cls.a = make_courrier(
			"Entrant",
			objet=f"Permis {t} cuivre",
			expediteur="Kamoto Copper Company SA",
			numero_reference=f"KCC/{t}/1",
			copie_sg="Oui",
			type_document="Lettre",
			date_redaction="2024-03-10",
		)
		cls.b = make_courrier(
			"Entrant",
			objet=f"Redevance {t} cobalt",
			expediteur="Coopérative minière de Kolwezi",
			copie_sg="Non",
			statut="EN_COURS",
			date_redaction="2025-06-01",
		)
		cls.c = make_courrier(
			"Sortant",
			objet=f"Convocation {t}",
			destinataire="Division provinciale des Mines du Lualaba",
			type_document="Convocation",
			date_redaction="2025-07-15",
		)
		frappe.db.set_value("Courrier", cls.a.name, "date_enregistrement", "2025-01-10 09:00:00")
		frappe.db.set_value("Courrier", cls.b.name, "date_enregistrement", "2025-02-20 15:30:00")
		frappe.db.set_value("Courrier", cls.c.name, "date_enregistrement", "2025-03-05 11:00:00")

	def rows(self, *filters) -> set[str]:
		return set(
			frappe.get_list(
				"Courrier", filters=[["texte_recherche", "like", f"%{self.token}%"], *filters], pluck="name"
			)
		)

	def test_free_text_finds_number_reference_subject_and_correspondents(self):
		a, b, c = self.a.name, self.b.name, self.c.name
		self.assertEqual(self.rows(["texte_recherche", "like", "%kamoto%"]), {a})
		self.assertEqual(
			self.rows(["texte_recherche", "like", "%cooperative%"]), {b}
		)  # accents do not matter
		self.assertEqual(self.rows(["texte_recherche", "like", "%LUALABA%"]), {c})  # nor does case
		self.assertEqual(self.rows(["texte_recherche", "like", f"%KCC/{self.token}%"]), {a})
		self.assertEqual(self.rows(["texte_recherche", "like", f"%{b}%"]), {b})
		self.assertEqual(
			self.rows(["texte_recherche", "like", "%redevance%"], ["texte_recherche", "like", "%cobalt%"]),
			{b},
		)

	def test_direction_type_status_and_sg_copy(self):
		a, b, c = self.a.name, self.b.name, self.c.name
		self.assertEqual(self.rows(["type_courrier", "=", "Entrant"]), {a, b})
		self.assertEqual(self.rows(["type_courrier", "=", "Sortant"]), {c})
		self.assertEqual(self.rows(["type_document", "=", "Convocation"]), {c})
		self.assertEqual(self.rows(["statut", "=", "EN_COURS"]), {b})
		self.assertEqual(self.rows(["secretaire_general_copie", "=", 1]), {a})
		self.assertEqual(self.rows(["secretaire_general_copie", "=", 0]), {b, c})

	def test_date_ranges_include_their_last_day(self):
		a, b, c = self.a.name, self.b.name, self.c.name
		self.assertEqual(self.rows(["date_enregistrement", "between", ["2025-01-10", "2025-02-20"]]), {a, b})
		self.assertEqual(self.rows(["date_enregistrement", "between", ["2025-02-21", "2025-12-31"]]), {c})
		self.assertEqual(self.rows(["date_redaction", "between", ["2025-01-01", "2025-06-01"]]), {b})
		self.assertEqual(self.rows(["date_redaction", "<", "2025-01-01"]), {a})

	def test_legacy_sort_keys(self):
		for key in ("date_enregistrement", "numero_accuse_reception", "expediteur", "objet", "statut"):
			names = frappe.get_list(
				"Courrier",
				filters=[["texte_recherche", "like", f"%{self.token}%"]],
				order_by=f"{key} asc",
				pluck="name",
			)
			self.assertEqual(len(names), 3, key)
		by_date = frappe.get_list(
			"Courrier",
			filters=[["texte_recherche", "like", f"%{self.token}%"]],
			order_by="date_enregistrement desc",
			pluck="name",
		)
		self.assertEqual(by_date, [self.c.name, self.b.name, self.a.name])

	def test_every_filter_has_an_index(self):
		indexed = {row[4] for row in frappe.db.sql("show index from `tabCourrier`")}
		for field in (
			"type_courrier",
			"type_document",
			"statut",
			"secretaire_general_copie",
			"date_enregistrement",
			"date_redaction",
			"expediteur",
			"destinataire",
			"numero_reference",
			"is_deleted",
			"mots_recherche",  # the search box's words (gec_mines.recherche)
		):
			self.assertIn(field, indexed)

	def test_senders_and_recipients_directory(self):
		from gec_mines.gec_mines.report.annuaire_des_correspondants.annuaire_des_correspondants import execute

		_columns, data = execute({"correspondant": "Kolwezi"})
		row = next(r for r in data if r["correspondant"] == "Coopérative minière de Kolwezi")
		self.assertGreaterEqual(row["recus"], 1)
		self.assertEqual(row["envoyes"], 0)
		self.assertEqual(str(row["dernier"])[:10] >= "2025-02-20", True)
