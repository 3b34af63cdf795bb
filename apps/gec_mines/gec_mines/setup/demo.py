"""Demo data at scale: rows go in with bulk inserts, numbers come from the same series table
and the same format as registrations in the desk, so the demo continues like a real registry."""

import hashlib
import os
import time

import frappe
from frappe.utils import update_progress_bar

from gec_mines.core import numbering
from gec_mines.core.demo import DemoGenerator
from gec_mines.numbering import format_for
from gec_mines.recherche import calculer_frequences, search_columns, search_text
from gec_mines.setup.install import seed_master_data

BATCH = 5000
SCANS = 24
DEMO_USERS = [
	("agent.courrier@gec-mines.local", "Agent", "Courrier", ["GEC Agent Courrier"], None),
	("sg@gec-mines.local", "Secrétaire", "Général", ["GEC Secretaire General"], "SG"),
	("chef.juridique@gec-mines.local", "Chef", "Juridique", ["GEC Chef Departement"], "JUR"),
	("gestionnaire.juridique@gec-mines.local", "Gestionnaire", "Juridique", ["GEC Gestionnaire"], "JUR"),
	("admin.gec@gec-mines.local", "Administrateur", "GEC", ["GEC Administrateur"], "ADM"),
	("auditeur@gec-mines.local", "Auditeur", "Interne", ["GEC Auditeur"], None),
]
DOCUMENT_COLUMNS = ("owner", "modified_by", "creation", "modified", "docstatus", "idx")
COURRIER_FIELDS = (
	"name",
	"numero_accuse_reception",
	*DOCUMENT_COLUMNS,
	"type_courrier",
	"numero_reference",
	"objet",
	"expediteur",
	"destinataire",
	"date_redaction",
	"date_enregistrement",
	"copie_sg",
	"secretaire_general_copie",
	"type_document",
	"statut",
	"departement",
	"priorite",
	"confidentialite",
	"autres_informations",
	"fichier",
	"is_deleted",
	"doublon_probable",
	"texte_recherche",
	"mots_recherche",
	"workflow_state",
)
# Where in the Circuit du Courrier a demo mail stands, from its legacy status.
DEMO_STATES = {
	"Entrant": {
		"URGENT": "Chez le SG",
		"RECU": "Enregistré",
		"EN_COURS": "En traitement",
		"TRAITE": "Traité",
		"ARCHIVE": "Classé",
	},
	"Sortant": {
		"URGENT": "Validé",
		"RECU": "Validé",
		"EN_COURS": "Validé",
		"TRAITE": "Expédié",
		"ARCHIVE": "Classé",
	},
}
FILE_FIELDS = (
	"name",
	*DOCUMENT_COLUMNS,
	"file_name",
	"file_url",
	"is_private",
	"file_size",
	"file_type",
	"folder",
	"attached_to_doctype",
	"attached_to_name",
	"attached_to_field",
)


def create_demo_data(count: int, seed: int = 42, progress: bool = False) -> int:
	seed_master_data()
	owner = create_demo_users()
	generator = DemoGenerator(seed=seed)
	scans = write_scans(generator)
	mails = sorted(generator.courriers(count), key=lambda m: m["date_enregistrement"])
	formats = {direction: format_for(direction) for direction in ("Entrant", "Sortant")}
	counters: dict[str, int] = {}

	started = time.monotonic()
	for start in range(0, count, BATCH):
		batch = mails[start : start + BATCH]
		courriers, files = [], []
		for index, mail in enumerate(batch, start=start):
			rendered = numbering.render(formats[mail["type_courrier"]], mail["date_enregistrement"].date())
			key = rendered.series_key
			if key not in counters:
				counters[key] = current_counter(key)
			counters[key] += 1
			name = rendered.number(counters[key])
			scan_url, scan_size = scans[index % len(scans)]
			courriers.append(courrier_row(mail, name, owner, scan_url))
			files.append(file_row(name, owner, mail["date_enregistrement"], scan_url, scan_size, index))
		insert_rows("Courrier", COURRIER_FIELDS, courriers)
		insert_rows("File", FILE_FIELDS, files)
		save_counters(counters)
		frappe.db.commit()  # nosemgrep: bench command, one commit per batch keeps memory flat
		if progress:
			update_progress_bar("Courriers", start + len(batch) - 1, count)
	calculer_frequences()
	if progress:
		print(f"\n{count} mail in {time.monotonic() - started:.1f} s")
	return count


