"""Signing in: Frappe's sign-in settings, the throttling of addresses, and the legacy password.

Sign-in
	Frappe locks a user or an address after `allow_consecutive_login_attempts` failures in a row;
	GEC sets it so that 8 failures lock for 15 minutes, as the legacy application did. On top of that,
	an address may fail to sign in at most `TENTATIVES_PAR_ADRESSE` times per `FENETRE` seconds, even
	with successes in between (a valid account cannot reset the count by signing in between guesses):
	beyond, the address is locked through Frappe's own tracker and the event is recorded. Successes do
	not count: a whole ministry signs in from behind one NAT address.

Legacy password
	Signing in with the password of the legacy GEC, once.

	Imported users have no Frappe password. Their legacy hash (Werkzeug scrypt or pbkdf2, or bcrypt)
	waits in `__Auth`, encrypted with the site key like any Password field, under
	User/<name>/`gec_legacy_password`: it is no field of any DocType, so no form, report or API ever
	returns it. At the first sign-in the typed password is checked against it
	(`core.mots_de_passe`); when it matches, it becomes the user's Frappe password and the legacy
	hash is deleted. A hash that cannot be verified sends a password-reset e-mail instead: the
	account never opens without a password the user chose.

	Why an endpoint: Frappe v15 authenticates inside `HTTPRequest` (`LoginManager.authenticate`,
	which calls the base `User.find_by_credentials` and `frappe.utils.password.check_password`)
	before any app hook runs: `before_request`, `auth_hooks` and `on_login` come later or only on
	success, and `override_doctype_class` does not reach that classmethod call. So, like Frappe's own
	LDAP sign-in, the sign-in form posts to `gec_mines.securite.signin.login` (public/js/connexion.js
	redirects the login page's call), which migrates a pending legacy password and then hands over
	to `LoginManager.login()`: Frappe's checks all apply unchanged (disabled users, lockout after
	failed attempts, two-factor, IP and hour restrictions, the authentication log). A wrong legacy
	password is left for that same `login()` to refuse, so it counts toward the lockout like any
	failed sign-in; a locked account is not checked at all.
"""

import frappe
from frappe import _
from frappe.auth import get_login_attempt_tracker
from frappe.rate_limiter import rate_limit
from frappe.utils import cint, now_datetime, time_diff_in_seconds
from frappe.utils.password import (
	get_decrypted_password,
	remove_encrypted_password,
	set_encrypted_password,
	update_password,
)

from gec_mines.constants import ADMIN, SG
from gec_mines.core.mots_de_passe import is_supported_hash, verify_legacy_password
from gec_mines.securite.journal import journal

FENETRE = 15 * 60
TENTATIVES_PAR_ADRESSE = 30
# Frappe's own settings, each set once (an administrator's later choice is kept): version ->
# the settings that version brought.
PARAMETRES_PAR_VERSION = {
	1: {
		# Frappe locks when the failures exceed this number: 7 means the 8th failure locks, as in the legacy app.
		"allow_consecutive_login_attempts": 7,
		"allow_login_after_fail": 15 * 60,
		"enable_password_policy": 1,
		"minimum_password_score": "3",
		"session_expiry": "08:00",
		"logout_on_password_reset": 1,
		"two_factor_method": "OTP App",
		"allow_guests_to_upload_files": 0,
	},
	# error responses carry no traceback (server paths, code) to the client
	2: {"allow_error_traceback": 0},
}
PARAMETRES_VERSION = max(PARAMETRES_PAR_VERSION)
ROLES_DOUBLE_FACTEUR = (SG, ADMIN, "System Manager")
LEGACY_FIELD = "gec_legacy_password"
RESET_EMAIL_INTERVAL = 3600  # seconds


def store_legacy_hash(user: str, password_hash: str):
	set_encrypted_password("User", user, password_hash, LEGACY_FIELD)


def legacy_hash(user: str) -> str | None:
	return get_decrypted_password("User", user, LEGACY_FIELD, raise_exception=False)


def forget_legacy_hash(user: str):
	remove_encrypted_password("User", user, LEGACY_FIELD)


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=20, seconds=60)
def login(usr: str | None = None, pwd: str | None = None, **kwargs) -> None:
	"""Frappe's sign-in, after a pending legacy password has become a Frappe one."""
	if usr and pwd:
		migrate_legacy_password(usr, pwd)
	manager = frappe.local.login_manager
	if manager.login() is not False:
		manager.run_trigger("on_session_creation")


