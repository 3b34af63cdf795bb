"""The Secretary General's workspace: number cards and charts count what each user may see."""

import json

import frappe
from frappe.utils import add_days, add_to_date, getdate, now_datetime

from gec_mines.tests.test_accuse import call_api
from gec_mines.tests.utils import GECTestCase, apply, as_user, make_courrier, make_gec_users, make_user, route

CARDS = (
	"Registered Today",
	"Registered This Week",
	"Awaiting the Secretary General",
	"Overdue Mail",
	"Routed to a Department",
	"In Processing",
	"Awaiting Validation",
)
CHARTS = {
	"Mail per Day": "volume_par_jour",
	"Mail per Month": "volume_par_mois",
	"Mail by Direction": "par_sens",
	"Mail by Department": "par_departement",
	"Mail by Status": "par_statut",
	"Overdue Mail by Department": "retards_par_departement",
	"Processing Time by Type": "delai_par_type",
}
TEST_TYPE = "Expertise géologique (test)"


def card(name: str) -> float:
	"""What the workspace shows on card `name`: its static and dynamic filters, counted by Frappe."""
	doc = frappe.get_doc("Number Card", name)
	filters = json.loads(doc.filters_json or "[]")
	for doctype, field, operator, expression in json.loads(doc.dynamic_filters_json or "[]"):
		assert expression == "frappe.datetime.get_today()", expression
		filters.append([doctype, field, operator, getdate()])
	return call_api(
		"frappe.desk.doctype.number_card.number_card.get_result",
		doc=doc.as_json(),
		filters=json.dumps(filters, default=str),
	)


def chart(name: str) -> dict:
	"""label -> values of chart `name`, as its widget fetches it."""
	source = frappe.db.get_value("Dashboard Chart", name, "source")
	method = CHARTS[name]
	assert frappe.db.exists("Dashboard Chart Source", source), source
	data = call_api(f"gec_mines.api.tableau_de_bord.{method}", chart_name=name, filters="{}", refresh=1)
	return {
		label: tuple(dataset["values"][i] for dataset in data["datasets"])
		for i, label in enumerate(data["labels"])
	}


def figures(user: str) -> dict:
	with as_user(user):
		return {
			"cards": {name: card(name) for name in CARDS},
			"charts": {name: chart(name) for name in CHARTS},
		}


def delta(before: dict, after: dict) -> dict:
	"""What changed between two readings of the figures (charts: per label, per dataset)."""
	cards = {name: after["cards"][name] - before["cards"][name] for name in CARDS}
	charts = {}
	for name in CHARTS:
		old, new = before["charts"][name], after["charts"][name]
		changed = {label: values for label, values in new.items() if old.get(label) != values}
		if changed:
			charts[name] = {
				label: tuple(v - w for v, w in zip(values, old.get(label, (0,) * len(values)), strict=True))
				for label, values in changed.items()
			}
	return {"cards": cards, "charts": charts}


