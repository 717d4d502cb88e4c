"""The demo: a family, one user per role, and one child's finalised records, as YAML files beside
this package (family.yaml and records/), loaded through the services and linted with the
exemplars by `ics exemplars check`."""

from app.demo.dates import years_ago
from app.demo.lint import lint
from app.demo.loader import DEMO_PASSWORD, load, load_records
from app.demo.story import record_exemplars

__all__ = ["DEMO_PASSWORD", "lint", "load", "load_records", "record_exemplars", "years_ago"]
