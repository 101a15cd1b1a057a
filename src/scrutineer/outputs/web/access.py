"""Who may see what, as data: each role's permissions, and the signed-in viewer's checks.

- aggregates: indicator figures (authority, service and team), with small numbers
  suppressed for roles without `children`;
- workers: figures by worker (names a worker, so not for councillors or the public);
- children: child-level lists (exception lists, clinic pages); a manager only for the
  services they are assigned;
- narratives, snapshots, admin: writing analysis and actions; the loads; users and the
  access log;
- clinic: recording the actions a service's assurance clinic agrees, and their progress
  (a manager for their services);
- records: reading every quality-assurance record as data (the JSON records API), besides
  those of one's own kind (an auditor's audits, an IRO's alerts);
- audit (record and moderate case audits), alert (raise, escalate and resolve IRO alerts,
  record adjourned reviews), respond (answer an alert about a child of one's services),
  governance (meetings, resolutions, recommendations; an item's owner may add its updates).
"""

from __future__ import annotations

from dataclasses import dataclass

from scrutineer.records.roles import ROLES
from scrutineer.records.users import UserView

PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset(
        {"aggregates", "workers", "children", "narratives", "snapshots", "admin", "records"}
        | {"clinic", "inspection"}
        | {"audit", "alert", "respond", "governance"}
    ),
    "analyst": frozenset(
        {"aggregates", "workers", "children", "narratives", "snapshots", "records"}
        | {"inspection"}  # Annex A: child-level lists, each download logged
    ),
    "manager": frozenset({"aggregates", "workers", "children", "respond", "clinic"}),
    "auditor": frozenset({"aggregates", "workers", "children", "audit"}),
    "iro": frozenset({"aggregates", "workers", "children", "alert"}),
    "scrutiny": frozenset({"aggregates", "governance"}),  # a scrutiny officer
    "panel": frozenset({"aggregates"}),
    "viewer": frozenset({"aggregates"}),
}
assert set(PERMISSIONS) == set(ROLES), "every role needs its permissions"
ASSIGNED_ONLY = frozenset({"manager"})  # child-level data only for their own services
SEE_PAGE = "Your role cannot see this page."  # the refusal of a page the role lacks


@dataclass(frozen=True)
class Viewer:
    user: UserView
    csrf: str  # this session's token for its forms

    def can(self, permission: str) -> bool:
        return permission in PERMISSIONS[self.user.role]

    @property
    def aggregates_only(self) -> bool:
        """Sees suppressed aggregates only (councillors, the public)."""
        return not self.can("children")

    def sees_children_of(self, service_id: str | None) -> bool:
        if not self.can("children"):
            return False
        return self.user.role not in ASSIGNED_ONLY or service_id in self.user.services

    def child_services(self) -> tuple[str, ...] | None:
        """The services whose children this viewer sees: None for every service."""
        if not self.can("children"):
            return ()
        return self.user.services if self.user.role in ASSIGNED_ONLY else None