class TestTableauDeBord(GECTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.users = make_gec_users("tdb")
		if not frappe.db.exists("Type Courrier", TEST_TYPE):
			frappe.get_doc(
				{"doctype": "Type Courrier", "libelle": TEST_TYPE, "direction": "Entrant", "actif": 1}
			).insert()

	def register_the_day(self):
		"""Five mails: at the desk, at the SG's, routed to Juridique and late, Secret, outgoing."""
		u = self.users
		with as_user(u["agent"]):
			make_courrier(objet="Courrier au bureau")
			at_sg = make_courrier(objet="Courrier chez le SG").name
			late = make_courrier(objet="Courrier en retard", type_document=TEST_TYPE).name
			make_courrier(objet="Pli secret", confidentialite="Secret")
			make_courrier("Sortant", objet="Réponse expédiée")
		apply(at_sg, "Transmettre au SG", u["agent"])
		route(late, u["sg"], u["agent"], {"departement": "JUR"})
		registered = frappe.db.get_value("Courrier", late, "date_enregistrement")
		frappe.db.set_value(
			"Courrier",
			late,
			{"date_echeance": add_days(getdate(), -3), "date_traitement": add_to_date(registered, hours=60)},
		)

	def test_each_user_counts_only_the_mail_they_may_see(self):
		who = ("sg", "agent", "chef_jur", "gest_tech", "gest_seul")
		before = {key: figures(self.users[key]) for key in who}
		self.register_the_day()
		change = {key: delta(before[key], figures(self.users[key])) for key in who}

		expected_cards = {
			# today, this week, at the SG's, overdue, routed, in processing, awaiting validation
			"sg": (5, 5, 2, 1, 1, 0, 0),
			"agent": (4, 4, 1, 1, 1, 0, 0),
			"chef_jur": (1, 1, 0, 1, 1, 0, 0),
			"gest_tech": (0, 0, 0, 0, 0, 0, 0),
			"gest_seul": (0, 0, 0, 0, 0, 0, 0),
		}
		for key, counts in expected_cards.items():
			self.assertEqual(tuple(change[key]["cards"][name] for name in CARDS), counts, key)

		for key in ("gest_tech", "gest_seul"):
			self.assertEqual(change[key]["charts"], {}, f"{key} sees no figure about mail they may not see")

		sg, chef = change["sg"]["charts"], change["chef_jur"]["charts"]
		today = getdate().strftime("%d/%m")
		self.assertEqual(sg["Mail per Day"], {today: (4, 1)})
		self.assertEqual(chef["Mail per Day"], {today: (1, 0)})
		self.assertEqual(
			sg["Mail by Department"], {"Département Juridique": (1,), frappe._("Not routed yet"): (4,)}
		)
		self.assertEqual(chef["Mail by Department"], {"Département Juridique": (1,)})
		self.assertEqual(sg["Overdue Mail by Department"], {"Département Juridique": (1,)})
		self.assertEqual(chef["Overdue Mail by Department"], {"Département Juridique": (1,)})
		self.assertEqual(sum(v[0] for v in sg["Mail by Direction"].values()), 5)
		self.assertEqual(sum(v[0] for v in sg["Mail by Status"].values()), 5)
		self.assertEqual(sum(v[0] for v in change["agent"]["charts"]["Mail by Status"].values()), 4)
		self.assertEqual(sg["Processing Time by Type"], {TEST_TYPE: (2.5,)})
		self.assertEqual(chef["Processing Time by Type"], {TEST_TYPE: (2.5,)})
		month = now_datetime().strftime("%m/%Y")
		self.assertEqual(sg["Mail per Month"], {month: (4, 1)})

	def test_guests_and_users_without_a_registry_role_get_no_figures(self):
		outsider = make_user("tdb-outsider@example.com", [])
		for user in ("Guest", outsider):
			with as_user(user):
				for method in CHARTS.values():
					self.assertRaises(
						frappe.PermissionError, call_api, f"gec_mines.api.tableau_de_bord.{method}"
					)

	def test_the_statistics_export_counts_within_the_access_rule(self):
		import io

		from openpyxl import load_workbook

		from gec_mines import tableau_de_bord as tdb
		from gec_mines.tests.test_accuse import download

		u = self.users
		with as_user(u["agent"]):
			routed = make_courrier(objet="Statistiques routé", expediteur="Minière du Sud").name
			secret = make_courrier(objet="Statistiques secret", confidentialite="Secret").name
		route(routed, u["sg"], u["agent"], {"departement": "JUR"})
		for name in (routed, secret):
			frappe.db.set_value("Courrier", name, "date_enregistrement", "2024-06-05 10:00:00")
		day = json.dumps({"from_date": "2024-06-05", "to_date": "2024-06-05"})

		def registered(user: str) -> int:
			"""The "Mail registered" figure of the user's XLSX export (in the user's language)."""
			from gec_mines.accuse import user_language

			with as_user(user):
				content, meta = download(
					"gec_mines.api.tableau_de_bord.exporter_statistiques", filters=day, format="xlsx"
				)
				with user_language():
					label = frappe._("Mail registered")
			self.assertEqual(meta["filename"], "statistiques-2024-06-05_2024-06-05.xlsx")
			sheet = load_workbook(io.BytesIO(content)).worksheets[0]
			return {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}[label]

		self.assertEqual(registered(u["sg"]), 2)
		self.assertEqual(registered(u["chef_jur"]), 1)
		with as_user(u["gest_tech"]):
			figures_ = tdb.sections(tdb.Periode.parse("2024-06-05", "2024-06-05"))
			self.assertEqual(dict(figures_[0].rows)[frappe._("Mail registered")], 0)
			self.assertEqual([t.rows for t in figures_[1:] if t.rows], [[["06/2024", 0, 0]]])
			self.assertRaises(
				frappe.PermissionError,
				download,
				"gec_mines.api.tableau_de_bord.exporter_statistiques",
				filters=day,
				format="xlsx",
			)

	def test_the_workspace_shows_its_cards_and_charts_to_the_registry_roles(self):
		from frappe.desk.desktop import get_desktop_page

		with as_user(self.users["chef_jur"]):
			page = get_desktop_page(json.dumps({"name": "Mail", "title": "Mail", "public": 1}))
		self.assertEqual({c.number_card_name for c in page["number_cards"]["items"]}, set(CARDS))
		self.assertEqual({c.chart_name for c in page["charts"]["items"]}, set(CHARTS))
