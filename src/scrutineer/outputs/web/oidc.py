"""Sign-in through the council's identity provider (OpenID Connect: Entra ID, Okta,
Keycloak, ...), beside or instead of Scrutineer's own passwords.

Authlib makes the round trip: the provider's configuration read from its discovery
document, the authorization code flow with PKCE, the state, nonce and code verifier kept
for the ten minutes of the trip in a cookie signed with a key made from the client secret
(so any of the server's processes can finish it), and the ID token's signature (the
provider's published keys), issuer, audience, expiry and nonce checked. The user's groups
(the `groups` claim, as Entra ID sends group ids) give their role, by the first rule of
SCRUTINEER_OIDC_ROLES that names one of them; a user in no such group is refused.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from authlib.integrations.base_client import OAuthError
from authlib.integrations.starlette_client import OAuth
from starlette.applications import Starlette
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response

from scrutineer.errors import SettingInvalid
from scrutineer.records.roles import ROLES
from scrutineer.settings import PREFIX, Settings

if TYPE_CHECKING:
    pass

STATE_COOKIE = "scrutineer_oidc"
CALLBACK = "/login/oidc/callback"
TRIP_SECONDS = 600  # the longest a sign-in at the provider may take


@dataclass(frozen=True)
class RoleRule:
    """Members of `group` have `role` (a manager, the services listed)."""

    group: str
    role: str
    services: tuple[str, ...] = ()


def role_rules(text: str) -> tuple[RoleRule, ...]:
    """SCRUTINEER_OIDC_ROLES: `group=role`, comma-separated, the first that applies wins; a
    manager's services follow the role after colons (`group=manager:SVC-PC:SVC-CWD`)."""
    rules = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        group, _, given = part.rpartition("=")
        role, *services = given.strip().split(":")
        if not group.strip() or role not in ROLES or (services and role != "manager"):
            raise SettingInvalid(
                PREFIX + "OIDC_ROLES",
                text,
                "list of group=role (a role of " + ", ".join(ROLES) + "; a manager's "
                "services after colons: group=manager:SVC-PC)",
            )
        rules.append(RoleRule(group.strip(), role, tuple(s.strip() for s in services)))
    return tuple(rules)


def role_for(groups: list[str], rules: tuple[RoleRule, ...]) -> RoleRule | None:
    return next((rule for rule in rules if rule.group in groups), None)


class Provider:
    """The council's identity provider, as the settings name it."""

    def __init__(self, settings: Settings) -> None:
        self.name = settings.oidc_name
        self.issuer = settings.oidc_issuer.rstrip("/")
        self.rules = role_rules(settings.oidc_roles)
        if not (settings.oidc_client_id and settings.oidc_client_secret and self.rules):
            raise SettingInvalid(
                PREFIX + "OIDC_ISSUER",
                settings.oidc_issuer,
                "issuer with SCRUTINEER_OIDC_CLIENT_ID, SCRUTINEER_OIDC_CLIENT_SECRET and "
                "SCRUTINEER_OIDC_ROLES set too",
            )
        self.secret = settings.oidc_client_secret
        self.client: Any = OAuth().register(
            "council",
            client_id=settings.oidc_client_id,
            client_secret=settings.oidc_client_secret,
            server_metadata_url=f"{self.issuer}/.well-known/openid-configuration",
            client_kwargs={"scope": "openid profile email", "code_challenge_method": "S256"},
        )

    def install(self, app: Starlette) -> None:
        """A signed cookie keeping a sign-in's state between leaving for the provider and
        coming back (Authlib reads it as the request's session)."""
        key = hashlib.sha256(b"scrutineer oidc state\0" + self.secret.encode()).hexdigest()
        app.add_middleware(
            SessionMiddleware,
            secret_key=key,
            session_cookie=STATE_COOKIE,
            max_age=TRIP_SECONDS,
            same_site="lax",  # it must come back with the provider's redirect
        )

    async def start(self, request: Request) -> Response:
        """Off to the provider; it sends the browser back to the callback."""
        callback = str(request.url.replace(path=CALLBACK, query=""))
        response: Response = await self.client.authorize_redirect(request, callback)
        return response

    async def finish(self, request: Request) -> dict[str, Any]:
        """The ID token's claims, checked; OAuthError when the provider or the trip failed."""
        token = await self.client.authorize_access_token(request)
        claims: dict[str, Any] = dict(token.get("userinfo") or {})  # the ID token's, checked
        if not claims.get("sub"):
            raise OAuthError(description="the provider sent no ID token")
        if "groups" not in claims:  # a provider that gives them at its userinfo endpoint
            more = dict(await self.client.userinfo(token=token))
            if more.get("sub") == claims["sub"]:
                claims = {**more, **claims}
        return claims


class SignInRefused(Exception):
    """The provider signed them in, but Scrutineer gives them no role."""


def user_from(claims: dict[str, Any], provider: Provider) -> tuple[str, str, RoleRule]:
    """Who signed in: a username (preferred_username, else email, else the subject), a name,
    and the rule of their groups."""
    groups = claims.get("groups") or []
    rule = role_for([str(g) for g in groups] if isinstance(groups, list) else [], provider.rules)
    if rule is None:
        raise SignInRefused(
            "Your account is not in a group that has a role in Scrutineer: ask an "
            "administrator to add your group to SCRUTINEER_OIDC_ROLES."
        )
    username = str(claims.get("preferred_username") or claims.get("email") or claims["sub"])
    return username, str(claims.get("name") or username), rule
