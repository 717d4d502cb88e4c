"""The demo: a family, one user per role, and one child's finalised records, as YAML files beside
this package (family.yaml and records/), loaded through the services."""

from app.demo.dates import years_ago
from app.demo.loader import DEMO_PASSWORD, load, load_records
from app.demo.story import record_exemplars

__all__ = ["DEMO_PASSWORD", "load", "load_records", "record_exemplars", "years_ago"]