def migrate_legacy_password(usr: str, pwd: str) -> bool:
	"""True when `pwd` opened the user's legacy hash and is now their Frappe password."""
	from frappe.core.doctype.user.user import User

	found = User.find_by_credentials(usr, pwd, validate_password=False)
	if not found or not found.enabled:
		return False
	user = found.name
	stored = legacy_hash(user)
	if stored is None:
		return False
	if has_frappe_password(user):  # set since by an administrator or a reset: it wins
		forget_legacy_hash(user)
		return False
	get_login_attempt_tracker(user)  # raises while the account is locked
	if not is_supported_hash(stored):
		send_password_reset(user)
		return False
	if not verify_legacy_password(stored, pwd):
		return False
	update_password(user, pwd)
	forget_legacy_hash(user)
	return True


def has_frappe_password(user: str) -> bool:
	return bool(
		frappe.db.sql(
			"""select 1 from `__Auth`
			where `doctype` = 'User' and `name` = %s and `fieldname` = 'password' and `encrypted` = 0""",
			(user,),
		)
	)


def send_password_reset(user: str):
	"""The legacy hash cannot be checked: the user chooses a new password from the link of
	Frappe's own reset e-mail, sent at most once an hour whatever the number of attempts, by a
	worker (a mail server that does not answer must not turn a sign-in into an error)."""
	last = frappe.db.get_value("User", user, "last_reset_password_key_generated_on")
	if not last or time_diff_in_seconds(now_datetime(), last) >= RESET_EMAIL_INTERVAL:
		frappe.enqueue(
			"gec_mines.securite.signin.email_password_reset",
			queue="short",
			user=user,
			job_id=f"gec_mines:password_reset:{user}",
			deduplicate=True,
			enqueue_after_commit=True,  # the failed sign-in that follows commits its log
			now=frappe.flags.in_test,
		)
	frappe.msgprint(
		_(
			"Your password from the former GEC cannot be used here: a link to choose a new one was sent to your e-mail address."
		),
		title=_("Password Email Sent"),
	)


def email_password_reset(user: str):
	frappe.get_doc("User", user).reset_password(send_email=True)


def apres_activite(doc, method=None) -> None:
	"""`Activity Log` after_insert: a failed sign-in is recorded and counted for its address, and a
	user or address Frappe has just locked is recorded too."""
	if doc.operation != "Login" or doc.status != "Failed":
		return
	ip = getattr(frappe.local, "request_ip", None)
	journal("Échec de connexion", utilisateur=doc.user, details=doc.subject)
	settings = frappe.get_system_settings
	maximum = cint(settings("allow_consecutive_login_attempts"))
	if maximum > 0:
		for key, event in ((doc.user, "Compte bloqué"), (ip, "Adresse bloquée")):
			if key and cint(_tracker(key).login_failed_count) == maximum + 1:
				journal(
					event, utilisateur=doc.user, details=_("after {0} failures in a row").format(maximum + 1)
				)
	compter_tentative(ip, doc.user)


def compter_tentative(ip: str | None, user: str | None = None) -> None:
	"""Count a sign-in attempt of `ip`; beyond the limit, lock the address for the lock interval."""
	if not ip:
		return
	key = frappe.cache.make_key(f"gec-sign-in:{ip}")
	frappe.cache.set(key, 0, ex=FENETRE, nx=True)
	if frappe.cache.incr(key) == TENTATIVES_PAR_ADRESSE:
		bloquer_adresse(ip)
		journal(
			"Adresse bloquée",
			utilisateur=user,
			details=_("{0} sign-in attempts within {1} minutes").format(
				TENTATIVES_PAR_ADRESSE, FENETRE // 60
			),
		)


def bloquer_adresse(ip: str) -> None:
	"""Lock `ip` through Frappe's login tracker, which refuses it until the lock interval is over."""
	tracker = _tracker(ip)
	tracker.login_failed_time = now_datetime()
	tracker.login_failed_count = cint(frappe.get_system_settings("allow_consecutive_login_attempts")) + 1


def _tracker(key: str):
	from frappe.auth import LoginAttemptTracker

	return LoginAttemptTracker(key)


def appliquer_parametres_securite() -> bool:
	"""Frappe's sign-in settings at GEC's defaults, once: an administrator may change them afterwards."""
	applied = cint(frappe.db.get_default("gec_parametres_securite"))
	if applied >= PARAMETRES_VERSION:
		return False
	settings = frappe.get_single("System Settings")
	for version, values in sorted(PARAMETRES_PAR_VERSION.items()):
		if version > applied:
			settings.update(values)
	settings.flags.ignore_permissions = True
	settings.flags.ignore_mandatory = True
	settings.save()
	for role in ROLES_DOUBLE_FACTEUR if applied < 1 else ():
		if frappe.db.exists("Role", role):
			frappe.db.set_value("Role", role, "two_factor_auth", 1)
	frappe.db.set_default("gec_parametres_securite", str(PARAMETRES_VERSION))
	return True
