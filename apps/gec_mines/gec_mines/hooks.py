from gec_mines.constants import WORKFLOW_ACTIONS, WORKFLOW_STATES

app_name = "gec_mines"
app_title = "GEC Mines"
app_publisher = "Secrétariat Général des Mines"
app_description = "Registre électronique du courrier entrant et sortant du Secrétariat Général des Mines"
app_email = "gec@mines.gouv.cd"
app_license = "mit"

required_apps = []
export_python_type_annotations = True
require_type_annotated_api_methods = True

app_include_js = "gec_mines.bundle.js"
# the sign-in form goes through gec_mines.securite.signin.login (a legacy password opens once)
web_include_js = ["/assets/gec_mines/js/connexion.js"]

after_install = "gec_mines.setup.install.after_install"
after_migrate = "gec_mines.setup.install.after_migrate"
before_uninstall = "gec_mines.setup.install.before_uninstall"
before_tests = "gec_mines.tests.utils.before_tests"


fixtures = [
	{"dt": "Role", "filters": [["name", "like", "GEC %"]]},
	{"dt": "Custom Field", "filters": [["name", "in", ["User-gec_departement"]]]},
	{"dt": "Workflow State", "filters": [["name", "in", WORKFLOW_STATES]]},
	{"dt": "Workflow Action Master", "filters": [["name", "in", WORKFLOW_ACTIONS]]},
	{"dt": "Workflow", "filters": [["name", "=", "Circuit du Courrier"]]},
	{"dt": "Email Template", "filters": [["name", "like", "GEC %"]]},
]

# The one access rule (gec_mines/permissions/) on Courrier and on what hangs off a courrier.
_related = (
	"File",
	"Comment",
	"Communication",
	"Version",
	"ToDo",
	"Transmission Courrier",
	"Commentaire Courrier",
	"Imputation Courrier",
	"Workflow Action",
	"Document Follow",
	"Notification Log",
	"DocShare",
	"Tag Link",
)
# records a request may add to a courrier: only to mail the user may read (even with ignore_permissions)
_added_by_users = (
	"File",
	"Comment",
	"Communication",
	"ToDo",
	"Transmission Courrier",
	"Commentaire Courrier",
	"DocShare",
	"Document Follow",
)
permission_query_conditions = {
	"Courrier": "gec_mines.permissions.query_conditions",
	**{doctype: "gec_mines.permissions.rattaches.query_conditions" for doctype in _related},
	"Cloture Registre": "gec_mines.permissions.cloture.query_conditions",
}
has_permission = {
	"Courrier": "gec_mines.permissions.has_permission",
	**{doctype: "gec_mines.permissions.rattaches.has_permission" for doctype in _related},
	"Cloture Registre": "gec_mines.permissions.cloture.has_permission",
	"User": "gec_mines.permissions.champs.check_own_roles",
}
override_whitelisted_methods = {
	"frappe.client.get_count": "gec_mines.permissions.get_count",
	# the Courrier list and its count: the rule branch by branch, words by scan or full-text index
	"frappe.desk.reportview.get": "gec_mines.overrides.reportview.get",
	"frappe.desk.reportview.get_count": "gec_mines.overrides.reportview.get_count",
	# "Assigned To" counted over readable mail only; every other field through gec_mines.recherche
	"frappe.desk.listview.get_group_by_count": "gec_mines.overrides.listview.get_group_by_count",
	# Frappe endpoints that answer about a record without its permission (gec_mines/overrides/)
	"frappe.desk.search.get_link_title": "gec_mines.overrides.search.get_link_title",
	"frappe.desk.form.document_follow.get_follow_users": "gec_mines.overrides.document_follow.get_follow_users",
	"frappe.desk.doctype.tag.tag.add_tag": "gec_mines.overrides.tag.add_tag",
	"frappe.desk.doctype.tag.tag.add_tags": "gec_mines.overrides.tag.add_tags",
	"frappe.desk.doctype.tag.tag.remove_tag": "gec_mines.overrides.tag.remove_tag",
	"frappe.desk.doctype.tag.tag.get_tagged_docs": "gec_mines.overrides.tag.get_tagged_docs",
	"frappe.workflow.doctype.workflow.workflow.get_workflow_state_count": (
		"gec_mines.overrides.workflow.get_workflow_state_count"
	),
	"frappe.client.validate_link": "gec_mines.overrides.client.validate_link",
	"frappe.model.document.unlock_document": "gec_mines.overrides.document.unlock_document",
	"frappe.social.doctype.energy_point_log.energy_point_log.get_reviews": (
		"gec_mines.overrides.energy_point_log.get_reviews"
	),
	"frappe.email.relink": "gec_mines.overrides.email.relink",
	"frappe.utils.print_format.download_pdf": "gec_mines.overrides.print_format.download_pdf",
	"frappe.desk.doctype.dashboard_chart.dashboard_chart.get": "gec_mines.overrides.dashboard_chart.get",
}
override_doctype_class = {"File": "gec_mines.fichiers.FichierGEC"}
additional_timeline_content = {
	"Courrier": ["gec_mines.courrier.timeline.timeline"],
}

doc_events = {
	**{
		doctype: {
			"before_insert": "gec_mines.permissions.rattaches.check_tie_on_create",
			"validate": "gec_mines.permissions.rattaches.freeze_ties",
		}
		for doctype in _added_by_users
	},
	"File": {
		"before_insert": [
			"gec_mines.permissions.rattaches.check_tie_on_create",
			"gec_mines.fichiers.check_courrier_attachment",
		],
		"validate": "gec_mines.permissions.rattaches.freeze_ties",
		"on_trash": "gec_mines.fichiers.protect_main_attachment",
	},
	"ToDo": {
		"before_insert": [
			"gec_mines.permissions.rattaches.check_tie_on_create",
			"gec_mines.circuit.check_assignment",
		],
		"validate": ["gec_mines.permissions.rattaches.freeze_ties", "gec_mines.circuit.check_reopening"],
		# before validate: ToDo's controller copies the description into its "Assigned" comment
		"before_validate": "gec_mines.chiffrement.fields.masquer_rattache",
	},
	"Workflow Action": {"validate": "gec_mines.permissions.rattaches.freeze_ties"},
	"Notification Log": {
		"before_insert": "gec_mines.chiffrement.fields.masquer_rattache",
		"validate": "gec_mines.permissions.rattaches.freeze_ties",
	},
	"User": {"validate": "gec_mines.permissions.champs.check_user_department"},
	"Activity Log": {"after_insert": "gec_mines.securite.signin.apres_activite"},
	# Versions are written by Frappe after a save, as the user who saved: one who just raised a
	# mail beyond their own reach must still get its version (requests never create one: rattaches)
	"Version": {"before_insert": "gec_mines.chiffrement.fields.masquer_version"},
}

scheduler_events = {
	"daily": ["gec_mines.fichiers.remove_abandoned_uploads"],
	# how common each word is among the newest mail: which plan answers the list's search
	"hourly": ["gec_mines.recherche.calculer_frequences"],
	"cron": {
		"0 3 1 12 *": ["gec_mines.numbering.prepare_next_year_counters"],
		"30 6 * * 1-5": ["gec_mines.echeances.envoyer_rappels"],
	},
}

boot_session = "gec_mines.boot.boot_session"
# the security journal, sign-in throttling and refusals (gec_mines/securite/)
after_request = ["gec_mines.securite.journal.apres_requete"]
# the receipt's rows and QR code in the print formats "Accusé de réception" and "Fiche d'imputation"
jinja = {"methods": ["gec_mines.accuse.gec_accuse", "gec_mines.accuse.gec_qr_fiche"]}
