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

after_install = "gec_mines.install.after_install"
after_migrate = "gec_mines.install.after_migrate"
before_uninstall = "gec_mines.install.before_uninstall"
before_tests = "gec_mines.tests.utils.before_tests"

fixtures = [
	{"dt": "Role", "filters": [["name", "like", "GEC %"]]},
	{"dt": "Custom Field", "filters": [["name", "in", ["User-gec_departement"]]]},
]

doc_events = {
	"File": {
		"before_insert": "gec_mines.fichiers.check_courrier_attachment",
		"on_trash": "gec_mines.fichiers.protect_main_attachment",
	},
}

scheduler_events = {
	"daily": ["gec_mines.fichiers.remove_abandoned_uploads"],
	"cron": {"0 3 1 12 *": ["gec_mines.numerotation.prepare_next_year_counters"]},
}

boot_session = "gec_mines.boot.boot_session"
