"""Install, migrate and uninstall: site defaults and the registry's master data.

Every step is idempotent: `bench migrate` runs it again and changes nothing that exists.
"""

import frappe

from gec_mines import accuse, securite

STATUTS = [
	# code, libellé, couleur, ordre
	("URGENT", "Urgent", "red", 0),
	("RECU", "Reçu", "blue", 1),
	("EN_COURS", "En cours", "yellow", 2),
	("TRAITE", "Traité", "green", 3),
	("ARCHIVE", "Archivé", "gray", 4),
]

TYPES = [
	# libellé, direction, délai en jours ouvrés, ordre
	("Note circulaire", "Sortant", 0, 1),
	("Note télégramme", "Sortant", 0, 2),
	("Lettre officielle", "Sortant", 0, 3),
	("Mémorandum", "Sortant", 0, 4),
	("Convocation", "Sortant", 0, 5),
	("Rapport", "Entrant et sortant", 10, 6),
	("Note de service", "Sortant", 0, 7),
	("Lettre", "Entrant", 10, 10),
	("Demande de permis minier", "Entrant", 30, 11),
	("Demande d'autorisation", "Entrant", 15, 12),
	("Réclamation", "Entrant", 10, 13),
	("Recours administratif", "Entrant", 30, 14),
	("Invitation", "Entrant", 5, 15),
	("Facture", "Entrant", 20, 16),
	("Autre", "Entrant et sortant", 10, 99),
]

DEPARTEMENTS = [
	("ADM", "Administration Générale"),
	("JUR", "Département Juridique"),
	("TECH", "Département Technique"),
	("FIN", "Département Financier"),
	("SG", "Secrétariat Général"),
]

GEC_ROLES = (
	"GEC Agent Courrier",
	"GEC Gestionnaire",
	"GEC Chef Departement",
	"GEC Secretaire General",
	"GEC Administrateur",
	"GEC Auditeur",
)


def after_install():
	set_site_defaults()
	seed_master_data()
	accuse.ensure_receipt_secret()
	securite.installer()


def after_migrate():
	seed_master_data()
	accuse.ensure_receipt_secret()
	securite.installer()


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
	from gec_mines.echeances import seed_holidays

	seed_holidays()


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
	for role in GEC_ROLES:
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
	from gec_mines.hooks import WORKFLOW_ACTIONS, WORKFLOW_STATES

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
