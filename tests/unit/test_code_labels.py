"""A stored code in a worker's words, from its code list."""

from tests.factories import shipped_library


def test_a_code_is_shown_as_its_label() -> None:
    library = shipped_library()
    assert library.code_label("legal_status", "cin") == "Not looked after: child in need"
    assert library.code_label("agency_type", "gp") == "GP"
    assert library.code_label("agency_type", "health_visitor") == "Health visiting"


def test_a_religion_typed_as_none_is_shown_as_the_list_says_it() -> None:
    library = shipped_library()
    assert library.code_label("religion", "None") == "No religion"


def test_a_value_the_list_does_not_hold_is_shown_as_typed() -> None:
    library = shipped_library()
    assert library.code_label("agency_type", "youth_offending_team") == "youth offending team"
    assert library.code_label("legal_status", None) == ""
