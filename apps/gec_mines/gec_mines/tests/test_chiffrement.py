"""Encrypted fields and attachments: nothing readable at rest, plaintext for readers only, key rotation."""

import glob
import gzip
import hashlib
import json
import os
from unittest.mock import patch

import frappe

from gec_mines import chiffrement
from gec_mines.core import chiffrement as crypto
from gec_mines.tests.utils import PDF, GECTestCase, as_user, make_courrier, make_gec_users, route

SENSITIVE = ("objet", "expediteur", "numero_reference", "autres_informations")


def markers(tag: str) -> dict[str, str]:
	"""A unique readable value per sensitive field, to look for wherever it must not be."""
	token = frappe.generate_hash(length=10)
	return {
		"objet": f"Litige minier {tag} {token}-objet",
		"expediteur": f"Société Minière {tag} {token}-exp",
		"numero_reference": f"REF/{token}-ref",
		"autres_informations": f"Pièces jointes {tag} {token}-autres",
	}


def securite_users(case) -> dict[str, str]:
	"""One user per GEC profile for the security tests, created once and kept: Frappe refuses more
	than 60 new users an hour, and the whole suite comes close. The departments get their heads
	back when `case` (the test class) is done, since some of these tests commit."""
	heads = {dept: frappe.db.get_value("Departement", dept, "chef") for dept in ("JUR", "TECH")}

	def restore_heads():  # a class cleanup, run before Frappe's own rollback: roll back first
		frappe.db.rollback()
		for dept, head in heads.items():
			frappe.db.set_value("Departement", dept, "chef", head)
		frappe.db.commit()

	users = make_gec_users("securite")
	frappe.db.commit()
	case.addClassCleanup(restore_heads)
	return users


def unique_pdf() -> bytes:
	"""A PDF of its own: Frappe stores identical uploads once, and these tests alter files on disk."""
	return PDF.replace(b"%%EOF", f"% {frappe.generate_hash(length=12)}\n%%EOF".encode())


def raw_row(name: str) -> dict:
	return frappe.db.sql("select * from `tabCourrier` where name = %s", name, as_dict=True)[0]


def file_bytes(name: str) -> bytes:
	file = frappe.get_doc("File", {"attached_to_doctype": "Courrier", "attached_to_name": name})
	with open(chiffrement.chemin_fichier(file), "rb") as fh:
		return fh.read()


def version_1_file(ring: crypto.Keyring, data: bytes, aad_parts) -> bytes:
	"""An attachment as the first file envelope wrote it: under the master key itself."""
	key = ring.current
	kid = key.kid.encode()
	header = crypto.FILE_MAGIC + bytes([1, len(kid)]) + kid + os.urandom(crypto.FILE_NONCE_PREFIX)
	nonce = crypto._chunk_nonce(header[-crypto.FILE_NONCE_PREFIX :], 0, True)
	return header + key._aead.encrypt(nonce, data, crypto._aad(header, aad_parts))


