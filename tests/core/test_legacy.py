"""A legacy GEC deployment (database + uploads, or a mail export ZIP) reads into plain records."""

import functools
import os
import sqlite3
import uuid
import zipfile
from datetime import date, datetime

import legacy_fixtures as lf
import pytest

from gec_mines.core import legacy
from gec_mines.core.legacy import files, roles
from gec_mines.core.legacy.records import TABLES
from gec_mines.core.mots_de_passe import verify_legacy_password


def decryptors(key_b64: str = lf.KEY_B64) -> dict:
	return {
		"decrypt_text": functools.partial(lf.legacy_decrypt_text, key_b64),
		"decrypt_file": functools.partial(lf.legacy_decrypt_file, key_b64),
	}


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
	return lf.build_legacy_database(str(tmp_path_factory.mktemp("legacy")))


@pytest.fixture(scope="module")
def export(tmp_path_factory):
	return lf.build_export_zip(str(tmp_path_factory.mktemp("export")))


@pytest.fixture
def source(deployment):
	with legacy.open_source(deployment.url, deployment.uploads_dir, **decryptors()) as opened:
		yield opened


@pytest.fixture
def zip_source(export):
	with legacy.open_source(export.zip_path, **decryptors()) as opened:
		yield opened


def by_id(records) -> dict:
	return {record.id: record for record in records}


def problem_keys(problems) -> set:
	return {(p.code, p.table, p.row_id) for p in problems}


# --- counts and order -----------------------------------------------------------------------


def test_every_table_of_the_database_is_read_and_counted(source, deployment):
	for table in TABLES:
		records = list(source.records(table))
		assert len(records) == deployment.counts[table], table
		assert source.count(table) == deployment.counts[table], table
		ids = [r.id for r in records]
		assert ids == sorted(ids), f"{table} is not in id order"


def test_an_export_holds_mail_and_forwards_only(zip_source, export):
	assert zip_source.tables == {"courrier", "courrier_forward"}
	for table in TABLES:
		expected = export.counts.get(table, 0)
		assert len(list(zip_source.records(table))) == expected, table
		assert zip_source.count(table) == expected, table


def test_reading_resumes_after_the_last_imported_id_and_pages_keep_order(deployment):
	with legacy.DatabaseSource(
		deployment.url, deployment.uploads_dir, page_size=3, **decryptors()
	) as small_pages:
		assert [c.id for c in small_pages.courriers()] == list(range(1, 20))
		assert [c.id for c in small_pages.courriers(after_id=10)] == list(range(11, 20))
		assert [f.id for f in small_pages.forwards(after_id=2)] == [3, 4, 5]
	batches = list(legacy.batched(range(7), 3))
	assert batches == [[0, 1, 2], [3, 4, 5], [6]]


def test_export_reading_resumes_after_a_courrier_id(zip_source):
	assert [c.id for c in zip_source.courriers(after_id=21)] == [22, 23, 24]
	assert [f.courrier_id for f in zip_source.forwards(after_id=22)] == []


# --- values ---------------------------------------------------------------------------------


def test_departments_keep_code_head_and_state(source):
	departements = by_id(source.departements())
	assert departements[2].code == "JUR"
	assert departements[2].nom == "Département Juridique"
	assert departements[2].chef_id == 2
	assert departements[6].actif is False
	assert departements[1].date_creation == datetime(2024, 1, 1, 8, 0)


def test_users_carry_department_role_language_state_and_hash(source, deployment):
	users = by_id(source.users())
	admin = users[1]
	assert (admin.username, admin.email, admin.role) == (
		"sa.gec001",
		"admin@mines.gov.cd",
		"super_admin",
	)
	assert admin.gec_roles == (roles.ADMINISTRATEUR, roles.AUDITEUR)
	assert admin.visibility == roles.ALL
	assert admin.departement_id == 5

	assert users[2].langue == "en"
	assert users[2].gec_roles == (roles.CHEF_DEPARTEMENT,)
	assert users[2].visibility == roles.DEPARTMENT
	assert users[3].gec_roles == (roles.GESTIONNAIRE,)
	assert users[3].matricule == "MAT-003"
	assert users[4].actif is False
	assert users[6].gec_roles == (roles.GESTIONNAIRE,)  # unknown role: the least one
	assert users[7].gec_roles == (roles.AUDITEUR,)  # custom role reading all mail, and the logs
	assert users[7].visibility == roles.ALL
	assert users[7].nom_complet == "Marie Kabila"  # decrypted: the plaintext column was empty


