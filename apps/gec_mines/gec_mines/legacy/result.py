"""What an import run reports: rows read, imported, skipped and failed, and why."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import frappe
from frappe import _

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class Note:
	"""Something said about one legacy row: why it failed, or what it lost on the way."""

	table: str
	key: str
	message: str


@dataclass
class Transaction:
	"""How a batch becomes durable. A bench command commits; tests keep everything in their own
	transaction (see the test module)."""

	commit: Callable[[], None] = field(default_factory=lambda: frappe.db.commit)
	rollback: Callable[[], None] = field(default_factory=lambda: frappe.db.rollback)


@dataclass
class ImportResult:
	source: str
	read: Counter = field(default_factory=Counter)
	imported: Counter = field(default_factory=Counter)
	already: Counter = field(default_factory=Counter)
	skipped: Counter = field(default_factory=Counter)
	failures: list[Note] = field(default_factory=list)
	warnings: list[Note] = field(default_factory=list)
	counters: dict[str, int] = field(default_factory=dict)
	seconds: float = 0.0

	@property
	def failed(self) -> Counter:
		return Counter(f.table for f in self.failures)

	def rows_per_second(self) -> float:
		return sum(self.read.values()) / self.seconds if self.seconds else 0.0

	def lines(self) -> list[str]:
		lines = [_("Source: {0}").format(self.source)]
		header = (
			_("Legacy table"),
			_("Rows read"),
			_("Rows imported"),
			_("Already imported"),
			_("Rows skipped"),
			_("Rows failed"),
		)
		lines.append("{:<24} {:>10} {:>14} {:>17} {:>13} {:>12}".format(*header))
		for table in self.read:
			lines.append(
				f"{table:<24} {self.read[table]:>10} {self.imported[table]:>14} {self.already[table]:>17}"
				f" {self.skipped[table]:>13} {self.failed[table]:>12}"
			)
		for key, last in sorted(self.counters.items()):
			lines.append(_("Counter {0}: new numbers continue after {1}").format(key, last))
		if self.warnings:
			lines.append(_("Warnings ({0}):").format(len(self.warnings)))
			lines += [f"  {w.table}#{w.key}: {w.message}" for w in self.warnings]
		if self.failures:
			lines.append(_("Rows not imported ({0}):").format(len(self.failures)))
			lines += [f"  {f.table}#{f.key}: {f.message}" for f in self.failures]
		lines.append(
			_("{0} rows in {1} s ({2} rows/s)").format(
				sum(self.read.values()), round(self.seconds, 1), round(self.rows_per_second())
			)
		)
		return lines
