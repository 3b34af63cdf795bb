"""Dry run: read a whole legacy source, count it, and list every problem, writing nothing."""

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from gec_mines.core import numbering
from gec_mines.core.errors import DomainError
from gec_mines.core.legacy.problems import problem
from gec_mines.core.legacy.records import (
	ACTIVITE,
	COMMENT,
	COURRIER,
	DEFAULT_FORMAT,
	DEPARTEMENT,
	ERROR,
	FORWARD,
	MODIFICATION,
	PARAMETRES,
	ROLE,
	STATUT,
	TABLES,
	TYPE_SORTANT,
	USER,
	WARNING,
	LegacyFile,
	Problem,
)
from gec_mines.core.legacy.source import LegacyFileError, LegacySource
from gec_mines.core.referentiels import STATUT_CODES

DEFAULT_STATUTS = STATUT_CODES  # seeded at every legacy start
PROGRESS_EVERY = 1000
LEGACY_TOKEN = re.compile(r"\{(year|month|day|counter(?::(\d+)d)?|random:\d+)\}")
DATE_DIGITS = {"year": r"\d{4}", "month": r"\d{2}", "day": r"\d{2}"}

Progress = Callable[[str, int], None]


@dataclass(frozen=True, slots=True)
class LegacyCounter:
	"""The highest legacy counter of one series, so new numbers continue after it.

	`series_key` is built like `numbering.RenderedFormat.series_key` (prefix#suffix).
	"""

	prefix: str
	suffix: str
	width: int
	last: int
	count: int

	@property
	def series_key(self) -> str:
		return f"{self.prefix}#{self.suffix}"


def number_pattern(fmt: str) -> re.Pattern | None:
	"""A regex for the numbers a legacy format produced (its own placeholder rules, U:279).

	None when numbers cannot be traced back to a counter (no counter, or `{random:N}`).
	"""
	parts: list[str] = []
	position = 0
	has_counter = False
	for match in LEGACY_TOKEN.finditer(fmt):
		parts.append(re.escape(fmt[position : match.start()]))
		name = match.group(1)
		if name in DATE_DIGITS:
			parts.append(DATE_DIGITS[name])
		elif name.startswith("counter"):
			digits = rf"\d{{{max(int(match.group(2) or 0), 1)},}}"
			parts.append(digits if has_counter else f"(?P<counter>{digits})")
			has_counter = True
		else:
			return None
		position = match.end()
	parts.append(re.escape(fmt[position:]))
	return re.compile("".join(parts)) if has_counter else None


class CounterTally:
	"""Collects the highest counter per series from legacy numbers, one at a time."""

	def __init__(self, fmt: str):
		self.pattern = number_pattern(fmt)
		counter = re.search(r"\{counter(?::(\d+)d)?\}", fmt)
		self.width = int(counter.group(1) or 0) if counter else 0
		self.series: dict[tuple[str, str], list[int]] = {}

	def add(self, number: str) -> None:
		match = self.pattern.fullmatch(number.strip()) if self.pattern and number else None
		if match is None:
			return  # typed by hand, or made with another format
		value = int(match.group("counter"))
		key = (match.string[: match.start("counter")], match.string[match.end("counter") :])
		last_and_count = self.series.setdefault(key, [0, 0])
		last_and_count[0] = max(last_and_count[0], value)
		last_and_count[1] += 1

	def counters(self) -> tuple[LegacyCounter, ...]:
		return tuple(
			LegacyCounter(prefix, suffix, self.width, last, count)
			for (prefix, suffix), (last, count) in sorted(self.series.items())
		)


def legacy_counters(fmt: str, numbers: Iterable[str]) -> tuple[LegacyCounter, ...]:
	tally = CounterTally(fmt)
	for number in numbers:
		tally.add(number)
	return tally.counters()


def name_key(value: str) -> str:
	"""How MariaDB's case- and accent-insensitive collation compares document names."""
	decomposed = unicodedata.normalize("NFKD", value)
	return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().split())