def test_migrated_users_sign_in_with_their_legacy_password(source, deployment):
	users = {user.username: user for user in source.users()}
	for username, password in deployment.passwords.items():
		user = users[username]
		assert user.password_supported
		assert verify_legacy_password(user.password_hash, password), username
		assert not verify_legacy_password(user.password_hash, password + "x"), username
	assert not users["sansdept"].password_supported


def test_roles_carry_their_permissions_and_mapping(source):
	roles_by_name = {role.nom: role for role in source.roles()}
	assert "read_department_mail" in roles_by_name["admin"].permissions
	assert roles_by_name["admin"].gec_roles == (roles.CHEF_DEPARTEMENT,)
	assert roles_by_name["secretariat"].visibility == roles.ALL


def test_statuses_outgoing_types_and_settings(source, deployment):
	statuts = [s.nom for s in source.statuts()]
	assert statuts == ["URGENT", "RECU", "EN_COURS", "TRAITE", "ARCHIVE", "EN_ATTENTE"]
	types = by_id(source.types_sortants())
	assert types[3].nom == "Lettre officielle"
	assert types[8].ordre_affichage == 99

	settings = source.settings()
	assert settings.nom_logiciel == "GEC Mines"
	assert settings.format_numero_accuse == "GEC-{year}-{counter:05d}"
	assert settings.mode_numero_accuse == "automatique"
	assert settings.titre_pdf == "Secrétariat Général des Mines"
	assert settings.pays_pdf == "République Démocratique du Congo"
	assert settings.appellation_departement == "Directions"
	assert settings.smtp_password == "smtp-secret"
	assert settings.copyright == "© 2025 GEC"
	assert settings.smtp_use_tls is True and settings.smtp_port == 587
	assert source.read_file(settings.logo).data == deployment.contents["parametres_systeme:logo"]
	assert not settings.logo_pdf.found


def test_a_courrier_keeps_its_number_dates_status_and_attachment(source):
	courriers = by_id(source.courriers())
	first = courriers[1]
	assert first.numero_accuse_reception == "GEC-2025-00001"
	assert (first.type_courrier, first.direction) == ("ENTRANT", "Entrant")
	assert first.numero_reference == "REF/MIN/001"
	assert first.objet == "Demande de permis d'exploitation"
	assert first.expediteur == "Société Minière du Katanga"
	assert first.date_redaction == date(2025, 1, 2)
	assert first.date_enregistrement == datetime(2025, 1, 3, 8, 15)
	assert first.statut == "RECU"
	assert first.secretaire_general_copie is True
	assert first.utilisateur_id == 3
	assert first.fichier.name == "Lettre ministère.pdf"
	assert first.fichier.owner_id == 1
	assert first.problems == ()

	outgoing = courriers[2]
	assert (
		outgoing.direction,
		outgoing.destinataire,
		outgoing.type_courrier_sortant_id,
	) == (
		"Sortant",
		"Gouvernorat du Lualaba",
		3,
	)
	assert outgoing.autres_informations == "Par porteur"
	assert outgoing.secretaire_general_copie is None

	trashed = courriers[11]
	assert trashed.is_deleted is True
	assert trashed.deleted_at == datetime(2025, 2, 1, 8, 0)
	assert trashed.deleted_by_id == 1
	assert courriers[1].is_deleted is False


def test_encrypted_fields_are_decrypted_when_the_plaintext_is_empty(source):
	imported = by_id(source.courriers())[4]
	assert imported.objet == "Rapport trimestriel confidentiel"
	assert imported.expediteur == "Cabinet du Ministre"
	assert imported.numero_reference == "CAB/2025/044"
	assert imported.problems == ()


