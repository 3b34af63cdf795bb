"""Legacy values as the registry wants them: dates, status codes, colours, workflow states."""

import re
import unicodedata
from datetime import datetime

from frappe.utils import (
	convert_utc_to_system_timezone,
)

from gec_mines.numbering import format_for
from gec_mines.setup.demo import DEMO_STATES

# Legacy outgoing mail was registered once signed: ready to dispatch unless its status says more.
UNKNOWN_STATUS_STATES = {"Entrant": "Enregistré", "Sortant": "Validé"}
COLOURS = {
	"blue": "blue",
	"sky": "cyan",
	"cyan": "cyan",
	"teal": "green",
	"green": "green",
	"emerald": "green",
	"lime": "green",
	"red": "red",
	"rose": "pink",
	"pink": "pink",
	"orange": "orange",
	"amber": "orange",
	"yellow": "yellow",
	"purple": "purple",
	"violet": "purple",
	"indigo": "purple",
	"fuchsia": "pink",
}


def local(value: datetime | None) -> datetime | None:
	"""A legacy datetime (naive UTC) in the site's time zone, naive like Frappe's."""
	if value is None:
		return None
	return convert_utc_to_system_timezone(value).replace(tzinfo=None)


def ascii_text(value: str) -> str:
	decomposed = unicodedata.normalize("NFKD", value or "")
	return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def status_code(nom: str) -> str:
	"""A legacy status name as a Statut Courrier code (capitals, digits, underscores)."""
	code = re.sub(r"[^A-Z0-9_]+", "_", ascii_text(nom).strip().upper()).strip("_")
	return (code if code[:1].isalpha() else f"S_{code}")[:50]


def colour(tailwind: str | None) -> str:
	"""The legacy Tailwind classes ("bg-red-100 text-red-800") as a status colour."""
	match = re.search(r"(?:bg|text)-([a-z]+)-\d", tailwind or "")
	return COLOURS.get(match.group(1), "gray") if match else "gray"


def workflow_state(direction: str, statut: str | None) -> str:
	"""Where a legacy mail stands in the Circuit du Courrier: the demo data's mapping of the legacy
	statuses, and the start of the circuit for any other status."""
	return DEMO_STATES[direction].get(statut, UNKNOWN_STATUS_STATES[direction])


def numbering_format(direction: str) -> str:
	return format_for(direction)
