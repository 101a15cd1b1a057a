"""Quality-assurance records: audit programmes, case audits and their actions, IRO alerts
and the stages they reached, and adjourned reviews.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def _text(name: str, length: int | None = None, required: bool = False) -> sa.Column[object]:
    kind = sa.String(length) if length else sa.Text
    return sa.Column(name, kind, nullable=not required)


def _date(name: str, required: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.Date, nullable=not required)


def upgrade() -> None:
    op.create_table(
        "audit_programmes",
        sa.Column("id", sa.Integer, primary_key=True),
        _text("name", 200, True),
        _text("kind", 20, True),
        _date("starts", True),
        _date("ends"),
        _text("schedule"),
        _text("description"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "audits",
        sa.Column("id", sa.Integer, primary_key=True),
        _text("audit_ref", 80, True),
        sa.Column(
            "programme", sa.String(200), sa.ForeignKey("audit_programmes.name"), nullable=False
        ),
        _text("person_id", 80, True),
        _text("auditor", 200, True),
        _date("audit_date", True),
        _date("completed_date"),
        *(
            _text(f"grade_{domain}", 30)
            for domain in ("chronology", "assessment", "plan", "visiting", "supervision")
        ),
        _text("grade_overall", 30, True),
        _text("strengths"),
        _text("improvements"),
        _text("moderated_grade", 30),
        _text("moderator", 200),
        _date("moderated_on"),
        _text("moderation_reasons"),
        sa.UniqueConstraint("audit_ref"),
    )
    op.create_table(
        "audit_actions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("audit_ref", sa.String(80), sa.ForeignKey("audits.audit_ref"), nullable=False),
        _text("action", 500, True),
        _text("owner", 200, True),
        _date("due_date", True),
        _date("done_date"),
        sa.UniqueConstraint("audit_ref", "action"),
    )
    op.create_table(
        "iro_alerts",
        sa.Column("id", sa.Integer, primary_key=True),
        _text("alert_ref", 80, True),
        _text("person_id", 80, True),
        _text("iro", 200, True),
        _date("raised_date", True),
        _text("reasons", 500, True),
        _text("resolved_level", 30),
        _date("resolved_date"),
        _text("impact"),
        sa.UniqueConstraint("alert_ref"),
    )
    op.create_table(
        "iro_alert_stages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "alert_ref", sa.String(80), sa.ForeignKey("iro_alerts.alert_ref"), nullable=False
        ),
        _text("level", 30, True),
        _date("started_date", True),
        _date("due_date", True),
        _date("responded_date"),
        _text("response"),
        sa.UniqueConstraint("alert_ref", "level"),
    )
    op.create_table(
        "review_adjournments",
        sa.Column("id", sa.Integer, primary_key=True),
        _text("person_id", 80, True),
        _date("review_date", True),
        _text("reason", 30, True),
        _text("note"),
        sa.UniqueConstraint("person_id", "review_date"),
    )


def downgrade() -> None:
    for table in (
        "review_adjournments",
        "iro_alert_stages",
        "iro_alerts",
        "audit_actions",
        "audits",
        "audit_programmes",
    ):
        op.drop_table(table)
