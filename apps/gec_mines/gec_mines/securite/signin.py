"""Signing in with the password of the legacy GEC, once.

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
LDAP sign-in, the sign-in form posts to `gec_mines.connexion.login` (public/js/connexion.js
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
from frappe.utils import now_datetime, time_diff_in_seconds
from frappe.utils.password import (
	get_decrypted_password,
	remove_encrypted_password,
	set_encrypted_password,
	update_password,
)

from gec_mines.core.mots_de_passe import is_supported_hash, verify_legacy_password

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
			"gec_mines.connexion.email_password_reset",
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