@dataclass
class Report:
	"""What a dry run found: rows per table, problems, and the counters to continue from."""

	source: str
	counts: dict[str, int]
	problems: list[Problem] = field(default_factory=list)
	counters: tuple[LegacyCounter, ...] = ()
	numbering_format: str = DEFAULT_FORMAT
	files_checked: int = 0

	@property
	def errors(self) -> list[Problem]:
		return [p for p in self.problems if p.severity == ERROR]

	@property
	def warnings(self) -> list[Problem]:
		return [p for p in self.problems if p.severity == WARNING]

	def by_code(self) -> dict[str, list[Problem]]:
		grouped: dict[str, list[Problem]] = {}
		for item in self.problems:
			grouped.setdefault(item.code, []).append(item)
		return grouped

	def codes(self) -> Counter:
		return Counter(item.code for item in self.problems)

	def lines(self) -> list[str]:
		"""A plain-text rendering for the dry run's output."""
		lines = [f"Source: {self.source}", "Rows per table:"]
		lines += [f"  {table}: {count}" for table, count in self.counts.items()]
		lines.append(f"Files checked: {self.files_checked}")
		lines += [f"Counter {c.series_key}: last {c.last} ({c.count} numbers)" for c in self.counters]
		lines.append(f"Problems: {len(self.errors)} errors, {len(self.warnings)} warnings")
		for code, items in sorted(self.by_code().items()):
			lines.append(f"  {code} ({len(items)})")
			lines += [f"    {item}" for item in items]
		return lines


def analyse(source: LegacySource, *, verify_files: bool = True, progress: Progress | None = None) -> Report:
	"""Read everything the source holds and report counts and problems; nothing is written.

	With `verify_files`, every located file is read, decrypted and checked against its stored
	checksum and size (slow on large uploads folders; without it, only presence is checked).
	"""
	return _Analysis(source, verify_files, progress).run()