class TestChiffrement(GECTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		chiffrement.trousseau()  # the site's key (created at installation, or now on an older site)
		cls.users = securite_users(cls)

	def register(
		self, level: str = "Confidentiel", attach: bytes | None = None, **values
	) -> tuple[str, dict]:
		values = {**markers(level), **values}
		with as_user(self.users["agent"]):
			doc = make_courrier(confidentialite=level, attach=attach or unique_pdf(), **values)
		return doc.name, values

	def test_the_row_of_a_confidential_mail_holds_no_plaintext_of_its_sensitive_fields(self):
		name, values = self.register()
		row = raw_row(name)
		for field in SENSITIVE:
			self.assertTrue(crypto.is_encrypted(row[field]), field)
			self.assertTrue(row[field].startswith(f"gec:v1:{chiffrement.trousseau().current.kid}:"))
		dump = repr(row)
		for value in values.values():
			self.assertNotIn(value.split()[-1], dump)
		self.assertNotIn("gec:v", row.texte_recherche)
		self.assertEqual(row.texte_recherche, name)
		for field in chiffrement.INDEXED:
			self.assertEqual(len(row[f"{field}_index"] or ""), 0 if field == "destinataire" else 32, field)

	def test_normal_mail_encrypts_only_the_other_information_by_default(self):
		name, values = self.register("Normal")
		row = raw_row(name)
		self.assertEqual(row.objet, values["objet"])
		self.assertEqual(row.expediteur, values["expediteur"])
		self.assertTrue(crypto.is_encrypted(row.autres_informations))
		self.assertIn(values["objet"], row.texte_recherche)
		self.assertFalse(row.expediteur_index)

	def test_readers_see_plaintext_in_the_form_the_api_and_the_print_others_see_nothing(self):
		from frappe.api.v1 import read_doc
		from frappe.desk.form.load import getdoc
		from frappe.www.printview import get_html_and_style

		name, values = self.register()
		for reader in ("agent", "sg", "auditeur"):
			with as_user(self.users[reader]):
				frappe.local.response = frappe._dict(docs=[])
				getdoc("Courrier", name)
				form = frappe.response.docs[0]
				api = read_doc("Courrier", name)
				html = get_html_and_style("Courrier", name)["html"]
				for field, value in values.items():
					self.assertEqual(form.get(field), value, (reader, field))
					self.assertEqual(api.get(field), value, (reader, field))
				self.assertIn(values["expediteur"].split()[-1], html)
		with as_user(self.users["chef_tech"]):
			with self.assertRaises(frappe.PermissionError):
				read_doc("Courrier", name)
		frappe.local.response = frappe._dict()

	def test_lists_and_values_read_from_the_database_get_envelopes_never_plaintext(self):
		name, _values = self.register()
		with as_user(self.users["agent"]):
			row = frappe.get_list("Courrier", filters={"name": name}, fields=list(SENSITIVE))[0]
		for field in SENSITIVE:
			self.assertTrue(crypto.is_encrypted(row[field]))
			self.assertEqual(chiffrement.masque(row[field]), crypto.MASK)
		self.assertEqual(chiffrement.masque("Ordinaire"), "Ordinaire")

	def test_saving_without_changes_keeps_the_same_ciphertext(self):
		name, values = self.register()
		before = raw_row(name)
		with as_user(self.users["agent"]):
			doc = frappe.get_doc("Courrier", name)
			doc.apply_fieldlevel_read_permissions()  # plaintext, as a form sends it back
			self.assertEqual(doc.objet, values["objet"])
			doc.priorite = "Urgente"
			doc.save()
		after = raw_row(name)
		for field in SENSITIVE:
			self.assertEqual(before[field], after[field], field)
		with as_user(self.users["agent"]):
			doc = frappe.get_doc("Courrier", name)
			doc.objet = "Nouvel objet confidentiel"
			doc.save()
		changed = raw_row(name)
		self.assertNotEqual(changed.objet, before.objet)
		self.assertEqual(changed.expediteur, before.expediteur)

	def test_the_history_of_a_mail_shows_the_mask_for_encrypted_values(self):
		name, _values = self.register()
		with as_user(self.users["agent"]):
			old = frappe.get_doc("Courrier", name)
			doc = frappe.get_doc("Courrier", name)
			doc.objet = "Objet corrigé"
			doc.priorite = "Urgente"
			doc.save()
		version = frappe.new_doc("Version")
		version.update_version_info(old, doc)
		chiffrement.masquer_version(version)
		changed = {field: (before, after) for field, before, after in json.loads(version.data)["changed"]}
		self.assertEqual(changed["objet"], (crypto.MASK, crypto.MASK))
		self.assertEqual(changed["priorite"], ("Normale", "Urgente"))
		self.assertNotIn("gec:v1", version.data)

	def test_a_changed_character_of_ciphertext_is_refused_and_nothing_is_overwritten(self):
		from frappe.desk.form.load import getdoc

		name, _values = self.register()
		envelope = raw_row(name).expediteur
		altered = envelope[:-5] + ("A" if envelope[-5] != "A" else "B") + envelope[-4:]
		frappe.db.set_value("Courrier", name, "expediteur", altered, update_modified=False)
		with as_user(self.users["sg"]):
			frappe.local.response = frappe._dict(docs=[])
			getdoc("Courrier", name)
			self.assertEqual(frappe.response.docs[0].expediteur, altered)  # shown masked, never guessed
			self.assertTrue(any("altered" in str(m) or "altéré" in str(m) for m in frappe.local.message_log))
			frappe.clear_messages()
		with as_user(self.users["agent"]):
			doc = frappe.get_doc("Courrier", name)
			doc.priorite = "Urgente"
			with self.assertRaises(frappe.ValidationError):
				doc.save()
		self.assertEqual(raw_row(name).expediteur, altered)
		self.assertTrue(
			frappe.db.exists("Journal Securite GEC", {"evenement": "Intégrité compromise", "courrier": name})
		)
		frappe.local.response = frappe._dict()

	def test_a_value_moved_to_another_mail_does_not_open(self):
		first, _ = self.register()
		second, _ = self.register()
		frappe.db.set_value("Courrier", second, "objet", raw_row(first).objet, update_modified=False)
		with as_user(self.users["agent"]):
			doc = frappe.get_doc("Courrier", second)
			with self.assertRaises(frappe.ValidationError):
				doc.save()

	def test_a_missing_or_wrong_key_is_a_clear_error_and_never_overwrites(self):
		name, _values = self.register()
		stored = raw_row(name)
		current = chiffrement.trousseau().current.kid
		cases = {
			chiffrement.ENV_KEY_FILE: "/nonexistent/gec/{site}.keys",  # key file lost
			chiffrement.ENV_KEYS: crypto.generate_key(current),  # same id, other key
		}
		for variable, value in cases.items():
			with patch.dict(os.environ, {variable: value}):
				with as_user(self.users["agent"]):
					doc = frappe.get_doc("Courrier", name)
					doc.objet = "Remplacement"
					with self.assertRaises(frappe.ValidationError) as caught:
						doc.save()
					self.assertTrue(str(caught.exception), variable)
				self.assertEqual(raw_row(name).objet, stored.objet)
				if variable == chiffrement.ENV_KEY_FILE:
					with self.assertRaises(frappe.ValidationError):
						self.register()
			frappe.clear_messages()
		with patch.dict(os.environ, {chiffrement.ENV_KEYS: crypto.generate_key("autre")}):
			with self.assertRaises(frappe.ValidationError) as caught:
				chiffrement.lire_fichier(
					frappe.get_doc("File", {"attached_to_doctype": "Courrier", "attached_to_name": name})
				)
			self.assertIn(current, str(caught.exception))

	def test_a_key_file_readable_by_others_is_refused(self):
		path = chiffrement.source_cle().path
		os.chmod(path, 0o644)
		try:
			with self.assertRaises(frappe.ValidationError) as caught:
				chiffrement.trousseau()
			self.assertIn("chmod 600", str(caught.exception))
		finally:
			os.chmod(path, 0o600)

	def test_raising_the_level_encrypts_and_lowering_it_decrypts(self):
		name, values = self.register("Normal")
		with as_user(self.users["agent"]):
			doc = frappe.get_doc("Courrier", name)
			doc.confidentialite = "Secret"
			doc.save()
		row = raw_row(name)
		self.assertTrue(all(crypto.is_encrypted(row[f]) for f in SENSITIVE))
		self.assertTrue(crypto.is_encrypted_bytes(file_bytes(name)))
		# as Administrator, the one declassifying (the desk no longer sees Secret mail)
		frappe.get_doc("Courrier", name).changer_confidentialite("Normal", "Déclassifié après examen")
		row = raw_row(name)
		self.assertEqual(row.objet, values["objet"])
		self.assertEqual(row.numero_reference, values["numero_reference"])
		self.assertTrue(crypto.is_encrypted(row.autres_informations))

	def test_the_settings_choose_the_encrypted_fields(self):
		settings = frappe.get_doc("GEC Settings")
		self.assertEqual(chiffrement.champs_a_chiffrer("Normal"), {"autres_informations"})
		self.assertEqual(chiffrement.champs_a_chiffrer("Secret"), set(chiffrement.ENCRYPTABLE))
		saved = {check: settings.get(check) for check in chiffrement.SETTINGS_CHECKS}
		settings.chiffrer_objet = 1
		settings.chiffrer_autres_informations_protege = 0
		settings.chiffrer_autres_informations = 0
		settings.save()
		try:
			name, values = self.register("Normal")
			row = raw_row(name)
			self.assertTrue(crypto.is_encrypted(row.objet))
			self.assertEqual(row.autres_informations, values["autres_informations"])
			self.assertEqual(
				chiffrement.champs_a_chiffrer("Secret") - {"objet"},
				{"expediteur", "destinataire", "numero_reference"},
			)
		finally:
			settings.reload()
			settings.update(saved)
			settings.save()

	def test_values_too_long_to_be_encrypted_are_refused_with_the_field_named(self):
		with self.assertRaises(frappe.ValidationError) as caught:
			self.register(numero_reference="R" * 101)
		self.assertIn("101", str(caught.exception))
		with self.assertRaises(frappe.ValidationError):
			self.register(expediteur="É" * 199)  # 199 characters but 398 bytes: too long once encrypted

	def test_exact_match_search_finds_encrypted_mail_through_the_blind_index(self):
		from gec_mines.api.securite import recherche_exacte

		name, values = self.register()
		plain, plain_values = self.register("Normal")
		typed = "  " + values["expediteur"].upper().replace("É", "E") + " "
		with as_user(self.users["agent"]):
			self.assertEqual(recherche_exacte("expediteur", typed), [name])
			self.assertEqual(recherche_exacte("numero_reference", values["numero_reference"]), [name])
			self.assertEqual(recherche_exacte("expediteur", plain_values["expediteur"]), [plain])
		with as_user(self.users["gest_tech"]):
			self.assertEqual(recherche_exacte("expediteur", typed), [])
		with self.assertRaises(frappe.ValidationError):
			recherche_exacte("autres_informations", "x")

	def test_attachments_of_confidential_mail_are_encrypted_and_served_decrypted_to_readers(self):
		from gec_mines.api.securite import telecharger_fichier

		secret_pdf = unique_pdf().replace(b"%%EOF", b"% piece-secrete-marker\n%%EOF")
		name, _ = self.register(attach=secret_pdf)
		stored = file_bytes(name)
		self.assertTrue(crypto.is_encrypted_bytes(stored))
		self.assertNotIn(b"piece-secrete-marker", stored)
		file = frappe.get_doc("File", {"attached_to_doctype": "Courrier", "attached_to_name": name})
		self.assertEqual(file.gec_sha256, hashlib.sha256(secret_pdf).hexdigest())
		with as_user(self.users["agent"]):
			telecharger_fichier(file.name)
			self.assertEqual(frappe.local.response.filecontent, secret_pdf)
			self.assertEqual(frappe.local.response.type, "download")
		with as_user(self.users["gest_jur"]):
			with self.assertRaises(frappe.PermissionError):
				telecharger_fichier(file.name)
		frappe.local.response = frappe._dict()
		self.assertTrue(
			frappe.db.exists(
				"Journal Securite GEC",
				{"evenement": "Téléchargement", "courrier": name, "utilisateur": self.users["agent"]},
			)
		)
		self.assertTrue(
			frappe.db.exists(
				"Journal Securite GEC",
				{"evenement": "Accès refusé", "courrier": name, "utilisateur": self.users["gest_jur"]},
			)
		)

	def test_a_changed_byte_of_an_encrypted_attachment_is_refused(self):
		from gec_mines.api.securite import telecharger_fichier

		name, _ = self.register()
		file = frappe.get_doc("File", {"attached_to_doctype": "Courrier", "attached_to_name": name})
		path = chiffrement.chemin_fichier(file)
		data = bytearray(file_bytes(name))
		data[-20] ^= 1
		with open(path, "wb") as fh:
			fh.write(data)
		with as_user(self.users["agent"]):
			with self.assertRaises(frappe.ValidationError) as caught:
				telecharger_fichier(file.name)
		self.assertIn("altered", str(caught.exception))
		self.assertIn(file.file_name, str(caught.exception))
		os.remove(path)  # its File row goes with the test's rollback
		frappe.local.response = frappe._dict()

	def test_a_plain_attachment_whose_bytes_changed_is_refused_by_its_checksum(self):
		from gec_mines.api.securite import telecharger_fichier

		name, _ = self.register("Normal")
		file = frappe.get_doc("File", {"attached_to_doctype": "Courrier", "attached_to_name": name})
		with open(chiffrement.chemin_fichier(file), "ab") as fh:
			fh.write(b"\n% ajout")
		with as_user(self.users["agent"]):
			with self.assertRaises(frappe.ValidationError) as caught:
				telecharger_fichier(file.name)
		self.assertIn(file.file_name, str(caught.exception))
		self.assertIn("checksum", str(caught.exception))
		os.remove(chiffrement.chemin_fichier(file))
		frappe.local.response = frappe._dict()

	def test_private_file_url_of_an_encrypted_attachment_redirects_to_the_decrypting_endpoint(self):
		from types import SimpleNamespace

		from werkzeug.exceptions import HTTPException

		name, _ = self.register()
		file = frappe.get_doc("File", {"attached_to_doctype": "Courrier", "attached_to_name": name})
		frappe.local.request = SimpleNamespace(path=file.file_url, method="GET", headers={})
		try:
			with as_user(self.users["agent"]):
				with self.assertRaises(HTTPException) as caught:
					file.is_downloadable()
				response = caught.exception.get_response()
				self.assertEqual(response.status_code, 302)
				self.assertIn(f"gec_mines.api.telecharger_fichier?name={file.name}", response.location)
			with as_user(self.users["gest_tech"]):
				self.assertFalse(file.is_downloadable())
		finally:
			del frappe.local.request

	def test_each_attachment_is_encrypted_under_a_key_of_its_own(self):
		first, _ = self.register()
		second, _ = self.register()
		heads = [file_bytes(name)[: crypto.FILE_HEADER_MAX] for name in (first, second)]
		kid = chiffrement.trousseau().current.kid
		for head in heads:
			self.assertEqual(crypto.file_version(head), crypto.FILE_VERSION)
			self.assertTrue(crypto.file_is_current(chiffrement.trousseau(), head))
		salts = {head[len(crypto.FILE_MAGIC) + 2 + len(kid) :] for head in heads}
		self.assertEqual(len(salts), 2)

	def test_an_attachment_encrypted_before_files_had_their_own_key_opens_and_rotation_rekeys_it(self):
		from gec_mines.api.securite import telecharger_fichier

		content = unique_pdf()
		name, _ = self.register("Normal", attach=content)
		file = frappe.get_doc("File", {"attached_to_doctype": "Courrier", "attached_to_name": name})
		path = chiffrement.chemin_fichier(file)
		with open(path, "wb") as fh:
			fh.write(version_1_file(chiffrement.trousseau(), content, ("File", file.gec_sha256)))
		with as_user(self.users["agent"]):
			telecharger_fichier(file.name)
			self.assertEqual(frappe.local.response.filecontent, content)
		frappe.local.response = frappe._dict()
		self.assertTrue(chiffrement._recle_fichier(chiffrement.trousseau(), file))
		self.assertTrue(crypto.file_is_current(chiffrement.trousseau(), file_bytes(name)))
		self.assertEqual(chiffrement.lire_fichier(file), content)
		self.assertFalse(chiffrement._recle_fichier(chiffrement.trousseau(), file))

	def test_a_backup_holds_no_plaintext_of_confidential_mail(self):
		from frappe.utils.backups import new_backup

		name, values = self.register()
		with as_user(self.users["agent"]):
			frappe.get_doc("Courrier", name).commenter("Commentaire", "Vu")
		frappe.db.commit()  # the dump reads committed rows through its own connection
		backup = new_backup(ignore_files=True, force=True)
		try:
			with gzip.open(backup.backup_path_db, "rb") as fh:
				dump = fh.read()
			self.assertIn(name.encode(), dump)
			for value in values.values():
				self.assertNotIn(value.encode(), dump)
				self.assertNotIn(value.split()[-1].encode(), dump)
			self.assertNotIn(b"gec_encryption_keys", dump)
			with open(backup.backup_path_conf, "rb") as fh:
				self.assertNotIn(
					chiffrement.entrees_fichier(chiffrement.source_cle().path)[0].encode(), fh.read()
				)
		finally:
			for path in (backup.backup_path_db, backup.backup_path_conf):
				if path and os.path.exists(path):
					os.remove(path)


class TestRotation(GECTestCase):
	ROWS = 10_000

	def test_rotation_over_10000_rows_interrupted_and_resumed_leaves_everything_readable_with_the_new_key_only(
		self,
	):
		old = chiffrement.trousseau()
		users = securite_users(type(self))
		attachment = unique_pdf()
		with as_user(users["agent"]):
			with_file = make_courrier(
				confidentialite="Confidentiel", objet="Rotation avec pièce jointe", attach=attachment
			)
		prefix = "ROT-" + frappe.generate_hash(length=6) + "-"
		names = [f"{prefix}{i:05d}" for i in range(self.ROWS)]
		self.bulk_rows(old, names)
		frappe.db.commit()
		try:
			new_kid = chiffrement.nouvelle_cle()
			self.assertEqual(chiffrement.trousseau().current.kid, new_kid)
			self.assertEqual(len(chiffrement.trousseau()), len(old) + 1)

			class Crash(Exception):
				pass

			def crash_after_three_batches(state):
				if state["done"] >= 3 * 1000:
					raise Crash

			with self.assertRaises(Crash):
				chiffrement.executer_rotation(batch=1000, apres_lot=crash_after_three_batches)
			partial = chiffrement.etat_rotation()
			self.assertEqual(partial["status"], "running")
			self.assertGreater(self.under(new_kid, prefix), 0)
			self.assertLess(self.under(new_kid, prefix), self.ROWS)

			done = chiffrement.executer_rotation(batch=1000)
			self.assertEqual(done["status"], "done")
			self.assertEqual(done["failed"], [])
			self.assertEqual(self.under(new_kid, prefix), self.ROWS)

			new_only = crypto.Keyring([chiffrement.trousseau().current])
			for row in frappe.db.sql(
				"select name, objet, expediteur, numero_reference, autres_informations, expediteur_index"
				" from `tabCourrier` where name like %s",
				prefix + "%",
				as_dict=True,
			):
				i = int(row.name[-5:])
				self.assertEqual(
					crypto.decrypt_text(new_only, row.objet, ("Courrier", row.name, "objet")), f"Objet {i}"
				)
				self.assertEqual(
					crypto.decrypt_text(new_only, row.expediteur, ("Courrier", row.name, "expediteur")),
					f"Expéditeur {i % 50}",
				)
				self.assertEqual(
					row.expediteur_index, crypto.blind_index(new_only, "expediteur", f"Expéditeur {i % 50}")
				)
			file = frappe.get_doc(
				"File", {"attached_to_doctype": "Courrier", "attached_to_name": with_file.name}
			)
			with open(chiffrement.chemin_fichier(file), "rb") as fh:
				self.assertEqual(
					crypto.decrypt_bytes(new_only, fh.read(), ("File", file.gec_sha256)), attachment
				)

			retired = chiffrement.retirer_anciennes_cles()
			self.assertEqual(set(retired), set(old.kids))
			self.assertEqual(chiffrement.trousseau().kids, (new_kid,))
			self.assertTrue(glob.glob(chiffrement.source_cle().path + ".retired-*"))
		finally:
			frappe.db.sql("delete from `tabCourrier` where name like %s", prefix + "%")
			frappe.db.commit()

	def test_old_keys_are_kept_while_they_still_encrypt_something(self):
		name = make_courrier(
			confidentialite="Secret", objet="Garde des anciennes clés", attach=unique_pdf()
		).name
		frappe.db.commit()
		try:
			chiffrement.nouvelle_cle()
			with self.assertRaises(frappe.ValidationError):
				chiffrement.retirer_anciennes_cles()
			chiffrement.executer_rotation()
			chiffrement.retirer_anciennes_cles()
		finally:
			frappe.db.sql("delete from `tabCourrier` where name = %s", name)
			frappe.db.commit()

	def test_a_mail_edited_while_its_batch_rotates_keeps_the_edit_and_is_rotated_on_the_next_pass(self):
		name = make_courrier(confidentialite="Confidentiel", objet="Objet avant la rotation").name
		old_kid = chiffrement.trousseau().current.kid
		chiffrement.nouvelle_cle()
		ring = chiffrement.trousseau()
		batch = chiffrement.lire_courriers(names=[name])  # the rotation reads its batch...
		doc = frappe.get_doc("Courrier", name)  # ...and someone saves the mail meanwhile
		doc.objet = "Objet corrigé pendant la rotation"
		doc.save()

		changed, failed, skipped = chiffrement.aligner_lot(ring, batch)
		self.assertEqual((changed, failed, skipped), (0, [], [name]))
		row = raw_row(name)
		self.assertEqual(
			crypto.decrypt_text(ring, row.objet, chiffrement.aad(name, "objet")),
			"Objet corrigé pendant la rotation",
		)
		self.assertEqual(crypto.envelope_kid(row.expediteur), old_kid)

		changed, failed, skipped = chiffrement.aligner_lot(ring, chiffrement.lire_courriers(names=[name]))
		self.assertEqual((changed, failed, skipped), (1, [], []))
		row = raw_row(name)
		for field in ("objet", "expediteur"):
			self.assertEqual(crypto.envelope_kid(row[field]), ring.current.kid, field)
		self.assertEqual(
			crypto.decrypt_text(ring, row.objet, chiffrement.aad(name, "objet")),
			"Objet corrigé pendant la rotation",
		)

	def bulk_rows(self, ring, names):
		now = frappe.utils.now()
		fields = [
			"name",
			"creation",
			"modified",
			"owner",
			"modified_by",
			"type_courrier",
			"numero_accuse_reception",
			"confidentialite",
			"objet",
			"expediteur",
			"numero_reference",
			"autres_informations",
			"expediteur_index",
			"numero_reference_index",
			"texte_recherche",
		]
		rows = []
		for i, name in enumerate(names):
			sender, reference = f"Expéditeur {i % 50}", f"REF-{i}"

			def seal(field, value, name=name):
				return crypto.encrypt_text(ring, value, ("Courrier", name, field))

			rows.append(
				(
					name,
					now,
					now,
					"Administrator",
					"Administrator",
					"Entrant",
					name,
					"Confidentiel",
					seal("objet", f"Objet {i}"),
					seal("expediteur", sender),
					seal("numero_reference", reference),
					seal("autres_informations", f"Autres {i}"),
					crypto.blind_index(ring, "expediteur", sender),
					crypto.blind_index(ring, "numero_reference", reference),
					name,
				)
			)
		frappe.db.bulk_insert("Courrier", fields, rows, chunk_size=2000)

	def under(self, kid: str, prefix: str) -> int:
		return frappe.db.sql(
			"select count(*) from `tabCourrier` where name like %s and objet like %s",
			(prefix + "%", f"gec:v1:{kid}:%"),
		)[0][0]


class TestTextesRattaches(GECTestCase):
	"""No plaintext of a protected field in the records that hang off a courrier."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.users = securite_users(cls)

	def confidential_routed_mail(self) -> tuple[str, str]:
		objet = markers("rattache")["objet"]
		with as_user(self.users["agent"]):
			name = make_courrier(confidentialite="Confidentiel", objet=objet).name
		route(name, self.users["sg"], self.users["agent"], {"departement": "JUR"})
		return name, objet

	def texts(self, name: str, emails: bool = True) -> str:
		"""Everything stored about the mail outside its own row (e-mails already queued aside)."""
		rows = [
			*frappe.get_all("ToDo", {"reference_type": "Courrier", "reference_name": name}, ["description"]),
			*frappe.get_all(
				"Notification Log",
				{"document_type": "Courrier", "document_name": name},
				["subject", "email_content"],
			),
			*frappe.get_all(
				"Comment", {"reference_doctype": "Courrier", "reference_name": name}, ["content"]
			),
			*frappe.get_all("Version", {"ref_doctype": "Courrier", "docname": name}, ["data"]),
		]
		if emails:
			rows += frappe.get_all(
				"Email Queue", {"reference_doctype": "Courrier", "reference_name": name}, ["message"]
			)
		return repr(rows)

	def test_assigning_confidential_mail_writes_no_subject_into_todos_notifications_or_emails(self):
		from frappe.desk.form.assign_to import add

		name, objet = self.confidential_routed_mail()
		with as_user(self.users["chef_jur"]):
			frappe.get_doc("Courrier", name).assigner(self.users["gest_jur"])
			# the desk's "Assign to" copies the form's title, the subject in plaintext
			add(
				{
					"assign_to": [self.users["chef_jur"]],
					"doctype": "Courrier",
					"name": name,
					"description": objet,
				}
			)
		todos = frappe.get_all(
			"ToDo", {"reference_type": "Courrier", "reference_name": name}, ["description"]
		)
		self.assertEqual(len(todos), 2)
		self.assertTrue(all(crypto.MASK in todo.description for todo in todos))
		self.assertTrue(frappe.db.exists("Notification Log", {"document_name": name}))
		stored = self.texts(name)
		self.assertNotIn(objet.split()[-1], stored)
		self.assertNotIn("gec:v1:", stored)
		self.assertEqual(chiffrement.texte_affichable(frappe.get_doc("Courrier", name), "objet"), crypto.MASK)

	def test_a_notification_written_by_frappe_itself_gets_the_mask(self):
		name, objet = self.confidential_routed_mail()
		log = frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": self.users["sg"],
				"type": "Assignment",
				"document_type": "Courrier",
				"document_name": name,
				"subject": f"Administrator assigned a new task Courrier <b>{raw_row(name).objet}</b> to you",
				"email_content": f"<div>{objet}</div>",
			}
		).insert(ignore_permissions=True)
		self.assertNotIn("gec:v1:", log.subject)
		self.assertEqual(log.email_content, f"<div>{crypto.MASK}</div>")

	def test_raising_the_level_masks_what_was_written_while_the_mail_was_normal(self):
		from frappe.desk.form.assign_to import add

		first = markers("avant")["objet"]
		frappe.flags.in_test = False  # Frappe skips versions in tests
		self.addCleanup(setattr, frappe.flags, "in_test", True)
		with as_user(self.users["agent"]):
			name = make_courrier(objet=first).name
			doc = frappe.get_doc("Courrier", name)
			doc.objet = second = markers("ensuite")["objet"]
			doc.save()
		add({"assign_to": [self.users["sg"]], "doctype": "Courrier", "name": name, "description": first})
		self.assertIn(first.split()[-1], self.texts(name))
		self.assertIn(second.split()[-1], self.texts(name))
		self.assertEqual(chiffrement.texte_affichable(frappe.get_doc("Courrier", name), "objet"), second)

		with as_user(self.users["agent"]):
			doc = frappe.get_doc("Courrier", name)
			doc.confidentialite = "Confidentiel"
			doc.save()
		stored = self.texts(name, emails=False)  # e-mails queued while it was Normal have left
		for value in (first, second):
			self.assertNotIn(value.split()[-1], stored)
		self.assertIn(crypto.MASK, stored)
		changes = [
			change
			for data in frappe.get_all("Version", {"ref_doctype": "Courrier", "docname": name}, pluck="data")
			for change in json.loads(data).get("changed", [])
		]
		self.assertIn(["confidentialite", "Normal", "Confidentiel"], changes)

	def test_emails_show_the_mask_unless_the_settings_ask_for_plaintext(self):
		from gec_mines import notifications

		name, objet = self.confidential_routed_mail()
		doc = frappe.get_doc("Courrier", name)
		subject, body = notifications.render("assignation", "fr", doc, {"note": ""})
		self.assertNotIn(objet, subject + body)
		self.assertIn(crypto.MASK, subject + body)
		frappe.db.set_single_value("GEC Settings", "inclure_champs_chiffres_emails", 1)
		frappe.clear_document_cache("GEC Settings", "GEC Settings")
		try:
			subject, body = notifications.render("assignation", "fr", doc, {"note": ""})
		finally:
			frappe.db.set_single_value("GEC Settings", "inclure_champs_chiffres_emails", 0)
			frappe.clear_document_cache("GEC Settings", "GEC Settings")
		self.assertIn(objet.split()[-1], subject + body)
