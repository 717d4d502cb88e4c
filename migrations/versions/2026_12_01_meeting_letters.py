"""meetings on the web: the chair, minutes kept as versions, letters in the distribution log

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 20:18:53.663943

Invitation letters were sent in the administrator's name with no contact details and logged only
in the audit trail. A meeting now names its chair (the sender); a user's profile carries a work
phone and email; each letter sent is a printout of the meeting, for one invitee, with its
deliveries in the distribution log; minutes and attendance are kept version by version.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import app.db

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "meeting_minutes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Text(), nullable=False),
        sa.Column("attendance", JSON, nullable=False),
        sa.Column("written_by_id", sa.Integer(), nullable=True),
        sa.Column("written_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_meeting_minutes_meeting_id_meetings")
        ),
        sa.ForeignKeyConstraint(
            ["written_by_id"], ["users.id"], name=op.f("fk_meeting_minutes_written_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_minutes")),
    )
    with op.batch_alter_table("meeting_minutes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_minutes_meeting_id"), ["meeting_id"], unique=False
        )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chair_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_meetings_chair_id_users"), "users", ["chair_id"], ["id"]
        )
    with op.batch_alter_table("printouts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("meeting_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("invitee", sa.Integer(), nullable=True))
        batch_op.alter_column("record_id", existing_type=sa.INTEGER(), nullable=True)
        batch_op.alter_column("record_version", existing_type=sa.INTEGER(), nullable=True)
        batch_op.create_index(batch_op.f("ix_printouts_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_printouts_meeting_id_meetings"), "meetings", ["meeting_id"], ["id"]
        )
    # Plain ADD COLUMNs on users, as in 0014: copying `users` would break every key pointing at it.
    op.add_column("users", sa.Column("work_phone", sa.String(length=50), nullable=True))
    op.add_column("users", sa.Column("work_email", sa.String(length=200), nullable=True))


def downgrade() -> None:
    op.drop_column("users", "work_email")
    op.drop_column("users", "work_phone")
    op.execute(
        "DELETE FROM printout_deliveries WHERE printout_id IN "
        "(SELECT id FROM printouts WHERE meeting_id IS NOT NULL)"
    )
    op.execute("DELETE FROM printouts WHERE meeting_id IS NOT NULL")
    with op.batch_alter_table("printouts", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_printouts_meeting_id_meetings"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_printouts_meeting_id"))
        batch_op.alter_column("record_version", existing_type=sa.INTEGER(), nullable=False)
        batch_op.alter_column("record_id", existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column("invitee")
        batch_op.drop_column("meeting_id")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_meetings_chair_id_users"), type_="foreignkey")
        batch_op.drop_column("chair_id")
    with op.batch_alter_table("meeting_minutes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_minutes_meeting_id"))
    op.drop_table("meeting_minutes")
