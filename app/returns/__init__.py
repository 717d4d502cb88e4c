"""Statutory returns (the CIN census, Annex A) built from records through declared mappings."""
