"""Registration numbers (numéro d'accusé de réception).

The format uses the legacy placeholder language so that legacy settings carry over:
``{year}``, ``{month}``, ``{day}``, ``{counter:05d}`` (zero-padded) and ``{counter}``.
Rendering a format for a date gives a prefix and a suffix around the counter; the pair
is the key of the counter, so a format with ``{year}`` restarts every January and two
directions with different formats keep separate counters.
"""

import re
from dataclasses import dataclass
from datetime import date

from gec_mines.core.errors import DomainError

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
COUNTER = re.compile(r"^counter(?::(0?)(\d{0,2})d)?$")
LITERAL_ALLOWED = re.compile(r"^[A-Za-z0-9\-_/.]*$")
MANUAL_NUMBER = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9\-_/.]{0,48}[A-Za-z0-9])?$")
MAX_WIDTH = 12
MAX_NUMBER_LENGTH = 60
SERIES_KEY_LENGTH = 100  # width of tabSeries.name

DEFAULT_FORMATS = {
	"Entrant": "GEC-E-{year}-{counter:05d}",
	"Sortant": "GEC-S-{year}-{counter:05d}",
}


@dataclass(frozen=True)
class RenderedFormat:
	prefix: str
	suffix: str
	width: int

	@property
	def series_key(self) -> str:
		"""The counter's key: what surrounds the counter, with a mark where it stands."""
		return f"{self.prefix}#{self.suffix}"

	def number(self, counter: int) -> str:
		digits = str(counter).zfill(self.width) if self.width else str(counter)
		return f"{self.prefix}{digits}{self.suffix}"


def parse_format(fmt: str) -> list[tuple[str, str | int | None]]:
	"""Split a format into ("text", literal), ("date", part) and ("counter", width) tokens.

	Raises DomainError for anything the registry could not number with.
	"""
	fmt = (fmt or "").strip()
	if not fmt:
		raise DomainError("format_empty")

	tokens: list[tuple[str, str | int | None]] = []
	position = 0
	counters = 0
	for match in PLACEHOLDER.finditer(fmt):
		_add_literal(tokens, fmt[position : match.start()])
		name = match.group(1).strip()
		if name in ("year", "month", "day"):
			tokens.append(("date", name))
		elif counter := COUNTER.match(name):
			width = int(counter.group(2) or 0)
			if width > MAX_WIDTH:
				raise DomainError("format_counter_too_wide", maximum=MAX_WIDTH)
			tokens.append(("counter", width))
			counters += 1
		else:
			raise DomainError("format_unknown_placeholder", placeholder="{" + name + "}")
		position = match.end()
	_add_literal(tokens, fmt[position:])

	if counters != 1:
		raise DomainError("format_needs_one_counter", found=counters)
	return tokens


def _add_literal(tokens: list, text: str) -> None:
	if not text:
		return
	if "{" in text or "}" in text or not LITERAL_ALLOWED.match(text):
		raise DomainError("format_bad_characters", text=text)
	tokens.append(("text", text))


def render(fmt: str, on: date) -> RenderedFormat:
	"""Render the format for a registration date."""
	parts = {"year": f"{on.year:04d}", "month": f"{on.month:02d}", "day": f"{on.day:02d}"}
	before: list[str] = []
	after: list[str] = []
	width = 0
	target = before
	for kind, value in parse_format(fmt):
		if kind == "counter":
			width = int(value or 0)
			target = after
		elif kind == "date":
			target.append(parts[str(value)])
		else:
			target.append(str(value))

	rendered = RenderedFormat("".join(before), "".join(after), width)
	if len(rendered.series_key) > SERIES_KEY_LENGTH or len(rendered.number(0)) + 6 > MAX_NUMBER_LENGTH:
		raise DomainError("format_too_long", maximum=MAX_NUMBER_LENGTH)
	return rendered


def preview(fmt: str, on: date, counter: int = 1) -> str:
	"""What the n-th number of that date looks like (shown beside the setting)."""
	return render(fmt, on).number(counter)


def check_manual_number(number: str) -> str:
	"""A number typed by hand (legacy "manuel" mode): trimmed, then checked."""
	number = (number or "").strip()
	if not number:
		raise DomainError("manual_number_missing")
	if not MANUAL_NUMBER.match(number):
		raise DomainError("manual_number_bad_characters", number=number)
	return number
