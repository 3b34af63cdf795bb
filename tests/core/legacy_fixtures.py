"""Legacy GEC data sets built from the documented schema (reference §2, §3.1, §3.5), for tests.

Plain functions, no pytest: the Frappe integration tests reuse them.

- `build_legacy_database(directory)`: an SQLite database plus an `uploads/` folder, with
  plain and encrypted fields, `.encrypted` files of the edge sizes (empty, 16-byte multiples,
  8 190 bytes, over 1 MiB) and one seeded instance of each problem `analyse` must find.
- `build_export_zip(directory)`: a mail export package as the legacy exporter writes it,
  with the exporter/importer name mismatch, Windows paths, NFD names, forwards, and the
  size edge cases.

Each returns the paths, the legacy key, the expected row counts per table and the expected
problems as (code, table, row id) triples. `populate(connection, rows, placeholder)` writes the
same rows to another DB-API connection (PostgreSQL), after `legacy_rows(directory)`.
"""

import base64
import hashlib
import json
import os
import sqlite3
import unicodedata
import zipfile
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

KEY_B64 = base64.b64encode(bytes(range(32))).decode()
OTHER_KEY_B64 = base64.b64encode(bytes(range(100, 132))).decode()

# Legacy password hashes made by Werkzeug 3.1 and bcrypt, with the passwords that open them.
PASSWORDS = {
	"sa.gec001": (
		(
			"scrypt:32768:8:1$D4bD7LlNXQCgLUm0$cc76aabaf6b2ddb704f2eacbc9ca6fd8e69cc016c05aa09db93b0a0f6fbbf1805610"
			"2431130aedf1c4c4365a258374543c8cc9dee56834b84f0a566325c25d46"
		),
		"Mot de passe é",
	),
	"jdoe": (
		"pbkdf2:sha256:260000$7zJ6i4IuCorQViW1$693079c5473080bb0f3fdde0e4ac03a790b53fe543daaef6004af737ae63b2c3",
		"Kinshasa#2025",
	),
	"agent1": (
		"$2b$04$kB9jKLe5nEDPCwnRMvH93OYMtOqM2RsfvXx6w6s87iUfr7Wr2N9yy",
		"Lubumbashi!77",
	),
	"ancien": (
		(
			"scrypt:16384:8:1$S40b5pYXGWYzzsNC$b6c4437c00eb27b47ee5ba4afb3d433e4ddbc92e6d086f671a4f5f31bb67ecd20011"
			"a504fb1c50e2884256d55356c32f178b26c72eba22434895032be6ca88d5"
		),
		"Kinshasa#2025",
	),
}