def test_without_the_legacy_key_encrypted_values_are_reported_not_guessed(deployment):
	with legacy.open_source(deployment.url, deployment.uploads_dir) as keyless:
		imported = by_id(keyless.courriers())[4]
		assert imported.objet == ""
		assert ("value_undecryptable", "courrier", 4) in problem_keys(imported.problems)
		with pytest.raises(legacy.LegacyFileError) as raised:
			keyless.read_file(imported.fichier)
		assert raised.value.code == "file_undecryptable"
		assert raised.value.params["reason"] == "no_key"


def test_a_wrong_key_is_caught_by_the_checksums(deployment):
	with legacy.open_source(deployment.url, deployment.uploads_dir, **decryptors(lf.OTHER_KEY_B64)) as wrong:
		report = legacy.analyse(wrong)
	found = problem_keys(report.problems)
	assert {("checksum_mismatch", "courrier", row_id) for row_id in (4, 5, 8)} <= found
	assert ("value_undecryptable", "courrier", 4) in found
	assert ("value_undecryptable", "parametres_systeme", 1) in found


def test_a_damaged_encrypted_file_is_reported_undecryptable(tmp_path):
	damaged = lf.build_legacy_database(str(tmp_path))
	path = os.path.join(damaged.uploads_dir, "8_gros.pdf.encrypted")
	with open(path, "r+b") as handle:
		handle.truncate(os.path.getsize(path) - 3)
	with legacy.open_source(damaged.url, damaged.uploads_dir, **decryptors()) as opened:
		report = legacy.analyse(opened)
	assert ("file_undecryptable", "courrier", 8) in problem_keys(report.problems)


# --- files ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"courrier_id, resolution",
	[
		(1, files.AS_STORED),  # uploads/<ts>_<name>
		(2, files.REBASED),  # /var/www/gec/uploads/... from the old server
		(3, files.AS_STORED),  # uploads\\<name>, written on Windows
		(5, files.REBASED),  # C:\\GEC\\uploads\\....encrypted
		(7, files.SUFFIX_VARIANT),  # flagged encrypted, the path lacks `.encrypted`
		(15, files.BY_NAME),  # a foreign path without an uploads segment
	],
)
def test_attachment_paths_are_resolved_across_legacy_shapes(source, courrier_id, resolution):
	fichier = by_id(source.courriers())[courrier_id].fichier
	assert fichier.found
	assert fichier.resolution == resolution
	assert os.path.commonpath([fichier.location, source.uploads_dir]) == os.path.realpath(source.uploads_dir)


def test_forward_files_are_found_in_uploads_forwards(source, deployment):
	forwards = by_id(source.forwards())
	note = forwards[1]
	assert note.fichier.resolution == files.AS_STORED
	assert note.fichier.original_name == "Note d'accompagnement.pdf"
	assert note.fichier.name == "Note d_accompagnement.pdf"  # `fichiers.clean_filename`
	assert (note.lu, note.date_lecture, note.email_sent) == (
		True,
		datetime(2025, 1, 4, 10, 0),
		True,
	)
	content = source.read_file(note.fichier)
	assert content.data == deployment.contents["courrier_forward:1"]
	assert content.size_ok is True
	assert forwards[2].fichier is None and forwards[2].lu is False
	assert not forwards[3].fichier.found


def test_every_file_reads_back_to_its_plaintext(source, deployment):
	courriers = by_id(source.courriers())
	for key, expected in deployment.contents.items():
		table, row_id = key.split(":")
		if table != "courrier":
			continue
		content = source.read_file(courriers[int(row_id)].fichier)
		assert content.data == expected, key
		assert content.sha256 == lf.sha(expected)
		assert content.checksum_ok in (True, None) if int(row_id) != 10 else content.checksum_ok is False


@pytest.mark.parametrize(
	"courrier_id, size",
	[(4, 8190), (5, 16384), (6, 0), (7, 8192), (8, 1024 * 1024 + 5)],
)
def test_encrypted_files_of_edge_sizes(source, deployment, courrier_id, size):
	fichier = by_id(source.courriers())[courrier_id].fichier
	assert fichier.encrypted
	content = source.read_file(fichier)
	assert len(content.data) == size
	assert content.data == deployment.contents[f"courrier:{courrier_id}"]


