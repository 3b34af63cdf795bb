"""Registration number formats, as the administrator types them in GEC Settings."""

from datetime import date

import pytest

from gec_mines.core import numbering
from gec_mines.core.errors import DomainError


def test_legacy_default_format_renders_year_and_padded_counter():
	rendered = numbering.render("GEC-{year}-{counter:05d}", date(2026, 3, 9))
	assert (rendered.prefix, rendered.suffix, rendered.width) == ("GEC-2026-", "", 5)
	assert rendered.number(42) == "GEC-2026-00042"


def test_counter_key_changes_with_the_year_and_the_direction():
	entrant = numbering.DEFAULT_FORMATS["Entrant"]
	sortant = numbering.DEFAULT_FORMATS["Sortant"]
	keys = {
		numbering.render(entrant, date(2026, 12, 31)).series_key,
		numbering.render(entrant, date(2027, 1, 1)).series_key,
		numbering.render(sortant, date(2026, 12, 31)).series_key,
	}
	assert len(keys) == 3


def test_month_day_unpadded_counter_and_suffix():
	rendered = numbering.render("{day}/{month}/{year}-{counter}/SG", date(2026, 2, 7))
	assert rendered.number(7) == "07/02/2026-7/SG"
	assert rendered.series_key == "07/02/2026-#/SG"


@pytest.mark.parametrize(
	"fmt, code",
	[
		("", "format_empty"),
		("GEC-{year}", "format_needs_one_counter"),
		("{counter}-{counter:03d}", "format_needs_one_counter"),
		("GEC-{random:4}-{counter}", "format_unknown_placeholder"),
		("GEC {counter}", "format_bad_characters"),
		("<b>{counter}</b>", "format_bad_characters"),
		("GEC-{counter:020d}", "format_counter_too_wide"),
		("X" * 70 + "{counter}", "format_too_long"),
	],
)
def test_unusable_formats_are_refused_with_a_reason(fmt, code):
	with pytest.raises(DomainError) as caught:
		numbering.render(fmt, date(2026, 1, 1))
	assert caught.value.code == code


def test_preview_shows_the_first_number():
	assert numbering.preview("AR-{year}{month}-{counter:04d}", date(2026, 11, 23)) == "AR-202611-0001"


@pytest.mark.parametrize("number", ["AR-2026-001", "12/SG/2026", "GEC.2026.7", "A"])
def test_manual_numbers_accepted(number):
	assert numbering.check_manual_number(f"  {number} ") == number


@pytest.mark.parametrize("number", ["", "   ", "-AR", "AR 12", "AR<script>", "é123", "X" * 51, "AR/"])
def test_manual_numbers_refused(number):
	with pytest.raises(DomainError):
		numbering.check_manual_number(number)
