"""Working-day arithmetic behind processing deadlines and reminders.

A working day is a Monday to Friday that is not a holiday. Holidays come from the
`Jour Ferie` calendar: fixed dates, and dates that recur every year (day and month).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from gec_mines.core.referentiels import JOURS_FERIES_RDC


@dataclass(frozen=True)
class Calendrier:
	"""Holidays: `fixed` exact dates, `yearly` (month, day) pairs."""

	fixed: frozenset[date] = frozenset()
	yearly: frozenset[tuple[int, int]] = frozenset()

	@classmethod
	def build(cls, fixed: Iterable[date] = (), yearly: Iterable[tuple[int, int]] = ()) -> "Calendrier":
		return cls(frozenset(fixed), frozenset(yearly))

	def is_working_day(self, day: date) -> bool:
		return day.weekday() < 5 and day not in self.fixed and (day.month, day.day) not in self.yearly

	def add_working_days(self, start: date, days: int) -> date:
		"""The working day `days` working days after `start` (before it when negative).

		`start` itself is not counted: registered on a Friday with a delay of 1, the mail is due
		on Monday. With 0, the result is `start` moved forward to a working day.
		"""
		step = 1 if days >= 0 else -1
		day, left = start, abs(days)
		if left == 0:
			while not self.is_working_day(day):
				day += timedelta(days=1)
			return day
		while left:
			day += timedelta(days=step)
			if self.is_working_day(day):
				left -= 1
		return day

	def working_days_between(self, start: date, end: date) -> int:
		"""Working days in (start, end]: how far `end` lies after `start`; negative if before."""
		if end == start:
			return 0
		sign, low, high = (1, start, end) if end > start else (-1, end, start)
		count, day = 0, low
		while day < high:
			day += timedelta(days=1)
			if self.is_working_day(day):
				count += 1
		return sign * count


def relance_due(
	calendrier: Calendrier, echeance: date, today: date, before: int, chef_after: int, sg_after: int
) -> int:
	"""The reminder level a deadline calls for today.

	0 nothing yet; 1 reminder `before` working days ahead; 2 overdue (reminder to the holder);
	3 escalated to the head of department (`chef_after` working days late);
	4 escalated to the Secretary General (`sg_after` working days late).
	"""
	late = calendrier.working_days_between(echeance, today)
	if today > echeance:
		if late >= sg_after:
			return 4
		if late >= chef_after:
			return 3
		return 2
	if -late <= before:
		return 1
	return 0