def test_a_decryptor_that_keeps_the_padding_gives_the_same_plaintext(deployment):
	def raw_decrypt(blob: bytes) -> bytes:
		import base64

		from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

		decryptor = Cipher(algorithms.AES(base64.b64decode(lf.KEY_B64)), modes.CBC(blob[:16])).decryptor()
		return decryptor.update(blob[16:]) + decryptor.finalize()

	with legacy.open_source(
		deployment.url,
		deployment.uploads_dir,
		decrypt_text=decryptors()["decrypt_text"],
		decrypt_file=raw_decrypt,
	) as raw:
		courriers = by_id(raw.courriers())
		for courrier_id in (4, 5, 6, 8):
			content = raw.read_file(courriers[courrier_id].fichier)
			assert content.data == deployment.contents[f"courrier:{courrier_id}"], courrier_id
			assert content.checksum_ok is True


def test_a_path_never_reaches_outside_the_uploads_folder(source):
	escaped = by_id(source.courriers())[17]
	assert not escaped.fichier.found
	assert {"file_path_unsafe", "file_missing"} <= {p.code for p in escaped.problems}


def test_export_attachments_are_found_under_either_legacy_name(zip_source, export):
	courriers = by_id(zip_source.courriers())
	assert courriers[17].fichier.resolution == files.EXPORT_FILENAME  # what the exporter writes
	assert courriers[18].fichier.resolution == files.EXPORT_BASENAME  # what the legacy importer reads
	assert courriers[24].fichier.resolution == files.EXPORT_PREFIX
	assert courriers[21].fichier.name == "scan.pdf"  # unsanitised Windows client name
	assert courriers[22].fichier.found  # NFD member name, NFC in the JSON
	assert not courriers[20].fichier.found
	for key, expected in export.contents.items():
		table, row_id = key.split(":")
		if table == "courrier":
			content = zip_source.read_file(courriers[int(row_id)].fichier)
			assert content.data == expected, key
			assert content.checksum_ok in (True, None), key


def test_export_files_flagged_encrypted_are_plaintext(zip_source, export):
	annexe = by_id(zip_source.courriers())[19]
	assert not annexe.fichier.encrypted
	content = zip_source.read_file(annexe.fichier)
	assert content.data == export.contents["courrier:19"]
	assert content.checksum_ok is True


def test_export_values_and_forwards(zip_source, export):
	courriers = by_id(zip_source.courriers())
	first = courriers[17]
	assert first.numero_accuse_reception == "GEC-2025-00017"
	assert first.date_enregistrement == datetime(2025, 10, 2, 8, 15, 0, 123456)
	assert first.objet == "Objet exporté 17"
	assert first.utilisateur_id == 3
	deleted = courriers[23]
	assert deleted.is_deleted and deleted.deleted_at == datetime(2025, 10, 7, 12, 0)
	assert deleted.date_redaction == date(2025, 10, 1)  # written as a datetime

	documented, columns = list(zip_source.forwards())
	assert documented.key == "22-1"
	assert (documented.message, documented.lu) == ("Pour avis", True)
	assert documented.date_lecture == datetime(2025, 10, 4, 11, 30)
	assert (documented.from_departement_id, documented.to_departement_id) == (2, 3)
	assert zip_source.read_file(documented.fichier).data == export.contents["courrier_forward:22-1"]
	assert columns.key == "6"
	assert (columns.forwarded_by_id, columns.forwarded_to_id, columns.email_sent) == (
		3,
		2,
		True,
	)


# --- analyse --------------------------------------------------------------------------------


def test_dry_run_of_a_database_finds_every_seeded_problem(source, deployment):
	report = legacy.analyse(source)
	assert problem_keys(report.problems) == deployment.problems
	assert report.counts == deployment.counts
	assert {c.series_key: c.last for c in report.counters} == deployment.highest_numbers
	assert report.files_checked == 19
	assert all(p.code in legacy.PROBLEMS for p in report.problems)
	text = "\n".join(report.lines())
	assert "duplicate_ar_number (1)" in text and "courrier#12" in text


