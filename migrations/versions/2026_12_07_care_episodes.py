"""cases: a looked-after child's care events (legal status, placements, the end of care)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 12:40:00.000000

A looked-after child's legal statuses and placements had nowhere to live but a free-text legal
status on the case. Each event is a row never changed afterwards (a correction is a new row naming
the one it corrects); the SSDA903 episodes are worked out from them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "care_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("legal_status", sa.String(length=4), nullable=True),
        sa.Column("category_of_need", sa.String(length=4), nullable=True),
        sa.Column("carer_id", sa.Integer(), nullable=True),
        sa.Column("placement_type", sa.String(length=4), nullable=True),
        sa.Column("provider", sa.String(length=4), nullable=True),
        sa.Column("postcode", sa.String(length=10), nullable=True),
        sa.Column("urn", sa.String(length=10), nullable=True),
        sa.Column("home_postcode", sa.String(length=10), nullable=True),
        sa.Column("upn", sa.String(length=13), nullable=True),
        sa.Column("reason_place_change", sa.String(length=10), nullable=True),
        sa.Column("reason_ceased", sa.String(length=4), nullable=True),
        sa.Column("corrects_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_care_events_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["carer_id"], ["people.id"], name=op.f("fk_care_events_carer_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["corrects_id"], ["care_events.id"], name=op.f("fk_care_events_corrects_id_care_events")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_care_events_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_events")),
    )
    with op.batch_alter_table("care_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_care_events_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_care_events_corrects_id"), ["corrects_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("care_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_care_events_corrects_id"))
        batch_op.drop_index(batch_op.f("ix_care_events_case_id"))
    op.drop_table("care_events")
