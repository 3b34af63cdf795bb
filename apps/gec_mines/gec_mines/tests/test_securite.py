"""Abuse limits, sign-in, the security journal, the health check, XSS, SQL metacharacters and CSRF.

The `TestEnDirect` class starts the site in a real web server (`frappe serve`) and talks to it over
HTTP, because CSRF, sign-in locks, redirects and the after-request journal only exist in a request.
"""

import json
import re
import time
from types import SimpleNamespace

import frappe
from frappe.utils.password import update_password

from gec_mines import chiffrement
from gec_mines.securite import journal, limits, signin
from gec_mines.tests.test_chiffrement import securite_users
from gec_mines.tests.utils import GECTestCase, LiveSite, as_user, make_courrier, make_user

XSS = (
	'<script>alert("xss")</script>',
	'<img src=x onerror="alert(1)">',
	'"><svg onload=alert(1)>',
	"javascript:alert(1)",
)
SQL = (
	"' OR '1'='1",
	"\\' OR 1=1 -- ",
	'" OR ""="',
	"%",
	"_",
	"'; DROP TABLE `tabCourrier`; --",
	") OR (1=1",
	"\\",
)
MY_ENDPOINTS = (
	"gec_mines.api.securite.telecharger_fichier",
	"gec_mines.api.securite.recherche_exacte",
	"gec_mines.api.securite.health",
	"gec_mines.api.registre.exporter_journal",
)


def fake_request(path: str, method: str = "GET"):
	return SimpleNamespace(path=path, method=method, headers={})


class TestParametres(GECTestCase):
	def test_sign_in_defaults_are_the_legacy_ones_set_once(self):
		frappe.db.set_default("gec_parametres_securite", "0")
		self.assertTrue(signin.appliquer_parametres_securite())
		settings = frappe.get_single("System Settings")
		self.assertEqual(settings.allow_consecutive_login_attempts, 7)  # the 8th failure locks
		self.assertEqual(settings.allow_login_after_fail, 900)
		self.assertEqual(settings.session_expiry, "08:00")
		self.assertTrue(settings.enable_password_policy)
		self.assertEqual(settings.minimum_password_score, "3")
		frappe.db.set_single_value("System Settings", "session_expiry", "04:00")
		self.assertFalse(signin.appliquer_parametres_securite())  # an administrator's choice stays
		self.assertEqual(frappe.db.get_single_value("System Settings", "session_expiry"), "04:00")

	def test_a_site_set_up_before_gets_only_the_new_settings(self):
		"""Error responses stop carrying tracebacks, and the earlier settings an administrator
		changed since stay as they are."""
		frappe.db.set_default("gec_parametres_securite", "1")
		frappe.db.set_single_value("System Settings", {"allow_error_traceback": 1, "session_expiry": "04:00"})
		self.assertTrue(signin.appliquer_parametres_securite())
		self.assertEqual(frappe.db.get_single_value("System Settings", "allow_error_traceback"), 0)
		self.assertEqual(frappe.db.get_single_value("System Settings", "session_expiry"), "04:00")

	def test_two_factor_sign_in_is_required_of_the_sg_and_administrators_once_switched_on(self):
		from frappe.twofactor import two_factor_is_enabled_for_

		users = securite_users(type(self))
		frappe.db.set_default("gec_parametres_securite", "0")
		signin.appliquer_parametres_securite()
		for role in signin.ROLES_DOUBLE_FACTEUR:
			self.assertEqual(frappe.db.get_value("Role", role, "two_factor_auth"), 1, role)
		self.assertTrue(two_factor_is_enabled_for_(users["sg"]))
		self.assertTrue(two_factor_is_enabled_for_(users["admin"]))
		self.assertFalse(two_factor_is_enabled_for_(users["agent"]))
		self.assertFalse(frappe.db.get_single_value("System Settings", "enable_two_factor_auth"))

	def test_the_security_hooks_are_registered(self):
		self.assertIn(journal.HOOK, frappe.get_hooks("after_request"))
		self.assertIn(
			"gec_mines.securite.signin.apres_activite",
			frappe.get_hooks("doc_events").get("Activity Log", {}).get("after_insert", []),
		)


