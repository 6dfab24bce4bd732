"""Business matchmaking at fairs: exhibitors' meeting slots, the meetings business buyers
book in them (one live meeting per slot: unique active_slot_id), and their email outbox.

Expand only: new tables the previous release never reads.

Revision ID: 0065_meetings
Revises: 0060_offtake_agreements
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0065_meetings"
down_revision = "0060_offtake_agreements"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "meeting_slot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exhibitor_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column(
            "mode",
            sa.Enum("online", "booth", name="slotmode", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("link", sa.String(length=500), nullable=False),
        sa.Column(
            "state",
            sa.Enum("open", "booked", "closed", name="slotstate", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_meeting_slot_ends_after_start")),
        sa.CheckConstraint(
            "minutes BETWEEN 10 AND 240", name=op.f("ck_meeting_slot_sensible_length")
        ),
        sa.ForeignKeyConstraint(
            ["exhibitor_id"],
            ["fair_exhibitor.id"],
            name=op.f("fk_meeting_slot_exhibitor_id_fair_exhibitor"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_slot")),
    )
    with op.batch_alter_table("meeting_slot", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_slot_exhibitor_id"), ["exhibitor_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_meeting_slot_starts_at"), ["starts_at"], unique=False)

    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slot_id", sa.Integer(), nullable=False),
        sa.Column("active_slot_id", sa.Integer(), nullable=True),
        sa.Column("buyer_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "requested",
                "accepted",
                "declined",
                "cancelled",
                name="meetingstate",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("decline_reason", sa.Text(), nullable=False),
        sa.Column("cancelled_by", sa.String(length=10), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("day_reminder_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hour_reminder_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["active_slot_id"],
            ["meeting_slot.id"],
            name=op.f("fk_meeting_active_slot_id_meeting_slot"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["buyer_id"], ["user_account.id"], name=op.f("fk_meeting_buyer_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["slot_id"],
            ["meeting_slot.id"],
            name=op.f("fk_meeting_slot_id_meeting_slot"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting")),
        sa.UniqueConstraint("active_slot_id", name=op.f("uq_meeting_active_slot_id")),
    )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_buyer_id"), ["buyer_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_meeting_day_reminder_at"), ["day_reminder_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_hour_reminder_at"), ["hour_reminder_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_meeting_slot_id"), ["slot_id"], unique=False)

    op.create_table(
        "meeting_email",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_meeting_email_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_meeting_email_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_email")),
        sa.UniqueConstraint("key", name=op.f("uq_meeting_email_key")),
    )
    with op.batch_alter_table("meeting_email", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_email_meeting_id"), ["meeting_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_meeting_email_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_meeting_email_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("meeting_email", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_email_user_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_email_status"))
        batch_op.drop_index(batch_op.f("ix_meeting_email_meeting_id"))

    op.drop_table("meeting_email")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_slot_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_hour_reminder_at"))
        batch_op.drop_index(batch_op.f("ix_meeting_day_reminder_at"))
        batch_op.drop_index(batch_op.f("ix_meeting_buyer_id"))

    op.drop_table("meeting")
    with op.batch_alter_table("meeting_slot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_slot_starts_at"))
        batch_op.drop_index(batch_op.f("ix_meeting_slot_exhibitor_id"))

    op.drop_table("meeting_slot")