class _Analysis:
	def __init__(self, source: LegacySource, verify_files: bool, progress: Progress | None):
		self.source = source
		self.verify_files = verify_files
		self.progress = progress
		self.problems: list[Problem] = list(source.problems)
		self.counts = dict.fromkeys(TABLES, 0)
		self.files_checked = 0
		self.has = source.tables
		self.user_ids: set[int] = set()
		self.courrier_ids: set[int] = set()

	def run(self) -> Report:
		departement_ids = {d.id for d in self._read(DEPARTEMENT)}
		for _role in self._read(ROLE):
			pass
		self._users(departement_ids)
		statuts = {s.nom.upper() for s in self._read(STATUT)} if STATUT in self.has else set(DEFAULT_STATUTS)
		type_ids = {t.id for t in self._read(TYPE_SORTANT)}
		fmt = self._settings()
		counters = self._courriers(statuts, type_ids, fmt)
		self._forwards()
		self._linked(COMMENT, "user_id")
		self._linked(MODIFICATION, "utilisateur_id")
		self._linked(ACTIVITE, "utilisateur_id", courrier_severity=WARNING)
		return Report(
			source=self.source.describe(),
			counts=self.counts,
			problems=self.problems,
			counters=counters,
			numbering_format=fmt,
			files_checked=self.files_checked,
		)

	def _read(self, table: str):
		"""The table's records, counted and with their own problems collected."""
		for number, record in enumerate(self.source.records(table), start=1):
			self.counts[table] = number
			self.problems.extend(record.problems)
			if self.progress and number % PROGRESS_EVERY == 0:
				self.progress(table, number)
			yield record
		if self.progress:
			self.progress(table, self.counts[table])

	def _add(self, code: str, table: str, row_id, severity: str | None = None, **params) -> None:
		self.problems.append(problem(code, table, row_id, severity, **params))

	def _users(self, departement_ids: set[int]) -> None:
		first_email: dict[str, int] = {}
		first_username: dict[str, int] = {}
		for user in self._read(USER):
			self.user_ids.add(user.id)
			if not user.email:
				self._add("missing_email", USER, user.id)
			elif (earlier := first_email.setdefault(user.email.casefold(), user.id)) != user.id:
				self._add("duplicate_email", USER, user.id, email=user.email, first_id=earlier)
			if (earlier := first_username.setdefault(user.username.casefold(), user.id)) != user.id:
				self._add("duplicate_username", USER, user.id, username=user.username, first_id=earlier)
			if user.departement_id is None:
				self._add("user_without_department", USER, user.id, username=user.username)
			elif user.departement_id not in departement_ids:
				self._add("unknown_department", USER, user.id, departement_id=user.departement_id)

	def _settings(self) -> str:
		settings = self.source.settings() if PARAMETRES in self.has else None
		if settings is None:
			if PARAMETRES in self.has:
				self._add("settings_missing", PARAMETRES, None)
			return DEFAULT_FORMAT
		self.counts[PARAMETRES] = 1
		self.problems.extend(settings.problems)
		for fichier in (settings.logo, settings.logo_pdf):
			self._check_file(PARAMETRES, settings.id, fichier)
		try:
			numbering.parse_format(settings.format_numero_accuse)
		except DomainError as error:
			self._add(
				"numbering_format_unsupported",
				PARAMETRES,
				settings.id,
				format=settings.format_numero_accuse,
				reason=error.code,
			)
		return settings.format_numero_accuse

	def _courriers(self, statuts: set[str], type_ids: set[int], fmt: str) -> tuple[LegacyCounter, ...]:
		tally = CounterTally(fmt)
		first_number: dict[str, int] = {}
		first_reference: dict[str, int] = {}
		for courrier in self._read(COURRIER):
			self.courrier_ids.add(courrier.id)
			number = courrier.numero_accuse_reception
			if number:
				tally.add(number)
				earlier = first_number.setdefault(name_key(number), courrier.id)
				if earlier != courrier.id:
					self._add("duplicate_ar_number", COURRIER, courrier.id, numero=number, first_id=earlier)
			if courrier.numero_reference:
				earlier = first_reference.setdefault(name_key(courrier.numero_reference), courrier.id)
				if earlier != courrier.id:
					self._add(
						"duplicate_reference",
						COURRIER,
						courrier.id,
						reference=courrier.numero_reference,
						first_id=earlier,
					)
			if courrier.statut and courrier.statut.upper() not in statuts:
				self._add("unknown_status", COURRIER, courrier.id, statut=courrier.statut)
			if TYPE_SORTANT in self.has and courrier.type_courrier_sortant_id not in type_ids | {None}:
				self._add(
					"unknown_outgoing_type", COURRIER, courrier.id, type_id=courrier.type_courrier_sortant_id
				)
			self._check_users(COURRIER, courrier.id, utilisateur_id=courrier.utilisateur_id)
			self._check_file(COURRIER, courrier.id, courrier.fichier)
		return tally.counters()

	def _forwards(self) -> None:
		for forward in self._read(FORWARD):
			if forward.courrier_id not in self.courrier_ids:
				self._add("unknown_mail", FORWARD, forward.ref, courrier_id=forward.courrier_id)
			if forward.forwarded_to_id is None:
				self._add("missing_value", FORWARD, forward.ref, column="forwarded_to_id")
			self._check_users(
				FORWARD,
				forward.ref,
				forwarded_by_id=forward.forwarded_by_id,
				forwarded_to_id=forward.forwarded_to_id,
			)
			self._check_file(FORWARD, forward.ref, forward.fichier)

	def _linked(self, table: str, user_column: str, courrier_severity: str | None = None) -> None:
		for record in self._read(table):
			if record.courrier_id is not None and record.courrier_id not in self.courrier_ids:
				self._add("unknown_mail", table, record.id, courrier_severity, courrier_id=record.courrier_id)
			self._check_users(table, record.id, **{user_column: getattr(record, user_column)})

	def _check_users(self, table: str, row_id, **user_ids) -> None:
		if USER not in self.has:
			return  # an export names no users: the import assigns its own
		for column, user_id in user_ids.items():
			if user_id is not None and user_id not in self.user_ids:
				self._add("unknown_user", table, row_id, column=column, user_id=user_id)

	def _check_file(self, table: str, row_id, fichier: LegacyFile | None) -> None:
		if not self.verify_files or fichier is None or not fichier.found:
			return  # missing files are already among the record's problems
		self.files_checked += 1
		try:
			content = self.source.read_file(fichier)
		except LegacyFileError as error:
			self._add(error.code, table, row_id, **error.params)
			return
		if content.checksum_ok is False:
			self._add(
				"checksum_mismatch",
				table,
				row_id,
				kind=fichier.kind,
				expected=fichier.checksum,
				actual=content.sha256,
			)
		if content.size_ok is False:
			self._add(
				"file_size_mismatch",
				table,
				row_id,
				kind=fichier.kind,
				expected=fichier.size,
				actual=len(content.data),
			)
