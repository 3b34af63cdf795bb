"""Install, migrate and uninstall: site defaults and the registry's master data.

Every step is idempotent: `bench migrate` runs it again and changes nothing that exists.
"""

import datetime

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

from gec_mines import accuse
from gec_mines.chiffrement.keys import installer_cle
from gec_mines.constants import ROLES, WORKFLOW_ACTIONS, WORKFLOW_STATES
from gec_mines.core.referentiels import DEPARTEMENTS, JOURS_FERIES_RDC, STATUTS, TYPES
from gec_mines.gec_mines.doctype.courrier import courrier
from gec_mines.gec_mines.doctype.imputation_courrier import imputation_courrier
from gec_mines.recherche import calculer_frequences
from gec_mines.securite.signin import appliquer_parametres_securite


def after_install():
	set_site_defaults()
	seed_master_data()
	accuse.ensure_receipt_secret()
	install_security()
	add_indexes()


def after_migrate():
	seed_master_data()
	accuse.ensure_receipt_secret()
	install_security()
	add_indexes()
	calculer_frequences()


def add_indexes():
	"""The indexes the desk's queries read (gec_mines/tests/test_index.py checks them with EXPLAIN).
	Frappe adds a DocType's own only when its JSON changes; a migrate adds any that is missing."""
	courrier.on_doctype_update()
	imputation_courrier.on_doctype_update()
	add_file_indexes()


def add_file_indexes():
	"""Frappe finds Files by columns it does not index: by URL (downloads, the receipt, the checksum
	of a shared file), by content hash (every upload looks for a copy to share) and the attachments
	folder (every upload). With a File per mail, each of them would read the whole archive.

	Two columns each: Frappe's schema sync drops a one-column index on a field that is not marked
	`search_index`, and leaves indexes of several columns alone."""
	frappe.db.add_index("File", ["file_url(255)"], index_name="gec_file_url_index")
	frappe.db.add_index("File", ["content_hash", "is_private"], index_name="gec_file_content_hash_index")
	frappe.db.add_index(
		"File", ["is_attachments_folder", "is_folder"], index_name="gec_file_attachments_folder_index"
	)


def install_security() -> None:
	"""After install and after migrate (idempotent): the key file when none exists, the checksum field
	of attachments, and Frappe's sign-in settings the first time."""
	create_custom_fields(
		{
			"File": [
				{
					"fieldname": "gec_sha256",
					"label": "SHA-256",
					"fieldtype": "Data",
					"length": 64,
					"read_only": 1,
					"no_copy": 1,
					"insert_after": "content_hash",
					"description": "Checksum of the content as uploaded, checked at each download.",
				}
			]
		},
		update=True,
	)
	path = installer_cle()
	if path:
		print(f"GEC Mines: encryption key created in {path}: keep a copy of it in a safe place.")
	appliquer_parametres_securite()


def set_site_defaults():
	"""French first, Kinshasa time, unless the site already chose otherwise."""
	if not frappe.db.get_single_value("System Settings", "setup_complete"):
		frappe.db.set_single_value("System Settings", "language", "fr")
		frappe.db.set_default("lang", "fr")
	if not frappe.db.get_single_value("System Settings", "time_zone"):
		frappe.db.set_single_value("System Settings", "time_zone", "Africa/Kinshasa")


def seed_master_data():
	for code, libelle, couleur, ordre in STATUTS:
		insert_if_missing(
			"Statut Courrier", code, code=code, libelle=libelle, couleur=couleur, ordre=ordre, actif=1
		)
	for libelle, direction, delai, ordre in TYPES:
		insert_if_missing(
			"Type Courrier",
			libelle,
			libelle=libelle,
			direction=direction,
			delai_traitement=delai,
			ordre=ordre,
			actif=1,
		)
	for code, nom in DEPARTEMENTS:
		insert_if_missing("Departement", code, code=code, nom=nom, actif=1)
	seed_holidays()


def seed_holidays():
	"""The DR Congo's yearly public holidays, once (the administrator edits them afterwards)."""
	if frappe.db.count("Jour Ferie"):
		return
	for month, day, label in JOURS_FERIES_RDC:
		frappe.get_doc(
			{"doctype": "Jour Ferie", "date": datetime.date(2026, month, day), "libelle": label, "annuel": 1}
		).insert(ignore_permissions=True)


def insert_if_missing(doctype: str, name: str, **values):
	if frappe.db.exists(doctype, name):
		return
	frappe.get_doc({"doctype": doctype, **values}).insert(ignore_permissions=True)


def complete_setup(language: str = "Français"):
	"""Finish Frappe's setup wizard for a site made from the command line (demo, tests)."""
	if frappe.db.get_single_value("System Settings", "setup_complete"):
		return
	from frappe.desk.page.setup_wizard.setup_wizard import setup_complete

	setup_complete(
		{
			"language": language,
			"country": "Congo, The Democratic Republic of the",
			"timezone": "Africa/Kinshasa",
			"currency": "CDF",
			"full_name": "Administrateur GEC",
			"email": "admin@gec-mines.local",
			"password": frappe.generate_hash(length=24),
		}
	)
	frappe.db.commit()  # nosemgrep: setup runs from the command line, outside any request


def before_uninstall():
	"""Leave the site as it was: attachments, roles, the User field and the counters go with the app."""
	frappe.flags.gec_purge = True
	for name in frappe.get_all(
		"File", filters={"attached_to_doctype": ["in", ["Courrier", "GEC Settings"]]}, pluck="name"
	):
		frappe.delete_doc("File", name, ignore_permissions=True)
	for role in ROLES:
		frappe.db.delete("Has Role", {"role": role})
		if frappe.db.exists("Role", role):
			frappe.delete_doc("Role", role, ignore_permissions=True, force=True)
	if frappe.db.exists("Custom Field", "User-gec_departement"):
		frappe.delete_doc("Custom Field", "User-gec_departement", ignore_permissions=True)
	if frappe.db.has_column("User", "gec_departement"):
		frappe.db.sql_ddl("alter table `tabUser` drop column `gec_departement`")
	frappe.db.delete("Series", {"name": ("like", "GEC-%")})
	remove_workflow()


def remove_workflow():
	"""The workflow, its states and actions (unless another workflow uses them), and the templates."""
	if frappe.db.exists("Workflow", "Circuit du Courrier"):
		frappe.delete_doc("Workflow", "Circuit du Courrier", ignore_permissions=True, force=True)
	for doctype, names, column in (
		("Workflow State", WORKFLOW_STATES, "state"),
		("Workflow Action Master", WORKFLOW_ACTIONS, "action"),
	):
		child = "Workflow Document State" if doctype == "Workflow State" else "Workflow Transition"
		for name in names:
			if frappe.db.exists(doctype, name) and not frappe.db.exists(child, {column: name}):
				frappe.delete_doc(doctype, name, ignore_permissions=True, force=True)
	for name in frappe.get_all("Email Template", filters={"name": ("like", "GEC %")}, pluck="name"):
		frappe.delete_doc("Email Template", name, ignore_permissions=True, force=True)
	for doctype, column in (
		("ToDo", "reference_type"),
		("Notification Log", "document_type"),
		("DocShare", "share_doctype"),
	):
		frappe.db.delete(doctype, {column: "Courrier"})