class TestJournal(GECTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.users = securite_users(cls)
		with as_user(cls.users["agent"]):
			cls.confidentiel = make_courrier(
				confidentialite="Confidentiel", objet="Journal confidentiel"
			).name
			cls.normal = make_courrier(objet="Journal normal").name

	def records(self, **filters) -> list:
		return frappe.get_all("Journal Securite GEC", filters=filters, fields=["evenement", "utilisateur"])

	def test_opening_confidential_mail_is_recorded_and_normal_mail_is_not(self):
		from frappe.desk.form.load import getdoc

		with as_user(self.users["auditeur"]):
			getdoc("Courrier", self.confidentiel)
			getdoc("Courrier", self.normal)
		self.assertEqual(
			self.records(courrier=self.confidentiel, evenement="Ouverture"),
			[{"evenement": "Ouverture", "utilisateur": self.users["auditeur"]}],
		)
		self.assertEqual(self.records(courrier=self.normal, evenement="Ouverture"), [])
		frappe.local.response = frappe._dict()

	def test_prints_are_recorded(self):
		from frappe.www.printview import get_html_and_style

		with as_user(self.users["sg"]):
			get_html_and_style("Courrier", self.normal)
		self.assertTrue(self.records(courrier=self.normal, evenement="Impression"))

	def test_exports_receipts_refusals_and_limits_are_recorded_at_the_end_of_the_request(self):
		cases = (
			("/api/method/frappe.desk.reportview.export_query", {"doctype": "Courrier"}, 200, "Export"),
			("/api/method/gec_mines.api.accuse_reception", {"name": self.normal}, 200, "Accusé de réception"),
			(
				"/api/method/frappe.desk.form.load.getdoc",
				{"doctype": "Courrier", "name": self.confidentiel},
				403,
				"Accès refusé",
			),
			("/api/method/gec_mines.api.securite.health", {}, 429, "Limite dépassée"),
		)
		for path, form, status, event in cases:
			frappe.local.form_dict = frappe._dict(form)
			with as_user(self.users["chef_tech"]):
				frappe.local.form_dict = frappe._dict(form)
				journal.apres_requete(SimpleNamespace(status_code=status), fake_request(path))
			self.assertTrue(self.records(evenement=event, utilisateur=self.users["chef_tech"]), event)
		frappe.local.form_dict = frappe._dict()

	def test_the_journal_is_read_by_administrators_and_auditors_only_and_never_changed(self):
		journal.journal("Accès refusé", courrier=self.normal, details="test")
		for key in ("admin", "auditeur"):
			with as_user(self.users[key]):
				self.assertTrue(frappe.get_list("Journal Securite GEC", filters={"courrier": self.normal}))
				self.assertTrue(frappe.has_permission("Journal Securite GEC", "export"))
				self.assertFalse(frappe.has_permission("Journal Securite GEC", "write"))
		for key in ("agent", "sg", "chef_jur"):
			with as_user(self.users[key]):
				with self.assertRaises(frappe.PermissionError):
					frappe.get_list("Journal Securite GEC")
		record = frappe.get_last_doc("Journal Securite GEC")
		record.details = "effacé"
		with self.assertRaises(frappe.PermissionError):
			record.save(ignore_permissions=True)
		with self.assertRaises(frappe.PermissionError):
			record.delete(ignore_permissions=True)

	def test_a_failed_sign_in_is_recorded_and_counted(self):
		from frappe.auth import LoginManager

		frappe.local.request_ip = "203.0.113.7"
		manager = LoginManager.__new__(LoginManager)
		with self.assertRaises(frappe.AuthenticationError):
			manager.authenticate(self.users["agent"], "mauvais mot de passe")
		self.assertTrue(self.records(evenement="Échec de connexion", utilisateur=self.users["agent"]))
		key = frappe.cache.make_key("gec-sign-in:203.0.113.7")
		self.assertGreaterEqual(int(frappe.cache.get(key)), 1)
		frappe.cache.delete(key)
		signin._tracker(self.users["agent"]).add_success_attempt()
		signin._tracker("203.0.113.7").add_success_attempt()


class TestLimites(GECTestCase):
	def test_an_endpoint_over_its_limit_answers_429_and_is_recorded(self):
		calls = []

		@limits.limite_debit(2, 60)
		def endpoint():
			calls.append(1)

		user = make_user("limite@example.com", ["GEC Agent Courrier"])
		frappe.local.request = fake_request("/api/method/x")
		try:
			with as_user(user):
				endpoint()
				endpoint()
				with self.assertRaises(frappe.RateLimitExceededError):
					endpoint()
		finally:
			del frappe.local.request
			frappe.cache.delete(
				frappe.cache.make_key(f"gec-rl:{endpoint.__module__}.{endpoint.__qualname__}:{user}")
			)
		self.assertEqual(len(calls), 2)
		self.assertTrue(
			frappe.db.exists("Journal Securite GEC", {"evenement": "Limite dépassée", "utilisateur": user})
		)

	def test_every_custom_state_changing_endpoint_is_post_only_and_signed_in(self):
		"""CSRF protects POST for session users: no state change may hide behind GET or a guest call."""
		for path, _method, allowed, guest in whitelisted_endpoints():
			if allowed == ["GET"] or path.startswith(READ_ONLY_GET_AND_POST):
				continue
			self.assertEqual(allowed, ["POST"], path)
			self.assertTrue(not guest or path in SIGN_IN_ENDPOINTS, path)
		guests = {path for path, _m, _a, guest in whitelisted_endpoints() if guest}
		self.assertLessEqual(guests, GUEST_ENDPOINTS)
		self.assertIn("gec_mines.api.securite.health", guests)

	def test_my_endpoints_have_a_rate_limit(self):
		for path in MY_ENDPOINTS:
			self.assertTrue(getattr(frappe.get_attr(path), "gec_limite", None), path)


# Sign-in has no session yet, hence no CSRF token: it is rate-limited and counted per address instead.
SIGN_IN_ENDPOINTS = {"gec_mines.securite.signin.login"}
GUEST_ENDPOINTS = {
	"gec_mines.api.securite.health",
	"gec_mines.api.accuse.verifier_accuse",
	# Frappe's own download_pdf serves portal documents to guests; its guard keeps that (and refuses
	# anything it may not print, as Frappe does)
	"gec_mines.overrides.print_format.download_pdf",
	*SIGN_IN_ENDPOINTS,
}
# Endpoints (or modules of them) that change nothing yet answer GET and POST: replacements of Frappe's
# list reads, exports whose filters may be too long for a URL, dashboard chart sources.
# Any other endpoint is GET-only (reads) or POST-only (changes, so CSRF-checked).
READ_ONLY_GET_AND_POST = (
	"gec_mines.permissions.regle.get_count",
	"gec_mines.recherche.",  # the sidebar's group-by counts of the list
	"gec_mines.api.registre.exporter_registre",
	"gec_mines.api.registre.exporter_liste",
	"gec_mines.api.tableau_de_bord.",
	# guarded replacements of Frappe's reads (gec_mines/overrides), GET and POST like the originals
	"gec_mines.overrides.client.validate_link",
	"gec_mines.overrides.dashboard_chart.get",
	"gec_mines.overrides.document_follow.get_follow_users",
	"gec_mines.overrides.energy_point_log.get_reviews",
	"gec_mines.overrides.listview.get_group_by_count",
	"gec_mines.overrides.reportview.",  # the Courrier list and its count, which the desk posts
	"gec_mines.overrides.print_format.download_pdf",
	"gec_mines.overrides.search.get_link_title",
	"gec_mines.overrides.tag.get_tagged_docs",
	"gec_mines.overrides.workflow.get_workflow_state_count",
)


def whitelisted_endpoints():
	"""(dotted path, function, allowed HTTP methods, allow_guest) of every gec_mines endpoint."""
	import importlib
	import pkgutil

	import gec_mines
	import gec_mines.api
	import gec_mines.gec_mines.doctype

	for package in (gec_mines, gec_mines.api, gec_mines.gec_mines.doctype):
		for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
			if not module.name.startswith(("gec_mines.core", "gec_mines.patches", "gec_mines.tests")):
				importlib.import_module(module.name)
	for fn in list(frappe.whitelisted):
		path = f"{fn.__module__}.{fn.__qualname__}"
		if fn.__module__.startswith("gec_mines.") and ".tests" not in fn.__module__:
			allowed = sorted(frappe.allowed_http_methods_for_whitelisted_func.get(fn, []))
			yield path, fn, allowed, fn in frappe.guest_methods


class TestEntreesHostiles(GECTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.users = securite_users(cls)

	def test_xss_payloads_in_every_text_field_stay_inert_in_notifications_e_mails_and_prints(self):
		from frappe.www.printview import get_html_and_style

		from gec_mines import notifications

		settings = frappe.get_doc("GEC Settings")
		for level, include in (("Normal", 0), ("Confidentiel", 0), ("Confidentiel", 1)):
			settings.inclure_champs_chiffres_emails = include
			settings.save()
			for payload in XSS:
				values = {
					"objet": f"Objet {payload}",
					"expediteur": f"Exp {payload}",
					"numero_reference": f"R {payload}"[:100],
					"autres_informations": f"Autres {payload}",
				}
				with as_user(self.users["agent"]):
					doc = make_courrier(confidentialite=level, **values)
				for event in notifications.EVENTS:
					subject, body = notifications.render(
						event, "fr", doc, {k: payload for k in ("note", "message", "texte", "motif", "jours")}
					)
					for text in (subject, body):
						self.assertNotRegex(text, r"<(script|img|svg)", (level, event, payload))
						self.assertNotIn('onerror="', text)
				with as_user(self.users["sg"]):
					html = get_html_and_style("Courrier", doc.name)["html"]
				self.assertNotRegex(html, r"<script>alert|onerror=|onload=", (level, payload))
		settings.inclure_champs_chiffres_emails = 0
		settings.save()

	def test_encrypted_fields_show_a_mask_in_e_mails_unless_asked(self):
		from gec_mines import notifications
		from gec_mines.core.chiffrement import MASK

		with as_user(self.users["agent"]):
			doc = make_courrier(confidentialite="Confidentiel", objet="Objet à ne pas envoyer")
		subject, body = notifications.render("nouveau_courrier", "fr", doc, {})
		self.assertIn(MASK, body)
		self.assertNotIn("ne pas envoyer", subject + body)

	def test_sql_metacharacters_in_filters_change_nothing(self):
		from gec_mines.api.securite import recherche_exacte

		with as_user(self.users["agent"]):
			mine = make_courrier(objet="Filtre ordinaire").name
		for key in ("agent", "gest_tech"):
			with as_user(self.users[key]):
				visible = set(frappe.get_list("Courrier", pluck="name", limit_page_length=0))
				for payload in SQL:
					for filters in (
						{"objet": payload},
						{"objet": ["like", f"%{payload}%"]},
						{"texte_recherche": ["like", f"%{payload}%"]},
						{"name": ["in", [payload, mine]]},
						{"expediteur": ["!=", payload]},
					):
						found = set(
							frappe.get_list("Courrier", filters=filters, pluck="name", limit_page_length=0)
						)
						self.assertLessEqual(found, visible, (key, filters))
					self.assertEqual(
						frappe.get_list("Courrier", filters={"objet": payload}, pluck="name"), [], payload
					)
					self.assertLessEqual(set(recherche_exacte("expediteur", payload)), visible)
				self.assertEqual(mine in visible, key == "agent")
		self.assertTrue(frappe.db.sql("select count(*) from `tabCourrier`")[0][0])


class TestSante(GECTestCase):
	def test_anonymous_callers_get_up_or_down_only(self):
		from gec_mines.api.securite import health

		with as_user("Guest"):
			self.assertEqual(health(), {"status": "up"})

	def test_administrators_get_details_and_never_a_secret(self):
		from gec_mines.api.securite import health

		admin = make_user("sante-admin@example.com", ["GEC Administrateur"])
		with as_user(admin):
			report = health()
		self.assertEqual(report["status"], "up")
		self.assertEqual(
			set(report["checks"]),
			{"database", "redis_cache", "redis_queue", "scheduler", "disk", "encryption_key"},
		)
		self.assertTrue(report["checks"]["encryption_key"]["present"])
		text = json.dumps(report, default=str)
		for entry in chiffrement.entrees_fichier(chiffrement.source_cle().path):
			self.assertNotIn(entry.split(":", 1)[1], text)
		self.assertNotIn(chiffrement.source_cle().path, text)


# ------------------------------------------------------------------ over HTTP


class TestEnDirect(GECTestCase):
	"""Through a real server: CSRF, sign-in locks, redirects and the after-request journal."""

	PASSWORD = "Gec-Mines-2026!Tests"

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		import requests

		cls.requests = requests
		cls.users = securite_users(cls)
		for user in cls.users.values():
			update_password(user, cls.PASSWORD)
		with as_user(cls.users["agent"]):
			cls.courrier = make_courrier(confidentialite="Confidentiel", objet="En direct").name
		frappe.db.commit()  # the server reads through its own connection
		cls.site = LiveSite("gec-test-serve.log")
		cls.base = cls.site.start()

	@classmethod
	def tearDownClass(cls):
		cls.site.stop()
		super().tearDownClass()

	def ip(self) -> str:
		"""A documentation address of its own per test, so that locks never spill over."""
		return f"198.51.100.{int(time.time() * 1000) % 250 + 1}"

	def session(self, user: str, ip: str | None = None):
		s = self.requests.Session()
		s.headers["X-Forwarded-For"] = ip or self.ip()
		r = s.post(self.base + "/api/method/login", data={"usr": user, "pwd": self.PASSWORD})
		self.assertEqual(r.status_code, 200, r.text)
		page = s.get(self.base + "/app/courrier")
		s.csrf_token = re.search(r'frappe.csrf_token = "([^"]+)"', page.text).group(1)
		return s

	def setUp(self):
		self.started = frappe.utils.now_datetime()

	def journal(self, **filters) -> list:
		"""What the server recorded since the test began."""
		frappe.db.rollback()  # see what the server committed
		filters["horodatage"] = [">=", self.started]
		return frappe.get_all("Journal Securite GEC", filters=filters, pluck="evenement")

	def test_csrf_is_enforced_on_every_custom_state_changing_endpoint(self):
		s = self.session(self.users["agent"])
		posts = [path for path, _f, allowed, _g in whitelisted_endpoints() if allowed == ["POST"]]
		methods = [path.rsplit(".", 1)[1] for path in posts if ".Courrier." in path]
		self.assertIn("mettre_a_la_corbeille", methods)
		calls = [(f"/api/method/{path}", {}) for path in posts if ".Courrier." not in path]
		calls += [
			("/api/method/run_doc_method", {"dt": "Courrier", "dn": self.courrier, "method": method})
			for method in methods
		]
		for url, data in calls:
			refused = s.post(self.base + url, data=data)
			self.assertEqual(refused.status_code, 400, url)
			self.assertEqual(refused.json().get("exc_type"), "CSRFTokenError", url)
		accepted = s.post(
			self.base + "/api/method/run_doc_method",
			data={"dt": "Courrier", "dn": self.courrier, "method": "marquer_lu"},
			headers={"X-Frappe-CSRF-Token": s.csrf_token},
		)
		self.assertEqual(accepted.status_code, 200, accepted.text)
		self.assertNotEqual(
			s.get(self.base + "/api/method/gec_mines.api.courrier.enregistrer").status_code, 200
		)

	def test_eight_failed_sign_ins_lock_for_fifteen_minutes(self):
		user, ip = self.users["gest_seul"], self.ip()
		for _ in range(8):
			r = self.requests.post(
				self.base + "/api/method/login",
				data={"usr": user, "pwd": "faux"},
				headers={"X-Forwarded-For": ip},
			)
			self.assertEqual(r.status_code, 401)
		r = self.requests.post(
			self.base + "/api/method/login",
			data={"usr": user, "pwd": self.PASSWORD},
			headers={"X-Forwarded-For": self.ip() + "1"},
		)
		self.assertNotEqual(r.status_code, 200)
		self.assertIn("locked", r.text)
		events = self.journal(utilisateur=user)
		self.assertEqual(events.count("Échec de connexion"), 8)
		self.assertIn("Compte bloqué", events)
		self.assertIn("Connexion refusée", events)
		signin._tracker(user).add_success_attempt()
		signin._tracker(ip).add_success_attempt()

	def test_an_address_is_throttled_even_when_successes_come_between_guesses(self):
		ip = self.ip()
		agent = self.users["agent"]
		# 30 failures, with a success after every third one: the successes do not reset the count
		for attempt in range(signin.TENTATIVES_PAR_ADRESSE * 4 // 3 - 1):
			guess = attempt % 4 != 3
			r = self.requests.post(
				self.base + "/api/method/login",
				data={
					"usr": "personne@example.com" if guess else agent,
					"pwd": "faux" if guess else self.PASSWORD,
				},
				headers={"X-Forwarded-For": ip},
			)
			self.assertEqual(r.status_code, 401 if guess else 200, attempt)
		r = self.requests.post(
			self.base + "/api/method/login",
			data={"usr": agent, "pwd": self.PASSWORD},
			headers={"X-Forwarded-For": ip},
		)
		self.assertNotEqual(r.status_code, 200)
		self.assertIn("Adresse bloquée", self.journal(adresse_ip=ip))
		signin._tracker(ip).add_success_attempt()

	def test_the_private_url_of_an_encrypted_attachment_leads_to_the_decrypting_endpoint(self):
		file = frappe.get_doc("File", {"attached_to_doctype": "Courrier", "attached_to_name": self.courrier})
		reader = self.session(self.users["agent"])
		redirect = reader.get(self.base + file.file_url, allow_redirects=False)
		self.assertEqual(redirect.status_code, 302)
		served = reader.get(self.base + file.file_url)
		self.assertEqual(served.status_code, 200)
		self.assertTrue(served.content.startswith(b"%PDF"))
		self.assertIn("attachment", served.headers.get("Content-Disposition", ""))
		outsider = self.session(self.users["gest_tech"])
		self.assertEqual(outsider.get(self.base + file.file_url, allow_redirects=False).status_code, 403)
		refused = outsider.get(
			self.base + "/api/method/gec_mines.api.telecharger_fichier", params={"name": file.name}
		)
		self.assertEqual(refused.status_code, 403)
		self.assertNotIn(b"%PDF", refused.content)
		self.assertIn("Accès refusé", self.journal(utilisateur=self.users["gest_tech"]))
		self.assertIn("Téléchargement", self.journal(utilisateur=self.users["agent"], courrier=self.courrier))

	def test_exports_are_recorded_by_the_after_request_hook(self):
		s = self.session(self.users["auditeur"])
		r = s.post(
			self.base + "/api/method/frappe.desk.reportview.export_query",
			data={
				"doctype": "Courrier",
				"file_format_type": "CSV",
				"fields": json.dumps(["`tabCourrier`.`name`", "`tabCourrier`.`objet`"]),
				"filters": json.dumps([]),
				"title": "Courrier",
			},
			headers={"X-Frappe-CSRF-Token": s.csrf_token},
		)
		self.assertEqual(r.status_code, 200, r.text[:300])
		self.assertNotIn("En direct", r.text)  # the encrypted subject leaves as an envelope
		self.assertIn("Export", self.journal(utilisateur=self.users["auditeur"]))

	def test_health_over_http(self):
		r = self.requests.get(self.base + "/api/method/gec_mines.api.health")
		self.assertEqual(r.json(), {"message": {"status": "up"}})
