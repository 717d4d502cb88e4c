"""A field pre-filled from a private answer is private too, or the family copy would carry it."""

from tests.factories import shipped_library


def test_a_prefill_from_a_private_field_is_private() -> None:
    library = shipped_library()
    private = {
        (exemplar.definition.id, item.id)
        for exemplar in library.exemplars.values()
        for section in exemplar.definition.sections
        for item in section.fields
        if item.private
    }
    assert private  # the shipped exemplars mark some
    unmarked = [
        f"{exemplar.definition.id}.{item.id} (from {item.prefill.exemplar}.{item.prefill.field})"
        for exemplar in library.exemplars.values()
        for section in exemplar.definition.sections
        for item in section.fields
        if item.prefill
        and item.prefill.source == "record"
        and (item.prefill.exemplar, item.prefill.field) in private
        and not item.private
    ]
    assert unmarked == []
