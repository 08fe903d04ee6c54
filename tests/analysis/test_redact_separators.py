"""Redaction of identifiers written with other groupings and separators (found by QA).

Each test here failed before: the NHS rule took only 3-3-4 groups joined by one space, "-" or "."
and not after a full stop ("no.9434765919"); the phone rule knew no en dash, no "44" without its
plus and no mobile without its 0, and left the bracket of "(+44)"; the postcode rule took at most
one space and no dash. Where a test checks that ordinary numbers are kept, the same text also
holds one of the new forms, so that it says something about the new rules.
"""

import pytest

from analysis import redact

NHS = "9434765919"  # passes the modulus-11 check


@pytest.mark.parametrize("shown", [
    "9434 765 919", "943 4765 919", "94 34 76 59 19", "94347 65919", "943  476  5919",
    "943/476/5919", "943 - 476 - 5919", "943 -476- 5919", "943–476–5919", "943—476—5919",
    "9434-765-919", "94.34.76.59.19",
])
def test_nhs_numbers_in_any_grouping_and_separator_are_redacted(shown):
    text = f"My NHS number is {shown}, please check."
    assert redact(text) == "My NHS number is [NHS number], please check."


@pytest.mark.parametrize("text, expected", [
    ("My NHS no.9434765919, the wait was long", "My NHS no.[NHS number], the wait was long"),
    ("NHS no.943 476 5919", "NHS no.[NHS number]"),
    ("nhs num:9434 765 919.", "nhs num:[NHS number]."),
    # The 3-3-4 grouping, as NHS numbers are printed, may still mix its separators.
    ("NHS 943 476-5919 or no.9434765919", "NHS [NHS number] or no.[NHS number]"),
])
def test_nhs_numbers_after_a_full_stop_are_redacted(text, expected):
    assert redact(text) == expected


def test_an_nhs_number_inside_a_longer_run_of_numbers_is_found():
    assert redact("ref 9434 765 919 12 times") == "ref [NHS number] 12 times"
    assert redact("ref 12 9434 765 919") == "ref 12 [NHS number]"


@pytest.mark.parametrize("text, expected", [
    # Dates have too few digits; a date and a number after it use two separators.
    ("On 12/03/2024 my NHS number 943/476/5919 was lost",
     "On 12/03/2024 my NHS number [NHS number] was lost"),
    ("seen 12/03/2024 10 times, NHS 9434 765 919", "seen 12/03/2024 10 times, NHS [NHS number]"),
    ("from 12.03.2024 to 13.03.2024, no.9434765919", "from 12.03.2024 to 13.03.2024, no.[NHS number]"),
    # A comma is never a separator (money), nor is a decimal point after a digit.
    ("paid 1,000,000,000 and 9,434,765,919; NHS 94 34 76 59 19",
     "paid 1,000,000,000 and 9,434,765,919; NHS [NHS number]"),
    ("ratio 3.9434765919 and NHS 943 - 476 - 5919", "ratio 3.9434765919 and NHS [NHS number]"),
    # Two years in a run of ten digits (which "4419902000" passes the check) are years.
    ("aged 44 1990 2000, NHS 9434 765 919", "aged 44 1990 2000, NHS [NHS number]"),
    ("in 2015 2016 10 times; NHS 943 4765 919", "in 2015 2016 10 times; NHS [NHS number]"),
    # Ten digits that fail the check are not an NHS number, however grouped.
    ("9434 765 918 or 9434 765 919", "9434 765 918 or [NHS number]"),
])
def test_dates_money_and_failed_checks_are_not_nhs_numbers(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("phone", [
    "07700–900123", "07700—900–123", "447700900123", "44 7700 900123", "441914980000",
    "7700 900123", "7700900123", "7700 900 123", "(+44) 7700 900123", "(+44)7700 900123",
    "+44 (0)7700–900123",
])
def test_more_phone_forms_are_redacted_whole(phone):
    assert redact(f"ring {phone} after 5") == "ring [phone number] after 5"


@pytest.mark.parametrize("text, expected", [
    # 44 without its plus needs the whole national number; a year or a count after it is kept.
    ("aged 44 in 1990, ring 7700 900123", "aged 44 in 1990, ring [phone number]"),
    ("44 2021 ok, 447700900123", "44 2021 ok, [phone number]"),
    # A mobile without its 0 has ten digits, not more, not fewer.
    ("ref 77009001234 and 7700 90012, call 7700 900123",
     "ref 77009001234 and 7700 90012, call [phone number]"),
])
def test_new_phone_forms_keep_other_numbers(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("postcode", ["SW1A  1AA", "sw1a-1aa", "SW1A-1AA", "LS1 - 4AP", "ne1–4lp",
                                      "M1 -1AE"])
def test_postcodes_with_two_spaces_or_a_dash_are_redacted(postcode):
    assert redact(f"I live at {postcode} now") == "I live at [postcode] now"


@pytest.mark.parametrize("text, expected", [
    ("ward M1-2nd floor, postcode sw1a-1aa", "ward M1-2nd floor, postcode [postcode]"),
    ("bay C6–9th, SW1A  1AA", "bay C6–9th, [postcode]"),
])
def test_dash_joined_ordinals_are_not_postcodes(text, expected):
    assert redact(text) == expected
