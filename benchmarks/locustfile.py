"""The requests the desk of GEC Mines sends, as locust users, and their legacy GEC equivalents.

Every payload below was taken from the desk's own network traffic (list, filters, search box,
"load more", form, receipt, workspace, query reports, new form with its attachment), so what
is measured is what a browser asks. `suite.py` runs each scenario for each role; the same file
also runs on its own with the locust CLI:

	GEC_BENCH_PLAN=plan.json GEC_BENCH_SCENARIO=search-rare GEC_BENCH_ROLE=Gestionnaire \\
	locust -f benchmarks/locustfile.py GecDesk --headless -u 2 -t 30s --host http://127.0.0.1:8310

`plan.json` is what `site_tools.py prepare` writes (API keys, mail to open, words, month).
The legacy user (`LegacyGec`) reads GEC_LEGACY_URL, GEC_LEGACY_USER and GEC_LEGACY_PASSWORD.
"""

import http.client
import json
import os
import random
import re
import time
import urllib.parse
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import gevent.pool
from locust import FastHttpUser, constant, task

PAGE_LENGTH = 25  # the app's list shows 25 rows (courrier_list.js)
DEEP_START = 975  # "load more" clicked 39 times; the legacy's page 40 at 25 per page
LIST_FIELDS = [
	*(
		f"`tabCourrier`.`{f}`"
		for f in (
			"name",
			"owner",
			"creation",
			"modified",
			"modified_by",
			"_user_tags",
			"_comments",
			"_assign",
			"_liked_by",
			"docstatus",
			"idx",
			"type_courrier",
			"numero_reference",
			"date_enregistrement",
			"expediteur",
			"objet",
			"is_deleted",
			"doublon_probable",
			"statut",
		)
	),
	"statut.libelle as statut_libelle",
]
NOT_DELETED = ["Courrier", "is_deleted", "=", 0]
# The workspace "Mail": its number cards (filters as the widget sends them) and its charts.
NUMBER_CARDS = {
	"Registered Today": [["date_enregistrement", "Timespan", "today"]],
	"Registered This Week": [["date_enregistrement", "Timespan", "this week"]],
	"Awaiting the Secretary General": [["workflow_state", "=", "Chez le SG"]],
	"Overdue Mail": [
		["workflow_state", "in", ["Chez le SG", "Imputé", "En traitement"]],
		["date_echeance", "is", "set"],
		["en_attente", "=", 0],
		["date_echeance", "<", "{today}"],
	],
	"Routed to a Department": [["workflow_state", "=", "Imputé"]],
	"In Processing": [["workflow_state", "=", "En traitement"]],
	"Awaiting Validation": [["workflow_state", "=", "En validation"]],
}
CHARTS = {
	"Mail per Day": "volume_par_jour",
	"Mail per Month": "volume_par_mois",
	"Mail by Direction": "par_sens",
	"Mail by Department": "par_departement",
	"Mail by Status": "par_statut",
	"Overdue Mail by Department": "retards_par_departement",
	"Processing Time by Type": "delai_par_type",
}
BROWSER_CONNECTIONS = 6  # requests a browser sends to one host at once
PDF = (
	b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
	b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
# Names a request inside a composite (a page load, a registration): reported in the details.
PART = " › "


@dataclass
class Target:
	p95_ms: float | None = None
	rps: float | None = None  # at the most clients of the run
	floor_rule: bool = False  # passes too within 3x the floor (ping) when the absolute is out of reach

	def describe(self) -> str:
		if self.p95_ms:
			return f"p95 ≤ {self.p95_ms:g} ms"
		return f"≥ {self.rps:g}/s" if self.rps else "—"


@dataclass
class Scenario:
	key: str
	label: str
	gec: Callable
	legacy: Callable | None = None
	target: Target = field(default_factory=Target)
	writes: bool = False


# ------------------------------------------------------------------ GEC Mines (the desk)


def today() -> str:
	return date.today().isoformat()


def desk_list(user, name: str, filters: list, start: int = 0, count: bool = True):
	"""The list view's refresh: its page of rows, then the count under the list."""
	filters = [NOT_DELETED, *filters]
	user.client.post(
		"/api/method/frappe.desk.reportview.get",
		data={
			"doctype": "Courrier",
			"fields": json.dumps(LIST_FIELDS),
			"filters": json.dumps(filters),
			"order_by": "`tabCourrier`.`creation` desc",
			"start": start,
			"page_length": PAGE_LENGTH,
			"view": "List",
			"with_comment_count": 1,
		},
		name=name,
	)
	if count:
		user.client.post(
			"/api/method/frappe.desk.reportview.get_count",
			data={
				"doctype": "Courrier",
				"filters": json.dumps(filters),
				"fields": "[]",
				"distinct": "false",
				"limit": 1001,
			},
			name=f"{name} · count",
		)


def list_filter(field_name: str):
	def run(user, name):
		desk_list(user, name, [["Courrier", field_name, "=", user.plan["filters"][field_name]]])

	return run


def search(kind: str):
	"""The search box sends one `like %word%` filter per word."""

	def run(user, name):
		words = user.plan["words"][kind]["text"].split()
		desk_list(user, name, [["Courrier", "texte_recherche", "like", f"%{w}%"] for w in words])

	return run


def ping(user, name):
	user.client.get("/api/method/ping", name=name)


def open_courrier(user, name):
	courrier = random.choice(user.account["samples"])
	user.client.get(
		f"/api/method/frappe.desk.form.load.getdoc?doctype=Courrier&name={urllib.parse.quote(courrier)}",
		name=name,
	)


def receipt(user, name):
	courrier = random.choice(user.account["samples"])
	user.client.get(
		f"/api/method/gec_mines.api.accuse.accuse_reception?name={urllib.parse.quote(courrier)}&format=A4",
		name=name,
	)


def query_report(user, name, report: str, filters: dict):
	query = urllib.parse.urlencode(
		{
			"report_name": report,
			"filters": json.dumps(filters),
			"ignore_prepared_report": "false",
			"are_default_filters": "false",
		}
	)
	user.client.get(f"/api/method/frappe.desk.query_report.run?{query}", name=name)


def register(user, name):
	query_report(user, name, "Registre du Courrier", user.plan["month"])


def statistics(user, name):
	query_report(
		user,
		name,
		"Statistiques du Courrier",
		{"from_date": f"{date.today().year}-01-01", "to_date": today()},
	)


def workspace(user, name):
	"""The workspace page: its layout, then its cards and charts as the browser loads them."""

	def card(label, filters):
		filters = [
			["Courrier", f, op, value.format(today=today()) if isinstance(value, str) else value, False]
			for f, op, value in filters
		] + [["Courrier", "is_deleted", "=", 0, False]]
		doc = {"name": label, "type": "Document Type", "function": "Count", "document_type": "Courrier"}
		doc["filters_json"] = json.dumps(filters)
		user.client.post(
			"/api/method/frappe.desk.doctype.number_card.number_card.get_result",
			data={"doc": json.dumps(doc), "filters": json.dumps(filters)},
			name=f"{name}{PART}{label}",
		)

	def chart(label, method):
		user.client.post(
			f"/api/method/gec_mines.api.tableau_de_bord.{method}",
			data={
				"chart_name": label,
				"filters": "{}",
				"refresh": 1,
				"time_interval": "",
				"timespan": "",
				"from_date": "",
				"to_date": "",
				"heatmap_year": "",
			},
			name=f"{name}{PART}{label}",
		)

	with composite(user, name):
		user.client.post(
			"/api/method/frappe.desk.desktop.get_desktop_page",
			data={"page": json.dumps({"name": "Mail", "title": "Mail", "public": 1})},
			name=f"{name}{PART}page",
		)
		pool = gevent.pool.Pool(BROWSER_CONNECTIONS)
		for label, filters in NUMBER_CARDS.items():
			pool.spawn(card, label, filters)
		for label, method in CHARTS.items():
			pool.spawn(chart, label, method)
		pool.join()


def registration(user, name):
	"""The new Courrier form: the scan goes up first (attached to the form's temporary name),
	then the form saves itself, as the Attach field does once the upload is over."""
	temporary = f"new-courrier-{uuid.uuid4().hex[:10]}"
	with composite(user, name) as outcome:
		body, content_type = multipart(
			{
				"is_private": "1",
				"folder": "Home/Attachments",
				"doctype": "Courrier",
				"docname": temporary,
				"fieldname": "fichier",
			},
			("file", f"lettre-{temporary}.pdf", PDF),
		)
		with user.client.post(
			"/api/method/upload_file",
			data=body,
			headers={"Content-Type": content_type},
			name=f"registration{PART}upload",
			catch_response=True,
		) as response:
			if response.status_code != 200:
				response.failure(f"HTTP {response.status_code}")
				outcome["failed"] = True
				return
			file_url = response.json()["message"]["file_url"]
		doc = {
			**user.account["new_courrier"],
			"name": temporary,
			"objet": f"Demande de renouvellement du permis d'exploitation {temporary[-6:]}",
			"expediteur": "Coopérative minière de Kolwezi",
			"numero_reference": f"BENCH/{temporary[-10:]}",
			"copie_sg": "Non",
			"fichier": file_url,
		}
		with user.client.post(
			"/api/method/frappe.desk.form.save.savedocs",
			data={"doc": json.dumps(doc), "action": "Save"},
			name=f"registration{PART}save",
			catch_response=True,
		) as response:
			if response.status_code != 200:
				response.failure(f"HTTP {response.status_code}")
				outcome["failed"] = True
				return
			user.registered(response.json()["docs"][0]["name"])


class composite:
	"""Times a group of requests as one (a page load, a registration) and reports it."""

	def __init__(self, user, name: str):
		self.user, self.name, self.outcome = user, name, {"failed": False}

	def __enter__(self):
		self.start = time.perf_counter()
		return self.outcome

	def __exit__(self, kind, error, _traceback):
		self.user.environment.events.request.fire(
			request_type="PAGE",
			name=self.name,
			response_time=(time.perf_counter() - self.start) * 1000,
			response_length=0,
			exception=error
			or (RuntimeError("a request of the group failed") if self.outcome["failed"] else None),
			context={},
		)
		return False


def multipart(fields: dict, upload: tuple[str, str, bytes]) -> tuple[bytes, str]:
	boundary = uuid.uuid4().hex
	parts = [
		f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
		for k, v in fields.items()
	]
	field_name, filename, content = upload
	parts.append(
		f'--{boundary}\r\nContent-Disposition: form-data; name="{field_name}"; filename="{filename}"\r\n'
		"Content-Type: application/pdf\r\n\r\n".encode()
		+ content
		+ b"\r\n"
	)
	parts.append(f"--{boundary}--\r\n".encode())
	return b"".join(parts), f"multipart/form-data; boundary={boundary}"


# ------------------------------------------------------------------ the legacy GEC (Flask)
# Its list is /view_mail (25 per page, the count inside the page); its search ORs the words
# (GEC ANDs them). Appendix A of the legacy reference lists the routes.


def legacy_get(user, path: str, name: str):
	with user.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
		if response.status_code != 200:  # a lost session answers 302 to /login
			response.failure(f"HTTP {response.status_code}")


def legacy_list(**params):
	def run(user, name):
		values = {k: v(user) if callable(v) else v for k, v in params.items()}
		legacy_get(user, "/view_mail" + ("?" + urllib.parse.urlencode(values) if values else ""), name)

	return run


def legacy_search(kind: str):
	return legacy_list(search=lambda user: user.plan["words"][kind]["text"])


def legacy_open(user, name):
	legacy_get(user, f"/mail/{random.randint(1, user.legacy['max_id'])}", name)


def legacy_receipt(user, name):
	legacy_get(user, f"/export_pdf/{random.randint(1, user.legacy['max_id'])}", name)


def legacy_page(path: str):
	def run(user, name):
		legacy_get(user, path, name)

	return run


def legacy_registration(user, name):
	body, content_type = multipart(
		{
			"type_courrier": "ENTRANT",
			"objet": "Demande de renouvellement du permis d'exploitation",
			"expediteur": "Coopérative minière de Kolwezi",
			"secretaire_general_copie": "non",
			"numero_reference": f"BENCH/{uuid.uuid4().hex[:10]}",
			"statut": "RECU",
		},
		("fichier", "lettre.pdf", PDF),
	)
	with user.client.post(
		"/register_mail",
		data=body,
		headers={"Content-Type": content_type},
		name=name,
		allow_redirects=False,
		catch_response=True,
	) as response:
		if response.status_code != 302 or "/mail/" not in response.headers.get("Location", ""):
			response.failure(f"HTTP {response.status_code}, not registered")


def legacy_month(user):
	return user.plan["month"]["from_date"]


def legacy_month_end(user):  # the legacy's date_to excludes its own day
	month = date.fromisoformat(user.plan["month"]["to_date"])
	return date.fromordinal(month.toordinal() + 1).isoformat()


# ------------------------------------------------------------------ the scenarios

LIST_TARGET = Target(p95_ms=25, floor_rule=True)
SCENARIOS = {
	s.key: s
	for s in (
		Scenario("ping", "ping (floor)", ping),
		Scenario("list", "list", lambda u, n: desk_list(u, n, []), legacy_list(), LIST_TARGET),
		Scenario(
			"filter-direction",
			"filter: direction",
			list_filter("type_courrier"),
			legacy_list(type_courrier="ENTRANT"),
			LIST_TARGET,
		),
		Scenario(
			"filter-document",
			"filter: document type",
			list_filter("type_document"),
			legacy_list(type_courrier="SORTANT", type_courrier_sortant_id=3),
			LIST_TARGET,
		),
		Scenario(
			"filter-status",
			"filter: status",
			list_filter("statut"),
			legacy_list(statut=lambda user: user.plan["filters"]["statut"]),
			LIST_TARGET,
		),
		Scenario(
			"filter-sg-copy",
			"filter: SG in copy",
			list_filter("secretaire_general_copie"),
			legacy_list(sg_copie="oui"),
			LIST_TARGET,
		),
		Scenario("filter-department", "filter: department", list_filter("departement"), None, LIST_TARGET),
		Scenario("filter-on-hold", "filter: on hold", list_filter("en_attente"), None, LIST_TARGET),
		Scenario(
			"search-common", "search: common word", search("common"), legacy_search("common"), LIST_TARGET
		),
		Scenario("search-two", "search: two words", search("two"), legacy_search("two"), LIST_TARGET),
		Scenario("search-rare", "search: rare word", search("rare"), legacy_search("rare"), LIST_TARGET),
		Scenario(
			"paging",
			f"paging deep (row {DEEP_START + 1})",
			lambda u, n: desk_list(u, n, [], start=DEEP_START, count=False),
			legacy_list(page=DEEP_START // PAGE_LENGTH + 1),
			LIST_TARGET,
		),
		Scenario("open", "open a courrier", open_courrier, legacy_open),
		Scenario("receipt", "receipt (A4 PDF)", receipt, legacy_receipt, Target(p95_ms=15, floor_rule=True)),
		Scenario(
			"workspace",
			"workspace (cards + charts)",
			workspace,
			legacy_page("/dashboard"),
			Target(p95_ms=300),
		),
		Scenario(
			"register",
			"register report, one month",
			register,
			legacy_list(date_from=legacy_month, date_to=legacy_month_end),
		),
		Scenario("statistics", "statistics report", statistics, legacy_page("/analytics")),
		Scenario(
			"registration",
			"registration with attachment",
			registration,
			legacy_registration,
			Target(rps=50),
			writes=True,
		),
	)
}


def load_plan() -> dict:
	with open(os.environ["GEC_BENCH_PLAN"]) as f:
		return json.load(f)


class GecDesk(FastHttpUser):
	"""A desk user of GEC Mines, signed in with the API key of its role, repeating one scenario
	as fast as answers come (no think time: latency under a steady load of N such users)."""

	wait_time = constant(0)
	scenario = os.environ.get("GEC_BENCH_SCENARIO", "list")
	role = os.environ.get("GEC_BENCH_ROLE", "SG")
	plan: dict | None = None
	registered_names: list[str] | None = None

	def on_start(self):
		if self.plan is None:
			type(self).plan = load_plan()
		self.account = self.plan["users"][self.role]
		self.client.client.default_headers.update(  # sent with every request of this user
			{
				"Authorization": f"token {self.account['token']}",
				"X-Frappe-Site-Name": self.plan["site"],
				"Accept": "application/json",
			}
		)

	def registered(self, name: str):
		if self.registered_names is not None:
			self.registered_names.append(name)

	@task
	def repeat_scenario(self):
		scenario = SCENARIOS[self.scenario]
		scenario.gec(self, scenario.label)


class LegacyGec(FastHttpUser):
	"""The legacy GEC's user, signed in once per process through its login form (it allows 30
	sign-ins per 15 minutes and address), its session cookie shared by every simulated user."""

	wait_time = constant(0)
	host = os.environ.get("GEC_LEGACY_URL")
	scenario = os.environ.get("GEC_BENCH_SCENARIO", "list")
	plan: dict | None = None
	legacy: dict | None = None

	def on_start(self):
		if self.plan is None:
			type(self).plan = load_plan()
		if self.legacy is None:
			type(self).legacy = legacy_session(
				self.host, os.environ["GEC_LEGACY_USER"], os.environ["GEC_LEGACY_PASSWORD"]
			)
		self.client.client.default_headers.update({"Cookie": self.legacy["cookie"]})

	@task
	def repeat_scenario(self):
		scenario = SCENARIOS[self.scenario]
		scenario.legacy(self, scenario.label)


def legacy_session(url: str, user: str, password: str) -> dict:
	"""Sign in to the legacy app; return its session cookie and the highest mail id it lists."""
	parts = urllib.parse.urlsplit(url)
	connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=30)
	connection.request(
		"POST",
		"/login",
		urllib.parse.urlencode({"username": user, "password": password}),
		{"Content-Type": "application/x-www-form-urlencoded"},
	)
	response = connection.getresponse()
	response.read()
	cookie = response.getheader("Set-Cookie", "").split(";", 1)[0]
	if response.status != 302 or not cookie:
		raise RuntimeError(f"legacy sign-in refused (HTTP {response.status}): check the user and password")
	connection.request("GET", "/view_mail", headers={"Cookie": cookie})
	page = connection.getresponse().read().decode("utf-8", "replace")
	ids = [int(i) for i in re.findall(r"/mail/(\d+)", page)]
	if not ids:
		raise RuntimeError("the legacy list shows no mail: nothing to open")
	return {"cookie": cookie, "max_id": max(ids)}
