from datetime import date

from gec_mines.core.echeances import JOURS_FERIES_RDC, Calendrier, relance_due

RDC = Calendrier.build(yearly=[(m, d) for m, d, _ in JOURS_FERIES_RDC])


def test_a_friday_registration_with_one_day_is_due_on_monday():
	assert RDC.add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 23)


def test_weekends_and_yearly_holidays_are_skipped():
	# Friday 26 June 2026 + 3 working days: Mon 29, (Tue 30 June is Independence Day), Wed 1, Thu 2
	assert RDC.add_working_days(date(2026, 6, 26), 3) == date(2026, 7, 2)


def test_fixed_holidays_are_skipped_only_on_their_year():
	cal = Calendrier.build(fixed=[date(2026, 11, 24)])
	assert cal.add_working_days(date(2026, 11, 23), 1) == date(2026, 11, 25)
	assert cal.add_working_days(date(2027, 11, 23), 1) == date(2027, 11, 24)


def test_zero_days_moves_to_the_next_working_day():
	assert RDC.add_working_days(date(2026, 12, 25), 0) == date(2026, 12, 28)
	assert RDC.add_working_days(date(2026, 12, 23), 0) == date(2026, 12, 23)


def test_negative_days_count_backwards():
	assert RDC.add_working_days(date(2026, 11, 23), -1) == date(2026, 11, 20)


def test_working_days_between_counts_only_working_days():
	assert RDC.working_days_between(date(2026, 11, 20), date(2026, 11, 24)) == 2
	assert RDC.working_days_between(date(2026, 11, 24), date(2026, 11, 20)) == -2
	assert RDC.working_days_between(date(2026, 12, 24), date(2026, 12, 28)) == 1


def test_reminder_levels_follow_the_deadline():
	due = date(2026, 11, 25)  # Wednesday
	levels = {d: relance_due(RDC, due, date(2026, 11, d), 2, 1, 3) for d in range(20, 31)}
	assert levels[20] == 0  # Friday, 3 working days ahead
	assert levels[23] == 1  # Monday, 2 ahead
	assert levels[25] == 1  # the due day itself
	assert levels[26] == 3  # one working day late: to the head
	assert levels[27] == 3
	assert levels[30] == 4  # Monday, 3 working days late: to the SG


def test_overdue_on_a_weekend_is_still_a_reminder_to_the_holder():
	due = date(2026, 11, 27)  # Friday
	assert relance_due(RDC, due, date(2026, 11, 28), 2, 1, 3) == 2