PNG = base64.b64decode(
	"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)

SCHEMA_SQL = """
CREATE TABLE departement (id INTEGER PRIMARY KEY, nom VARCHAR(100) NOT NULL UNIQUE, description TEXT,
	code VARCHAR(10) NOT NULL UNIQUE, chef_departement_id INTEGER, actif BOOLEAN, date_creation TIMESTAMP);
CREATE TABLE role (id INTEGER PRIMARY KEY, nom VARCHAR(50) NOT NULL UNIQUE, nom_affichage VARCHAR(100) NOT NULL,
	description TEXT, couleur VARCHAR(50), icone VARCHAR(50), actif BOOLEAN, modifiable BOOLEAN,
	date_creation TIMESTAMP, date_modification TIMESTAMP, cree_par_id INTEGER);
CREATE TABLE role_permission (id INTEGER PRIMARY KEY, role_id INTEGER NOT NULL, permission_nom VARCHAR(100) NOT NULL,
	date_creation TIMESTAMP, accorde_par_id INTEGER);
CREATE TABLE "user" (id INTEGER PRIMARY KEY, username VARCHAR(64) NOT NULL UNIQUE, email VARCHAR(120) NOT NULL UNIQUE,
	nom_complet VARCHAR(120) NOT NULL, password_hash VARCHAR(256) NOT NULL, date_creation TIMESTAMP, actif BOOLEAN,
	role VARCHAR(20) NOT NULL, langue VARCHAR(5) NOT NULL, photo_profile VARCHAR(255), departement_id INTEGER,
	matricule VARCHAR(50) UNIQUE, fonction VARCHAR(200), email_encrypted TEXT, nom_complet_encrypted TEXT,
	matricule_encrypted TEXT, fonction_encrypted TEXT, password_hash_encrypted TEXT);
CREATE TABLE statut_courrier (id INTEGER PRIMARY KEY, nom VARCHAR(50) NOT NULL UNIQUE, description VARCHAR(200),
	couleur VARCHAR(50) NOT NULL, actif BOOLEAN, ordre INTEGER, date_creation TIMESTAMP);
CREATE TABLE type_courrier_sortant (id INTEGER PRIMARY KEY, nom VARCHAR(100) NOT NULL UNIQUE, description TEXT,
	actif BOOLEAN NOT NULL, ordre_affichage INTEGER, date_creation TIMESTAMP, cree_par_id INTEGER);
CREATE TABLE parametres_systeme (id INTEGER PRIMARY KEY, nom_logiciel VARCHAR(100) NOT NULL, logo_url VARCHAR(500),
	mode_numero_accuse VARCHAR(20) NOT NULL, format_numero_accuse VARCHAR(50) NOT NULL, adresse_organisme TEXT,
	telephone VARCHAR(20), email_contact VARCHAR(120), texte_footer TEXT, copyright_crypte VARCHAR(500) NOT NULL,
	logo_pdf VARCHAR(500), titre_pdf VARCHAR(200), sous_titre_pdf VARCHAR(200), pays_pdf VARCHAR(200),
	copyright_text TEXT, smtp_server VARCHAR(200), smtp_port INTEGER, smtp_use_tls BOOLEAN NOT NULL,
	smtp_username VARCHAR(200), smtp_password VARCHAR(500), appellation_departement VARCHAR(100) NOT NULL,
	titre_responsable_structure VARCHAR(100) NOT NULL, email_provider VARCHAR(20) NOT NULL,
	sendgrid_api_key VARCHAR(500), notify_superadmin_new_mail BOOLEAN NOT NULL, date_modification TIMESTAMP,
	modifie_par_id INTEGER);
CREATE TABLE courrier (id INTEGER PRIMARY KEY, numero_accuse_reception VARCHAR(50) NOT NULL UNIQUE,
	numero_reference VARCHAR(100), objet TEXT NOT NULL, type_courrier VARCHAR(20) NOT NULL,
	type_courrier_sortant_id INTEGER, expediteur VARCHAR(200), destinataire VARCHAR(200), date_redaction DATE,
	date_enregistrement TIMESTAMP, autres_informations TEXT, fichier_nom VARCHAR(255), fichier_chemin VARCHAR(500),
	fichier_type VARCHAR(50), statut VARCHAR(50) NOT NULL, date_modification_statut TIMESTAMP,
	secretaire_general_copie BOOLEAN, objet_encrypted TEXT, expediteur_encrypted TEXT, destinataire_encrypted TEXT,
	numero_reference_encrypted TEXT, fichier_checksum VARCHAR(64), fichier_encrypted BOOLEAN,
	is_deleted BOOLEAN NOT NULL, deleted_at TIMESTAMP, deleted_by_id INTEGER, utilisateur_id INTEGER NOT NULL,
	modifie_par_id INTEGER);
CREATE TABLE courrier_modification (id INTEGER PRIMARY KEY, courrier_id INTEGER NOT NULL,
	utilisateur_id INTEGER NOT NULL, champ_modifie VARCHAR(100) NOT NULL, ancienne_valeur TEXT, nouvelle_valeur TEXT,
	date_modification TIMESTAMP, ip_address VARCHAR(45));
CREATE TABLE log_activite (id INTEGER PRIMARY KEY, action VARCHAR(100) NOT NULL, description TEXT,
	date_action TIMESTAMP, ip_address VARCHAR(45), utilisateur_id INTEGER NOT NULL, courrier_id INTEGER);
CREATE TABLE notification (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, type_notification VARCHAR(50) NOT NULL,
	titre VARCHAR(200) NOT NULL, message TEXT NOT NULL, courrier_id INTEGER, lu BOOLEAN, date_creation TIMESTAMP,
	date_lecture TIMESTAMP);
CREATE TABLE courrier_comment (id INTEGER PRIMARY KEY, courrier_id INTEGER NOT NULL, user_id INTEGER NOT NULL,
	commentaire TEXT NOT NULL, type_comment VARCHAR(50), date_creation TIMESTAMP, date_modification TIMESTAMP,
	modifie_par_id INTEGER, actif BOOLEAN);
CREATE TABLE courrier_forward (id INTEGER PRIMARY KEY, courrier_id INTEGER NOT NULL, forwarded_by_id INTEGER NOT NULL,
	forwarded_to_id INTEGER NOT NULL, message TEXT, attached_file VARCHAR(255), attached_file_original_name VARCHAR(255),
	attached_file_size INTEGER, date_transmission TIMESTAMP, lu BOOLEAN, date_lecture TIMESTAMP, email_sent BOOLEAN);
"""


# --- Legacy cryptography (reference §3.5), written with `cryptography` -------------------------


def _cipher(key_b64: str, iv: bytes) -> Cipher:
	return Cipher(algorithms.AES(base64.b64decode(key_b64)), modes.CBC(iv))


def legacy_encrypt_text(key_b64: str, text: str) -> str:
	"""base64(IV ‖ AES-CBC(PKCS#7(utf-8 text))), as `EncryptionManager.encrypt_data`."""
	iv = os.urandom(16)
	padder = padding.PKCS7(128).padder()
	padded = padder.update(text.encode("utf-8")) + padder.finalize()
	encryptor = _cipher(key_b64, iv).encryptor()
	return base64.b64encode(iv + encryptor.update(padded) + encryptor.finalize()).decode("ascii")


def legacy_encrypt_file(key_b64: str, data: bytes) -> bytes:
	"""IV ‖ one CBC chain over 8 192-byte chunks, padding only a final chunk that is not a multiple of 16."""
	iv = os.urandom(16)
	encryptor = _cipher(key_b64, iv).encryptor()
	out = [iv]
	for start in range(0, len(data), 8192):
		chunk = data[start : start + 8192]
		if len(chunk) % 16:
			padder = padding.PKCS7(128).padder()
			chunk = padder.update(chunk) + padder.finalize()
		out.append(encryptor.update(chunk))
	out.append(encryptor.finalize())
	return b"".join(out)


def legacy_decrypt_text(key_b64: str, value: str) -> str:
	"""Reference decryption for tests (the app's own is `core.chiffrement.legacy_decrypt_text`)."""
	raw = base64.b64decode(value, validate=True)
	decryptor = _cipher(key_b64, raw[:16]).decryptor()
	unpadder = padding.PKCS7(128).unpadder()
	padded = decryptor.update(raw[16:]) + decryptor.finalize()
	return (unpadder.update(padded) + unpadder.finalize()).decode("utf-8")


def legacy_decrypt_file(key_b64: str, data: bytes) -> bytes:
	"""Reference decryption for tests: the whole chain, a valid PKCS#7 tail stripped."""
	if len(data) < 16 or (len(data) - 16) % 16:
		raise ValueError("not a legacy encrypted file")
	decryptor = _cipher(key_b64, data[:16]).decryptor()
	plain = decryptor.update(data[16:]) + decryptor.finalize()
	pad = plain[-1] if plain else 0
	if 0 < pad <= 16 and plain.endswith(bytes([pad]) * pad):
		return plain[:-pad]
	return plain


# --- Data sets ---------------------------------------------------------------------------------


@dataclass
class LegacyDatabaseFixture:
	root: str
	db_path: str
	url: str
	uploads_dir: str
	key_b64: str
	counts: dict[str, int]
	problems: set[tuple[str, str, object]]
	contents: dict[str, bytes] = field(default_factory=dict)  # plaintext per "<table>:<id>" with a file
	passwords: dict[str, str] = field(default_factory=dict)  # username -> legacy password
	highest_numbers: dict[str, int] = field(default_factory=dict)  # series key -> last counter


@dataclass
class LegacyExportFixture:
	root: str
	zip_path: str
	counts: dict[str, int]
	problems: set[tuple[str, str, object]]
	contents: dict[str, bytes] = field(default_factory=dict)


def pdf(label: str, size: int | None = None, last: bytes = b"") -> bytes:
	"""A PDF-looking content of an exact size, distinct per label."""
	head = f"%PDF-1.4\n% {label}\n".encode()
	size = len(head) + 64 if size is None else size
	body = hashlib.sha256(label.encode()).digest() * (size // 32 + 2)
	content = (head + body)[: size - len(last)] + last
	return content[:size]


def sha(data: bytes) -> str:
	return hashlib.sha256(data).hexdigest()


def ts(day: str, time: str = "08:00:00") -> str:
	"""A naive UTC timestamp as SQLAlchemy stores it in SQLite."""
	return f"{day} {time}.000000"


def _write(path: str, data: bytes) -> None:
	os.makedirs(os.path.dirname(path), exist_ok=True)
	with open(path, "wb") as handle:
		handle.write(data)


def legacy_rows(directory: str) -> tuple[dict[str, list[dict]], LegacyDatabaseFixture]:
	"""Write `uploads/` under `directory` and return the rows of every table, plus expectations."""
	root = os.path.abspath(directory)
	uploads = os.path.join(root, "uploads")
	os.makedirs(os.path.join(uploads, "forwards"), exist_ok=True)
	key = KEY_B64
	contents: dict[str, bytes] = {}

	def upload(name: str, data: bytes, encrypted: bool = False) -> bytes:
		_write(
			os.path.join(uploads, *name.split("/")),
			legacy_encrypt_file(key, data) if encrypted else data,
		)
		return data

	# outside the uploads folder: a path must never reach it
	_write(os.path.join(root, "secret.txt"), b"not an attachment")

	departements = [
		_dept(1, "Administration Générale", "ADM"),
		_dept(2, "Département Juridique", "JUR", chef=2),
		_dept(3, "Département Technique", "TECH"),
		_dept(4, "Département Financier", "FIN"),
		_dept(5, "Secrétariat Général", "SG"),
		_dept(6, "Cadastre Minier", "CAD", actif=False),
	]
	roles = [
		_role(1, "super_admin", "Super Administrateur"),
		_role(2, "admin", "Administrateur"),
		_role(3, "user", "Utilisateur"),
		_role(4, "secretariat", "Secrétariat"),
	]
	granted = {
		1: "manage_users manage_roles manage_system_settings view_all_logs manage_statuses manage_departments "
		"register_mail view_mail search_mail export_data delete_mail view_trash restore_mail view_all edit_all "
		"read_all_mail manage_updates manage_backup",
		2: "manage_statuses register_mail view_mail search_mail export_data manage_system_settings view_department "
		"edit_department read_department_mail",
		3: "register_mail view_mail search_mail export_data view_own edit_own read_own_mail",
		4: "register_mail read_all_mail view_all_logs",
	}
	role_permissions = [
		{
			"id": number,
			"role_id": role_id,
			"permission_nom": name,
			"date_creation": ts("2024-01-01"),
		}
		for number, (role_id, name) in enumerate(
			((role_id, name) for role_id, names in granted.items() for name in names.split()),
			start=1,
		)
	]

	users = [
		_user(
			1,
			"sa.gec001",
			"admin@mines.gov.cd",
			"Super Administrateur",
			"super_admin",
			departement_id=5,
		),
		_user(
			2,
			"jdoe",
			"jdoe@mines.gov.cd",
			"Jean Doe",
			"admin",
			departement_id=2,
			langue="en",
		),
		_user(
			3,
			"agent1",
			"agent1@mines.gov.cd",
			"Agent Un",
			"user",
			departement_id=1,
			matricule="MAT-003",
		),
		_user(
			4,
			"ancien",
			"ancien@mines.gov.cd",
			"Ancien Agent",
			"user",
			departement_id=3,
			actif=False,
		),
		_user(
			5,
			"sansdept",
			"sansdept@mines.gov.cd",
			"Sans Département",
			"user",
			password_hash="sha1$abc$0123456789abcdef",
			fonction="",
			fonction_encrypted=legacy_encrypt_text(OTHER_KEY_B64, "Comptable"),
		),
		_user(
			6,
			"stagiaire1",
			"stagiaire1@mines.gov.cd",
			"Stagiaire",
			"stagiaire",
			departement_id=99,
		),
		_user(
			7,
			"secr",
			"Agent1@Mines.gov.cd",
			"",
			"secretariat",
			departement_id=4,
			nom_complet_encrypted=legacy_encrypt_text(key, "Marie Kabila"),
		),
	]
	statuts = [
		_statut(1, "URGENT", 0, "bg-red-100 text-red-800"),
		_statut(2, "RECU", 1, "bg-blue-100 text-blue-800"),
		_statut(3, "EN_COURS", 2, "bg-yellow-100 text-yellow-800"),
		_statut(4, "TRAITE", 3, "bg-green-100 text-green-800"),
		_statut(5, "ARCHIVE", 4, "bg-gray-100 text-gray-800"),
		_statut(6, "EN_ATTENTE", 5, "bg-purple-100 text-purple-800"),
	]
	type_names = (
		"Note circulaire",
		"Note télégramme",
		"Lettre officielle",
		"Mémorandum",
		"Convocation",
		"Rapport",
		"Note de service",
		"Autre",
	)
	types = [
		{
			"id": number,
			"nom": name,
			"description": None,
			"actif": True,
			"ordre_affichage": 99 if name == "Autre" else number,
			"date_creation": ts("2024-01-01"),
			"cree_par_id": 1,
		}
		for number, name in enumerate(type_names, start=1)
	]

	logo = upload("logo_ab12cd34_armoiries.png", PNG)
	contents["parametres_systeme:logo"] = logo
	parametres = [
		{
			"id": 1,
			"nom_logiciel": "GEC Mines",
			"logo_url": "/uploads/logo_ab12cd34_armoiries.png",
			"mode_numero_accuse": "automatique",
			"format_numero_accuse": "GEC-{year}-{counter:05d}",
			"adresse_organisme": "Boulevard du 30 Juin, Kinshasa/Gombe",
			"telephone": "+243 81 000 0000",
			"email_contact": "sg@mines.gov.cd",
			"texte_footer": "Système de Gestion Électronique du Courrier",
			"copyright_crypte": base64.b64encode("© 2025 GEC".encode()).decode(),
			"logo_pdf": "/uploads/logo_pdf_ef56ab78_entete.png",
			"titre_pdf": "Secrétariat Général des Mines",
			"sous_titre_pdf": "Ministère des Mines",
			"pays_pdf": "République Démocratique du Congo",
			"copyright_text": "© 2025 GEC",
			"smtp_server": "smtp.mines.gov.cd",
			"smtp_port": 587,
			"smtp_use_tls": True,
			"smtp_username": "notif@mines.gov.cd",
			"smtp_password": legacy_encrypt_text(key, "smtp-secret"),
			"appellation_departement": "Directions",
			"titre_responsable_structure": "Secrétaire Général",
			"email_provider": "smtp",
			"sendgrid_api_key": "SG.test-key",
			"notify_superadmin_new_mail": True,
			"date_modification": ts("2025-01-02"),
			"modifie_par_id": 1,
		}
	]

	courriers = []

	def courrier(number: int, ar: str, **values) -> None:
		row = {
			"id": number,
			"numero_accuse_reception": ar,
			"numero_reference": None,
			"objet": f"Objet du courrier {number}",
			"type_courrier": "ENTRANT",
			"type_courrier_sortant_id": None,
			"expediteur": "Société Minière du Katanga",
			"destinataire": None,
			"date_redaction": "2025-01-02",
			"date_enregistrement": ts("2025-01-03"),
			"autres_informations": None,
			"fichier_nom": None,
			"fichier_chemin": None,
			"fichier_type": None,
			"statut": "RECU",
			"date_modification_statut": ts("2025-01-03"),
			"secretaire_general_copie": False,
			"objet_encrypted": None,
			"expediteur_encrypted": None,
			"destinataire_encrypted": None,
			"numero_reference_encrypted": None,
			"fichier_checksum": None,
			"fichier_encrypted": False,
			"is_deleted": False,
			"deleted_at": None,
			"deleted_by_id": None,
			"utilisateur_id": 3,
			"modifie_par_id": None,
		}
		row.update(values)
		courriers.append(row)

	def attach(
		number: int,
		name: str,
		stored: str,
		data: bytes,
		on_disk: str | None = None,
		**flags,
	) -> dict:
		contents[f"courrier:{number}"] = upload(
			on_disk or below(stored), data, flags.get("fichier_encrypted", False)
		)
		return {
			"fichier_nom": name,
			"fichier_chemin": stored,
			"fichier_type": name.rsplit(".", 1)[-1],
			**flags,
		}

	first = pdf("lettre ministère")
	courrier(
		1,
		"GEC-2025-00001",
		numero_reference="REF/MIN/001",
		objet="Demande de permis d'exploitation",
		secretaire_general_copie=True,
		date_enregistrement=ts("2025-01-03", "08:15:00"),
		**attach(
			1,
			"Lettre ministère.pdf",
			"uploads/20250103_081500_Lettre_ministere.pdf",
			first,
			fichier_checksum=sha(first),
		),
	)
	courrier(
		2,
		"GEC-2025-00002",
		type_courrier="SORTANT",
		type_courrier_sortant_id=3,
		expediteur=None,
		destinataire="Gouvernorat du Lualaba",
		autres_informations="Par porteur",
		statut="TRAITE",
		utilisateur_id=2,
		secretaire_general_copie=None,
		**attach(
			2,
			"Réponse.pdf",
			"/var/www/gec/uploads/20250104_090000_Reponse.pdf",
			pdf("réponse"),
		),
	)
	png_scan = PNG + b"scan"
	courrier(
		3,
		"GEC-2025-00003",
		utilisateur_id=1,
		**attach(
			3,
			"scan.png",
			"uploads\\20250105_scan.png",
			png_scan,
			on_disk="20250105_scan.png",
			fichier_checksum=sha(png_scan),
		),
	)
	rapport = pdf("rapport", 8190)
	courrier(
		4,
		"GEC-2025-00004",
		objet="",
		objet_encrypted=legacy_encrypt_text(key, "Rapport trimestriel confidentiel"),
		expediteur="",
		expediteur_encrypted=legacy_encrypt_text(key, "Cabinet du Ministre"),
		numero_reference="",
		numero_reference_encrypted=legacy_encrypt_text(key, "CAB/2025/044"),
		utilisateur_id=1,
		**attach(
			4,
			"rapport.pdf",
			"uploads/4_rapport.pdf.encrypted",
			rapport,
			fichier_encrypted=True,
			fichier_checksum=sha(rapport),
		),
	)
	plan = pdf("plan", 16384, last=b"\x01")  # a multiple of 16 whose tail looks like padding
	courrier(
		5,
		"GEC-2025-00005",
		**attach(
			5,
			"plan.pdf",
			"C:\\GEC\\uploads\\5_plan.pdf.encrypted",
			plan,
			on_disk="5_plan.pdf.encrypted",
			fichier_encrypted=True,
			fichier_checksum=sha(plan),
		),
	)
	courrier(
		6,
		"GEC-2025-00006",
		**attach(
			6,
			"vide.pdf",
			"uploads/6_vide.pdf.encrypted",
			b"",
			fichier_encrypted=True,
			fichier_checksum=sha(b""),
		),
	)
	courrier(
		7,
		"GEC-2025-00007",
		**attach(
			7,
			"annexe.pdf",
			"uploads/7_annexe.pdf",
			pdf("annexe", 8192, last=b"A"),
			on_disk="7_annexe.pdf.encrypted",
			fichier_encrypted=True,
		),
	)
	big = pdf("gros", 1024 * 1024 + 5)
	courrier(
		8,
		"GEC-2025-00008",
		**attach(
			8,
			"gros.pdf",
			"uploads/8_gros.pdf.encrypted",
			big,
			fichier_encrypted=True,
			fichier_checksum=sha(big),
		),
	)
	courrier(
		9,
		"GEC-2025-00009",
		fichier_nom="absent.pdf",
		fichier_chemin="uploads/20250110_absent.pdf",
		fichier_type="pdf",
	)
	courrier(
		10,
		"GEC-2025-00010",
		**attach(
			10,
			"altere.pdf",
			"uploads/20250111_altere.pdf",
			pdf("altéré"),
			fichier_checksum=sha(b"autre"),
		),
	)
	courrier(
		11,
		"GEC-2025-00011",
		statut="PERDU",
		is_deleted=True,
		deleted_at=ts("2025-02-01"),
		deleted_by_id=1,
		**attach(11, "corbeille.pdf", "uploads/20250112_corbeille.pdf", pdf("corbeille")),
	)
	courrier(
		12,
		"gec-2025-00001 ",
		numero_reference="REF/MIN/001",
		**attach(12, "doublon.pdf", "uploads/20250113_doublon.pdf", pdf("doublon")),
	)
	courrier(
		13,
		"GEC-2025-00013",
		objet="",
		objet_encrypted=legacy_encrypt_text(OTHER_KEY_B64, "Clé perdue"),
		**attach(13, "cle.pdf", "uploads/20250114_cle.pdf", pdf("clé")),
	)
	courrier(
		14,
		"ARR/2024/77",
		date_enregistrement=ts("2024-06-01"),
		utilisateur_id=42,
		**attach(14, "manuel.pdf", "uploads/20240601_manuel.pdf", pdf("manuel")),
	)
	courrier(
		15,
		"GEC-2025-00015",
		type_courrier="SORTANT",
		type_courrier_sortant_id=77,
		expediteur=None,
		destinataire="Ministère des Finances",
		**attach(
			15,
			"note.pdf",
			"/old/server/data/20250115_note.pdf",
			pdf("note"),
			on_disk="20250115_note.pdf",
		),
	)
	courrier(
		16,
		"GEC-2024-00120",
		date_enregistrement=ts("2024-12-30"),
		**attach(16, "fin2024.pdf", "uploads/20241230_fin2024.pdf", pdf("fin 2024")),
	)
	courrier(
		17,
		"GEC-2025-00017",
		fichier_nom="secret.txt",
		fichier_chemin="uploads/../secret.txt",
		fichier_type="txt",
	)
	courrier(
		18,
		"GEC-2025-00018",
		type_courrier="INTERNE",
		**attach(18, "interne.pdf", "uploads/20250118_interne.pdf", pdf("interne")),
	)
	courrier(19, "GEC-2025-00019")

	forward_note = pdf("note d'accompagnement")
	upload("forwards/forward_1_3_ab12cd34.pdf", forward_note)
	contents["courrier_forward:1"] = forward_note
	forward_scan = pdf("retour")
	upload("forwards/forward_3_1_0badf00d.pdf", forward_scan)
	contents["courrier_forward:5"] = forward_scan
	forwards = [
		_forward(
			1,
			1,
			3,
			2,
			"Pour traitement",
			file=(
				"forward_1_3_ab12cd34.pdf",
				"Note d'accompagnement.pdf",
				len(forward_note),
			),
			lu=True,
			date_lecture=ts("2025-01-04", "10:00:00"),
			email_sent=True,
		),
		_forward(2, 2, 2, 1, None),
		_forward(
			3,
			1,
			1,
			7,
			"Pour information",
			file=("forward_1_1_deadbeef.pdf", "Perdu.pdf", 10),
		),
		_forward(4, 999, 1, 3, "Courrier disparu"),
		_forward(5, 3, 1, 3, "Retour", file=("forward_3_1_0badf00d.pdf", "Retour.pdf", 1)),
	]
	comments = [
		_comment(1, 1, 2, "Vu, à traiter en priorité.", "comment"),
		_comment(
			2,
			1,
			1,
			"Transmettre au JUR.",
			"annotation",
			date_modification=ts("2025-01-05"),
			modifie_par_id=1,
		),
		_comment(3, 2, 1, "Répondre avant vendredi.", "instruction"),
		_comment(4, 3, 3, "Ancienne remarque", "remarque", actif=False),
	]
	modifications = [
		_modification(1, 1, 2, "objet", "Demande de permis", "Demande de permis d'exploitation"),
		_modification(2, 2, 2, "statut", "RECU", "TRAITE"),
		_modification(3, 999, 1, "objet", "a", "b"),
	]
	activities = [
		_activity(1, "CONNEXION", 1, None),
		_activity(2, "ENREGISTREMENT_COURRIER", 3, 1),
		_activity(3, "CONSULTATION_COURRIER", 2, 1),
		_activity(4, "TRANSMISSION_COURRIER", 3, 1),
		_activity(5, "CHANGEMENT_STATUT", 2, 2),
		_activity(6, "SUPPRESSION_COURRIER", 1, 11),
		_activity(7, "CONNEXION", 42, None),
	]

	rows = {
		"departement": departements,
		"role": roles,
		"role_permission": role_permissions,
		"user": users,
		"statut_courrier": statuts,
		"type_courrier_sortant": types,
		"parametres_systeme": parametres,
		"courrier": courriers,
		"courrier_forward": forwards,
		"courrier_comment": comments,
		"courrier_modification": modifications,
		"log_activite": activities,
	}
	counts = {table: len(table_rows) for table, table_rows in rows.items() if table != "role_permission"}
	problems = {
		("user_without_department", "user", 5),
		("unsupported_password_hash", "user", 5),
		("value_undecryptable", "user", 5),
		("unknown_role", "user", 6),
		("unknown_department", "user", 6),
		("duplicate_email", "user", 7),
		("file_missing", "parametres_systeme", 1),
		("file_missing", "courrier", 9),
		("checksum_mismatch", "courrier", 10),
		("unknown_status", "courrier", 11),
		("duplicate_ar_number", "courrier", 12),
		("duplicate_reference", "courrier", 12),
		("value_undecryptable", "courrier", 13),
		("missing_value", "courrier", 13),
		("unknown_user", "courrier", 14),
		("unknown_outgoing_type", "courrier", 15),
		("file_path_unsafe", "courrier", 17),
		("file_missing", "courrier", 17),
		("unknown_mail_type", "courrier", 18),
		("no_attachment", "courrier", 19),
		("file_missing", "courrier_forward", 3),
		("unknown_mail", "courrier_forward", 4),
		("file_size_mismatch", "courrier_forward", 5),
		("unknown_comment_type", "courrier_comment", 4),
		("unknown_mail", "courrier_modification", 3),
		("unknown_user", "log_activite", 7),
	}
	fixture = LegacyDatabaseFixture(
		root=root,
		db_path=os.path.join(root, "instance", "gec_mines.db"),
		url="",
		uploads_dir=uploads,
		key_b64=key,
		counts=counts,
		problems=problems,
		contents=contents,
		passwords={username: password for username, (_hash, password) in PASSWORDS.items()},
		highest_numbers={"GEC-2025-#": 19, "GEC-2024-#": 120},
	)
	return rows, fixture


def below(stored: str) -> str:
	path = stored.replace("\\", "/")
	return path.split("uploads/")[-1]


def populate(connection, rows: dict[str, list[dict]], placeholder: str = "?") -> None:
	"""Create the legacy schema and insert the rows through any DB-API connection."""
	cursor = connection.cursor()
	for statement in SCHEMA_SQL.split(";"):
		if statement.strip():
			cursor.execute(statement)
	for table, table_rows in rows.items():
		for row in table_rows:
			columns = ", ".join(f'"{column}"' for column in row)
			marks = ", ".join([placeholder] * len(row))
			cursor.execute(
				f'INSERT INTO "{table}" ({columns}) VALUES ({marks})',
				tuple(row.values()),
			)
	connection.commit()
	cursor.close()


def build_legacy_database(directory: str) -> LegacyDatabaseFixture:
	"""A legacy SQLite deployment under `directory`: `instance/gec_mines.db` and `uploads/`."""
	rows, fixture = legacy_rows(directory)
	os.makedirs(os.path.dirname(fixture.db_path), exist_ok=True)
	connection = sqlite3.connect(fixture.db_path)
	try:
		populate(connection, rows)
	finally:
		connection.close()
	fixture.url = f"sqlite:///{fixture.db_path}"
	return fixture


def build_export_zip(directory: str, version: str = "1.0.0") -> LegacyExportFixture:
	"""A legacy mail export package `export_courriers_20251015_123456.zip` under `directory`."""
	root = os.path.abspath(directory)
	os.makedirs(root, exist_ok=True)
	zip_path = os.path.join(root, "export_courriers_20251015_123456.zip")
	members: dict[str, bytes] = {}
	contents: dict[str, bytes] = {}
	courriers: list[dict] = []
	attachments: list[dict] = []

	def entry(number: int, ar: str, fichier_nom: str | None, **values) -> dict:
		data = {
			"id": number,
			"numero_accuse_reception": ar,
			"type_courrier": "ENTRANT",
			"type_courrier_sortant_id": None,
			"date_redaction": "2025-10-01",
			"date_enregistrement": "2025-10-02T08:15:00.123456",
			"statut": "RECU",
			"date_modification_statut": "2025-10-02T08:15:00.123456",
			"secretaire_general_copie": True,
			"fichier_nom": fichier_nom,
			"fichier_type": fichier_nom.rsplit(".", 1)[-1] if fichier_nom else None,
			"fichier_checksum": None,
			"fichier_encrypted": False,
			"autres_informations": None,
			"is_deleted": False,
			"deleted_at": None,
			"utilisateur_id": 3,
			"objet": f"Objet exporté {number}",
			"expediteur": "Direction des Mines du Haut-Katanga",
			"destinataire": None,
			"numero_reference": f"REF/EXP/{number}",
			"forwards": [],
		}
		data.update(values)
		courriers.append(data)
		return data

	def attachment(
		number: int,
		filename: str,
		path: str,
		member: str | None,
		content: bytes,
		**extra,
	) -> None:
		attachments.append(
			{
				"courrier_id": number,
				"type": "main",
				"filename": filename,
				"path": path,
				"path_basename": path.replace("\\", "/").rsplit("/", 1)[-1],
				"encrypted": False,
				"checksum": None,
				**extra,
			}
		)
		if member is not None:
			members[f"attachments/{number}_{member}"] = content
			contents[f"courrier:{number}"] = content

	lettre = pdf("lettre export")
	entry(17, "GEC-2025-00017", "Lettre ministère.pdf", utilisateur_id=3)
	attachment(
		17,
		"Lettre ministère.pdf",
		"uploads/20251002_081500_Lettre_ministere.pdf",
		"Lettre ministère.pdf",
		lettre,
	)

	rapport = pdf("rapport final")
	entry(18, "GEC-2025-00018", "Rapport final.pdf", fichier_checksum=sha(rapport))
	attachment(
		18,
		"Rapport final.pdf",
		"uploads/20251003_Rapport_final.pdf",
		"20251003_Rapport_final.pdf",
		rapport,
	)

	annexe = pdf("annexe exportée", 8192)
	entry(
		19,
		"GEC-2025-00019",
		"annexe.pdf",
		fichier_encrypted=True,
		fichier_checksum=sha(annexe),
	)
	attachment(
		19,
		"annexe.pdf",
		"uploads/19_annexe.pdf.encrypted",
		"annexe.pdf",
		annexe,
		encrypted=True,
		checksum=sha(annexe),
	)

	entry(20, "GEC-2025-00020", "perdu.pdf")
	attachment(20, "perdu.pdf", "uploads/20251004_perdu.pdf", None, b"")

	scan = pdf("scan windows")
	windows_name = "C:\\Users\\agent\\Desktop\\scan.pdf"
	entry(21, "GEC-2025-00021", windows_name)
	attachment(
		21,
		windows_name,
		"uploads\\20251005_scan.pdf",
		"C:/Users/agent/Desktop/scan.pdf",
		scan,
	)

	decision = pdf("décision")
	avis = pdf("avis")
	entry(
		22,
		"GEC-2025-00022",
		"Décision.pdf",
		forwards=[
			{
				"from_department_id": 2,
				"to_department_id": 3,
				"forward_date": "2025-10-03T09:00:00",
				"comments": "Pour avis",
				"read_date": "2025-10-04T11:30:00",
				"is_read": True,
				"attached_file_original_name": "avis.pdf",
			},
			{
				"id": 6,
				"forwarded_by_id": 3,
				"forwarded_to_id": 2,
				"message": "Pour suite à donner",
				"date_transmission": "2025-10-05T10:00:00",
				"lu": False,
				"email_sent": True,
			},
		],
	)
	attachment(
		22,
		"Décision.pdf",
		"uploads/20251006_Decision.pdf",
		unicodedata.normalize("NFD", "Décision.pdf"),
		decision,
	)
	attachments.append(
		{
			"courrier_id": 22,
			"type": "forward",
			"forward_id": 5,
			"filename": "avis.pdf",
			"path": "uploads/forwards/forward_22_3_0a1b2c3d.pdf",
			"path_basename": "forward_22_3_0a1b2c3d.pdf",
			"encrypted": False,
		}
	)
	members["attachments/22_avis.pdf"] = avis
	contents["courrier_forward:22-1"] = avis

	entry(
		23,
		"GEC-2025-00017",
		"vide.pdf",
		statut="PERDU",
		is_deleted=True,
		deleted_at="2025-10-07T12:00:00",
		date_redaction="2025-10-01T00:00:00",
		fichier_checksum=sha(b""),
	)
	attachment(23, "vide.pdf", "uploads/20251007_vide.pdf", "vide.pdf", b"")

	big = pdf("gros export", 2 * 1024 * 1024 + 3)
	entry(
		24,
		"GEC-2025-00024",
		"gros.pdf",
		type_courrier="SORTANT",
		expediteur=None,
		destinataire="Présidence",
	)
	members["attachments/24_gros.pdf"] = big
	contents["courrier:24"] = big

	data = {
		"version": version,
		"export_date": "2025-10-15T12:34:56.789012",
		"total_courriers": len(courriers),
		"courriers": courriers,
		"attachments": attachments,
	}
	with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
		archive.writestr("courriers_data.json", json.dumps(data, indent=2, ensure_ascii=False))
		for name, content in members.items():
			archive.writestr(name, content)

	problems = {
		("export_contains_forwards", "export", None),
		("file_missing", "courrier", 20),
		("duplicate_ar_number", "courrier", 23),
		("unknown_status", "courrier", 23),
		("missing_value", "courrier_forward", "22-1"),
	}
	if version != "1.0.0":
		problems.add(("export_version_mismatch", "export", None))
	counts = {"courrier": len(courriers), "courrier_forward": 2}
	return LegacyExportFixture(
		root=root,
		zip_path=zip_path,
		counts=counts,
		problems=problems,
		contents=contents,
	)


# --- Row helpers -------------------------------------------------------------------------------


def _dept(number: int, nom: str, code: str, chef: int | None = None, actif: bool = True) -> dict:
	return {
		"id": number,
		"nom": nom,
		"description": None,
		"code": code,
		"chef_departement_id": chef,
		"actif": actif,
		"date_creation": ts("2024-01-01"),
	}


def _role(number: int, nom: str, affichage: str) -> dict:
	return {
		"id": number,
		"nom": nom,
		"nom_affichage": affichage,
		"description": None,
		"couleur": None,
		"icone": "fas fa-user",
		"actif": True,
		"modifiable": nom != "super_admin",
		"date_creation": ts("2024-01-01"),
		"date_modification": None,
		"cree_par_id": None,
	}


def _user(number: int, username: str, email: str, nom: str, role: str, **values) -> dict:
	row = {
		"id": number,
		"username": username,
		"email": email,
		"nom_complet": nom,
		"password_hash": PASSWORDS.get(username, PASSWORDS["ancien"])[0],
		"date_creation": ts("2024-02-01"),
		"actif": True,
		"role": role,
		"langue": "fr",
		"photo_profile": None,
		"departement_id": None,
		"matricule": None,
		"fonction": "Agent",
		"email_encrypted": None,
		"nom_complet_encrypted": None,
		"matricule_encrypted": None,
		"fonction_encrypted": None,
		"password_hash_encrypted": None,
	}
	row.update(values)
	return row


def _statut(number: int, nom: str, ordre: int, couleur: str) -> dict:
	return {
		"id": number,
		"nom": nom,
		"description": None,
		"couleur": couleur,
		"actif": True,
		"ordre": ordre,
		"date_creation": ts("2024-01-01"),
	}


def _forward(
	number,
	courrier_id,
	by,
	to,
	message,
	file=None,
	lu=False,
	date_lecture=None,
	email_sent=False,
):
	attached, original, size = file or (None, None, None)
	return {
		"id": number,
		"courrier_id": courrier_id,
		"forwarded_by_id": by,
		"forwarded_to_id": to,
		"message": message,
		"attached_file": attached,
		"attached_file_original_name": original,
		"attached_file_size": size,
		"date_transmission": ts("2025-01-04", f"09:{number:02d}:00"),
		"lu": lu,
		"date_lecture": date_lecture,
		"email_sent": email_sent,
	}


def _comment(
	number,
	courrier_id,
	user_id,
	text,
	kind,
	date_modification=None,
	modifie_par_id=None,
	actif=True,
):
	return {
		"id": number,
		"courrier_id": courrier_id,
		"user_id": user_id,
		"commentaire": text,
		"type_comment": kind,
		"date_creation": ts("2025-01-04", f"11:{number:02d}:00"),
		"date_modification": date_modification,
		"modifie_par_id": modifie_par_id,
		"actif": actif,
	}


def _modification(number, courrier_id, user_id, champ, old, new):
	return {
		"id": number,
		"courrier_id": courrier_id,
		"utilisateur_id": user_id,
		"champ_modifie": champ,
		"ancienne_valeur": old,
		"nouvelle_valeur": new,
		"date_modification": ts("2025-01-05", f"14:{number:02d}:00"),
		"ip_address": "10.0.0.5",
	}


def _activity(number, action, user_id, courrier_id):
	return {
		"id": number,
		"action": action,
		"description": f"{action} #{number}",
		"date_action": ts("2025-01-06", f"15:{number:02d}:00"),
		"ip_address": "10.0.0.5",
		"utilisateur_id": user_id,
		"courrier_id": courrier_id,
	}