def test_dry_run_of_an_export(zip_source, export):
	report = legacy.analyse(zip_source)
	assert problem_keys(report.problems) == export.problems
	assert {table: count for table, count in report.counts.items() if count} == export.counts
	assert {c.series_key: c.last for c in report.counters} == {"GEC-2025-#": 24}


def test_dry_run_reports_progress_and_can_skip_file_reading(source):
	seen = []
	report = legacy.analyse(
		source,
		verify_files=False,
		progress=lambda table, rows: seen.append((table, rows)),
	)
	assert report.files_checked == 0
	assert "checksum_mismatch" not in report.codes()
	assert ("courrier", 19) in seen


def test_an_export_of_another_version_is_read_with_a_warning(tmp_path):
	other = lf.build_export_zip(str(tmp_path), version="2.0.0")
	with legacy.open_source(other.zip_path) as opened:
		assert problem_keys(legacy.analyse(opened).problems) == other.problems


def test_an_older_database_without_some_tables_or_columns(tmp_path):
	path = tmp_path / "old.db"
	connection = sqlite3.connect(path)
	connection.execute(
		"CREATE TABLE courrier (id INTEGER PRIMARY KEY, numero_accuse_reception VARCHAR(50), objet TEXT,"
		" type_courrier VARCHAR(20), expediteur VARCHAR(200), statut VARCHAR(50), date_enregistrement TIMESTAMP)"
	)
	connection.execute(
		"INSERT INTO courrier VALUES (1, 'GEC-2023-00001', 'Ancien', 'ENTRANT', 'X', 'RECU', '2023-03-01 09:00:00')"
	)
	connection.commit()
	connection.close()
	(tmp_path / "uploads").mkdir()
	with legacy.open_source(f"sqlite:///{path}", tmp_path / "uploads") as old:
		assert old.tables == {"courrier"}
		assert "table_missing" in {p.code for p in old.problems}
		[courrier] = list(old.courriers())
		assert courrier.objet == "Ancien" and courrier.date_enregistrement == datetime(2023, 3, 1, 9, 0)
		assert courrier.is_deleted is False and courrier.fichier is None


# --- sources that cannot be read ------------------------------------------------------------


def test_unreadable_sources_are_refused_with_a_code(tmp_path):
	cases = {
		"source_not_found": lambda: legacy.open_source(tmp_path / "absent.zip"),
		"uploads_dir_required": lambda: legacy.open_source("sqlite:///x.db"),
		"source_unsupported": lambda: legacy.DatabaseSource("mysql://host/db", tmp_path),
	}
	(tmp_path / "notazip.zip").write_text("hello")
	cases["export_invalid"] = lambda: legacy.open_source(tmp_path / "notazip.zip")
	with zipfile.ZipFile(tmp_path / "empty.zip", "w") as archive:
		archive.writestr("readme.txt", "no data")
	for code, open_it in cases.items():
		with pytest.raises(legacy.LegacySourceError) as raised:
			open_it()
		assert raised.value.code == code
	with pytest.raises(legacy.LegacySourceError) as raised:
		legacy.open_source(tmp_path / "empty.zip")
	assert raised.value.code == "export_invalid"
	with pytest.raises(legacy.LegacySourceError) as raised:
		legacy.open_source(f"sqlite:///{tmp_path}/absent.db", tmp_path)
	assert raised.value.code == "source_not_found"


# --- numbering and roles --------------------------------------------------------------------


@pytest.mark.parametrize(
	"fmt, numbers, expected",
	[
		(
			"GEC-{year}-{counter:05d}",
			["GEC-2025-00009", "GEC-2025-00010", "GEC-2024-00003", "X-1"],
			{
				"GEC-2025-#": 10,
				"GEC-2024-#": 3,
			},
		),
		(
			"AR/{year}/{month}/{counter}",
			["AR/2025/03/7", "AR/2025/03/12", "AR/2025/04/1"],
			{
				"AR/2025/03/#": 12,
				"AR/2025/04/#": 1,
			},
		),
		("{counter:4d}-MIN", ["0042-MIN", "0007-MIN"], {"#-MIN": 42}),
		("GEC-{random:4}-{counter}", ["GEC-1234-5"], {}),
		("GEC-SANS-COMPTEUR", ["GEC-SANS-COMPTEUR"], {}),
	],
)
def test_legacy_counters_continue_each_series(fmt, numbers, expected):
	assert {c.series_key: c.last for c in legacy.legacy_counters(fmt, numbers)} == expected