def insert_rows(doctype: str, fields: tuple[str, ...], rows: list[tuple]):
	"""Multi-row inserts through the driver's own batching: Frappe's `bulk_insert` builds each
	value through the query builder, which costs more than the database's own work at this scale."""
	columns = ", ".join(f"`{field}`" for field in fields)
	placeholders = ", ".join(["%s"] * len(fields))
	frappe.db.sql("select 1")  # opens the connection if this is the first statement
	frappe.db._cursor.executemany(f"insert into `tab{doctype}` ({columns}) values ({placeholders})", rows)


def courrier_row(mail: dict, name: str, owner: str, scan_url: str) -> tuple:
	registered = mail["date_enregistrement"]
	row = {
		**mail,
		"name": name,
		"numero_accuse_reception": name,
		"owner": owner,
		"modified_by": owner,
		"creation": registered,
		"modified": registered,
		"docstatus": 0,
		"idx": 0,
		"secretaire_general_copie": 1 if mail["copie_sg"] == "Oui" else 0,
		"fichier": scan_url,
		"is_deleted": 0,
		"doublon_probable": 0,
		"workflow_state": DEMO_STATES[mail["type_courrier"]].get(mail["statut"], "Enregistré"),
	}
	row.update(search_columns(search_text(row)))
	return tuple(row.get(f) for f in COURRIER_FIELDS)


def file_row(courrier: str, owner: str, when, url: str, size: int, index: int) -> tuple:
	return (
		# one name per mail: random ten-character hashes meet each other around a million files
		hashlib.sha256(courrier.encode()).hexdigest()[:20],
		owner,
		owner,
		when,
		when,
		0,
		0,
		f"{courrier.replace('/', '-')}.pdf",
		url,
		1,
		size,
		"PDF",
		"Home/Attachments",
		"Courrier",
		courrier,
		"fichier",
	)


def write_scans(generator: DemoGenerator) -> list[tuple[str, int]]:
	"""A few small PDF letters, shared by the demo mail (Frappe keeps a shared file until its
	last File record goes)."""
	folder = frappe.get_site_path("private", "files")
	os.makedirs(folder, exist_ok=True)
	scans = []
	for number in range(1, SCANS + 1):
		sample = generator.courrier()
		content = generator.pdf(
			sample["objet"],
			[sample["expediteur"] or sample["destinataire"], sample["numero_reference"] or "", "Kinshasa"],
		)
		file_name = f"gec-demo-courrier-{number:02d}.pdf"
		with open(os.path.join(folder, file_name), "wb") as fh:
			fh.write(content)
		scans.append((f"/private/files/{file_name}", len(content)))
	return scans


def current_counter(key: str) -> int:
	value = frappe.db.sql("select `current` from `tabSeries` where `name` = %s", (key,))
	return int(value[0][0]) if value else 0


def save_counters(counters: dict[str, int]):
	for key, value in counters.items():
		frappe.db.sql(
			"""insert into `tabSeries` (`name`, `current`) values (%s, %s)
			on duplicate key update `current` = greatest(`current`, values(`current`))""",
			(key, value),
		)


def create_demo_users() -> str:
	for email, first_name, last_name, roles, departement in DEMO_USERS:
		if frappe.db.exists("User", email):
			continue
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": first_name,
				"last_name": last_name,
				"language": "fr",
				"send_welcome_email": 0,
				"gec_departement": departement,
			}
		)
		user.insert(ignore_permissions=True)
		user.add_roles(*roles)
	return DEMO_USERS[0][0]
