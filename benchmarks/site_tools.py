"""What the benchmark needs from inside a site, run with the bench's own Python from `sites/`:

	python site_tools.py count SITE              mails in the site (demo and registered)
	python site_tools.py prepare SITE OUT.json   API keys of the measured users, the mail each role
	                                             opens, the words searched, the register's month, the
	                                             site's facts; OUT.json holds secrets (mode 600)
	python site_tools.py gapless SITE NAMES      are the registration numbers gapless after the run?

The load tool itself never imports Frappe: it only sees what this script writes.
"""

import json
import os
import re
import sys
from datetime import timedelta

import frappe

ROLES = {
	"SG": "sg@gec-mines.local",
	"clerk": "agent.courrier@gec-mines.local",
	"Gestionnaire": "gestionnaire.juridique@gec-mines.local",
}
# Words of the demo data (and of the legacy data set, see README): one that about a third of
# the mail holds, the pair a user types to narrow it, one that only a handful of mails hold.
WORDS = {"common": "demande", "two": "demande permis", "rare": "pyrochlore"}
SAMPLES_PER_ROLE = 200


def connect(site: str):
	frappe.init(site=site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")


def count() -> int:
	return frappe.db.count("Courrier")


def prepare(words: dict[str, str]) -> dict:
	from frappe.core.doctype.user.user import generate_keys
	from frappe.utils.scheduler import is_scheduler_disabled

	users = {}
	for role, user in ROLES.items():
		if not frappe.db.exists("User", user):
			sys.exit(f"{user} is missing: the site needs `gec-demo-data` first.")
		secret = generate_keys(user)["api_secret"]
		users[role] = {
			"user": user,
			"token": f"{frappe.db.get_value('User', user, 'api_key')}:{secret}",
			"can_register": bool(frappe.has_permission("Courrier", "create", user=user)),
			"samples": readable_sample(user),
			"new_courrier": new_courrier(user),
		}
	frappe.db.commit()  # nosemgrep: a script of its own, not a request
	return {
		"site": frappe.local.site,
		"mails": count(),
		"users": users,
		"words": {key: {"text": text, "hits": hits(text)} for key, text in words.items()},
		"filters": list_filter_values(),
		"month": register_month(),
		"facts": {
			"mariadb": frappe.db.sql("select version()")[0][0],
			"frappe": frappe.__version__,
			"rate_limit": frappe.conf.get("rate_limit"),
			"scheduler_disabled": bool(is_scheduler_disabled(verbose=False)),
		},
	}


def readable_sample(user: str) -> list[str]:
	"""Mail spread over the whole registry that `user` may open, drawn through the access rule."""
	frappe.set_user(user)
	try:
		return frappe.get_list(
			"Courrier",
			filters={"is_deleted": 0},
			pluck="name",
			order_by="rand()",
			limit_page_length=SAMPLES_PER_ROLE,
		)
	finally:
		frappe.set_user("Administrator")


def new_courrier(user: str) -> dict:
	"""A new Courrier as the desk's form holds it before the user types (defaults of `user`)."""
	frappe.set_user(user)
	try:
		return frappe.new_doc("Courrier").as_dict(convert_dates_to_str=True, no_nulls=True)
	finally:
		frappe.set_user("Administrator")


def hits(text: str) -> int:
	"""How many mails hold every word of `text` (what the list's search box finds)."""
	conditions = " and ".join(["`texte_recherche` like %s"] * len(text.split()))
	values = [f"%{word}%" for word in text.split()]
	return frappe.db.sql(f"select count(*) from `tabCourrier` where {conditions}", values)[0][0]


def list_filter_values() -> dict:
	"""A value for each of the list's standard filters, the most frequent one where it matters."""

	def most_frequent(field: str):
		row = frappe.db.sql(
			f"select `{field}` from `tabCourrier` where `{field}` is not null and `{field}` != ''"
			f" group by `{field}` order by count(*) desc limit 1"
		)
		return row[0][0] if row else None

	return {
		"type_courrier": "Entrant",
		"type_document": most_frequent("type_document"),
		"statut": most_frequent("statut"),
		"secretaire_general_copie": 1,
		"departement": "JUR",
		"en_attente": 1,
	}


def register_month() -> dict:
	"""The last whole month of the registry: the register a clerk prints at the end of a month."""
	latest = frappe.db.sql("select max(`date_enregistrement`) from `tabCourrier`")[0][0]
	last_day = latest.date().replace(day=1) - timedelta(days=1)
	return {"from_date": str(last_day.replace(day=1)), "to_date": str(last_day)}


def gapless(names: list[str]) -> dict:
	"""Each series the run registered into holds every number from 1 to its counter, once."""
	series = {}
	for name in names:
		prefix, _dash, number = name.rpartition("-")
		if number.isdigit():
			series.setdefault(prefix, []).append(name)
	checks = []
	for prefix, registered in sorted(series.items()):
		stored = frappe.db.sql(
			"select `name` from `tabCourrier` where `name` like %s", (like_prefix(prefix),)
		)
		numbers = sorted(
			int(n.rpartition("-")[2]) for (n,) in stored if re.fullmatch(re.escape(prefix) + r"-\d+", n)
		)
		counter = series_counter(registered[0])
		missing = sorted(set(range(1, (numbers[-1] if numbers else 0) + 1)) - set(numbers))
		checks.append(
			{
				"series": prefix,
				"registered_in_run": len(registered),
				"distinct_in_run": len(set(registered)),
				"numbers": len(numbers),
				"highest": numbers[-1] if numbers else 0,
				"counter": counter,
				"missing": missing[:20],
				"missing_count": len(missing),
				"ok": not missing
				and len(set(registered)) == len(registered)
				and (counter is None or counter == (numbers[-1] if numbers else 0)),
			}
		)
	return {"series": checks, "ok": all(c["ok"] for c in checks) if checks else None}


def like_prefix(prefix: str) -> str:
	return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "-%"


def series_counter(name: str) -> int | None:
	"""The counter row behind a number, found through the app's own numbering format."""
	try:
		from gec_mines.core import numbering as core
		from gec_mines.numbering import format_for

		doc = frappe.db.get_value("Courrier", name, ["type_courrier", "date_enregistrement"], as_dict=True)
		key = core.render(format_for(doc.type_courrier), doc.date_enregistrement.date()).series_key
	except Exception:
		return None
	row = frappe.db.sql("select `current` from `tabSeries` where `name` = %s", (key,))
	return row[0][0] if row else None


def main(argv: list[str]):
	command, site, *rest = argv
	connect(site)
	try:
		if command == "count":
			print(count())
		elif command == "prepare":
			words = json.loads(rest[1]) if len(rest) > 1 else WORDS
			plan = prepare(words)
			fd = os.open(rest[0], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
			with os.fdopen(fd, "w") as out:
				json.dump(plan, out, indent=1, default=str)
		elif command == "gapless":
			with open(rest[0]) as f:
				names = [line.strip() for line in f if line.strip()]
			print(json.dumps(gapless(names), indent=1))
		else:
			sys.exit(__doc__)
	finally:
		frappe.destroy()


if __name__ == "__main__":
	main(sys.argv[1:])
