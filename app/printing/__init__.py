"""Printouts: one renderer, four readers (worker, family, child, court)."""
