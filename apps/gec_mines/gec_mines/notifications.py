"""In-app notifications and e-mails about a courrier.

Each event has an `Email Template` per language ("GEC <event> (fr)" and "GEC <event> (en)"),
shipped as fixtures and editable in the desk. A notification reaches only users who may read
the courrier; the e-mail goes through Frappe's queue, never inside the user's request.
"""

import frappe
from frappe.utils import escape_html, get_url_to_form

from gec_mines.chiffrement import pour_notification
from gec_mines.permissions import can_read

EVENTS = (
	"nouveau_courrier",
	"imputation",
	"assignation",
	"transmission",
	"commentaire",
	"validation_demandee",
	"validation",
	"rejet",
	"rappel",
	"retard",
	"escalade",
)
LANGUAGES = ("fr", "en")


def template_name(event: str, lang: str) -> str:
	return f"GEC {event} ({lang})"


def notifier(event: str, courrier, users, **context):
	"""Tell `users` about `event` on `courrier` (a document), in each user's language.

	The notices are written after the action's commit, by a background job that runs as the
	acting user: the request (a registration holds its numbering row until it commits) does not
	wait for them, and an action that fails notifies nobody."""
	recipients = sorted({u for u in users or () if u and u not in ("Guest", frappe.session.user)})
	if not recipients:
		return
	frappe.enqueue(
		"gec_mines.notifications.envoyer",
		queue="short",
		evenement=event,
		courrier=courrier.name,
		users=recipients,
		context=context,
		enqueue_after_commit=True,
		now=frappe.flags.in_test,
	)


def envoyer(evenement: str, courrier: str, users: list[str], context: dict):
	"""The background half of `notifier`: the stored courrier, each reader told once."""
	if not frappe.db.exists("Courrier", courrier):
		return
	courrier = frappe.get_doc("Courrier", courrier)
	sender = frappe.session.user
	mail = can_send_email()
	for user in users:
		info = frappe.db.get_value("User", user, ["enabled", "language", "email"], as_dict=True)
		if not info or not info.enabled or not can_read(courrier.name, user):
			continue
		subject, body = render(evenement, info.language, courrier, context)
		log = frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": user,
				"from_user": sender,
				"type": "Alert",
				"document_type": "Courrier",
				"document_name": courrier.name,
				"subject": subject,
				"email_content": body,
			}
		)
		log.insert(ignore_permissions=True)
		if mail and info.email:
			frappe.sendmail(
				recipients=[info.email],
				subject=subject,
				message=body,
				reference_doctype="Courrier",
				reference_name=courrier.name,
				now=False,
			)


def can_send_email() -> bool:
	"""No outgoing account yet (a new site): notify in the desk only, never fail the action."""
	from frappe.email.doctype.email_account.email_account import EmailAccount

	return bool(EmailAccount.find_default_outgoing())


def render(event: str, lang: str | None, courrier, context: dict) -> tuple[str, str]:
	lang = lang if lang in LANGUAGES else (frappe.db.get_default("lang") or "fr")[:2]
	fields = ["subject", "use_html", "response", "response_html"]
	template = frappe.db.get_value(
		"Email Template", template_name(event, lang), fields, as_dict=True
	) or frappe.db.get_value("Email Template", template_name(event, "fr"), fields, as_dict=True)
	if not template:
		frappe.throw(frappe._("The e-mail template {0} is missing.").format(template_name(event, lang)))
	values = safe_context(courrier, context)
	subject = frappe.render_template(template.subject, values)
	body = frappe.render_template(template.response_html if template.use_html else template.response, values)
	return " ".join(subject.split()), body


def safe_context(courrier, context: dict) -> dict:
	"""Template values, HTML-escaped: a subject or a comment must never become markup. Encrypted
	fields show a mask unless GEC Settings asks for them in e-mails (see chiffrement.pour_notification)."""
	values = {
		"name": courrier.name,
		"objet": pour_notification(courrier, "objet"),
		"expediteur": pour_notification(courrier, "expediteur"),
		"destinataire": pour_notification(courrier, "destinataire"),
		"etat": courrier.workflow_state,
		"date_echeance": frappe.utils.formatdate(courrier.date_echeance) if courrier.date_echeance else "",
		"departement": courrier.departement,
		"auteur": frappe.utils.get_fullname(frappe.session.user),
		**context,
	}
	escaped = {k: escape_html(str(v)) if v is not None else "" for k, v in values.items()}
	escaped["lien"] = get_url_to_form("Courrier", courrier.name)
	return escaped