def test_a_random_number_format_is_reported_unsupported(tmp_path):
	rows, fixture = lf.legacy_rows(str(tmp_path))
	rows["parametres_systeme"][0]["format_numero_accuse"] = "GEC-{random:4}-{counter}"
	connection = sqlite3.connect(tmp_path / "r.db")
	lf.populate(connection, rows)
	connection.close()
	with legacy.open_source(f"sqlite:///{tmp_path}/r.db", fixture.uploads_dir, **decryptors()) as opened:
		report = legacy.analyse(opened, verify_files=False)
	assert ("numbering_format_unsupported", "parametres_systeme", 1) in problem_keys(report.problems)
	assert report.counters == ()


@pytest.mark.parametrize(
	"role, permissions, expected",
	[
		("super_admin", (), (roles.ADMINISTRATEUR, roles.AUDITEUR)),
		("admin", None, (roles.CHEF_DEPARTEMENT,)),  # role row missing: legacy fallback
		("user", None, (roles.GESTIONNAIRE,)),
		(
			"archiviste",
			("read_own_mail", "manage_backup"),
			(roles.GESTIONNAIRE, roles.ADMINISTRATEUR),
		),
		(
			"chef",
			("read_department_mail", "manage_statuses", "manage_system_settings"),
			(roles.CHEF_DEPARTEMENT,),
		),
		("controle", ("read_all_mail", "view_security_logs"), (roles.AUDITEUR,)),
		("inconnu", None, (roles.GESTIONNAIRE,)),
	],
)
def test_legacy_roles_map_to_gec_roles(role, permissions, expected):
	assert legacy.map_legacy_role(role, permissions) == expected
	assert set(expected) <= set(roles.GEC_ROLES)


def test_role_overrides_win(deployment):
	overrides = {"secretariat": (roles.SECRETAIRE_GENERAL,)}
	assert legacy.map_legacy_role("secretariat", ("read_all_mail",), overrides) == (roles.SECRETAIRE_GENERAL,)
	with legacy.open_source(deployment.url, deployment.uploads_dir, role_overrides=overrides) as opened:
		assert by_id(opened.users())[7].gec_roles == (roles.SECRETAIRE_GENERAL,)


def test_a_department_head_is_also_chef_departement():
	assert roles.with_head_role((roles.GESTIONNAIRE,), True) == (
		roles.GESTIONNAIRE,
		roles.CHEF_DEPARTEMENT,
	)
	assert roles.with_head_role((roles.GESTIONNAIRE,), False) == (roles.GESTIONNAIRE,)


# --- PostgreSQL (run when GEC_TEST_POSTGRES_URL names a database we may write to) -----------


def test_the_same_deployment_reads_from_postgresql(tmp_path):
	url = os.environ.get("GEC_TEST_POSTGRES_URL")
	if not url:
		pytest.skip("GEC_TEST_POSTGRES_URL not set")
	psycopg2 = pytest.importorskip("psycopg2")
	schema = f"legacy_{uuid.uuid4().hex[:8]}"
	rows, fixture = lf.legacy_rows(str(tmp_path))
	connection = psycopg2.connect(url)
	try:
		with connection.cursor() as cursor:
			cursor.execute(f"CREATE SCHEMA {schema}")
			cursor.execute(f"SET search_path TO {schema}")
		lf.populate(connection, rows, "%s")
		separator = "&" if "?" in url else "?"
		with legacy.open_source(
			f"{url}{separator}options=-csearch_path%3D{schema}",
			fixture.uploads_dir,
			**decryptors(),
		) as opened:
			report = legacy.analyse(opened)
			assert report.counts == fixture.counts
			assert problem_keys(report.problems) == fixture.problems
			assert by_id(opened.courriers())[4].objet == "Rapport trimestriel confidentiel"
	finally:
		with connection.cursor() as cursor:
			cursor.execute(f"DROP SCHEMA {schema} CASCADE")
		connection.commit()
		connection.close()
