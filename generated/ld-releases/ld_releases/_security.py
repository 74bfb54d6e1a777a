# Copied verbatim from templates/ by the ld-releases toolchain: do not edit here.
"""Credentials, sent the way the description's security schemes say: an API key in a header, the
query or a cookie; an HTTP bearer token or basic credentials; an OAuth 2 or OpenID Connect access
token (the caller obtains it) as a bearer token. Each operation lists alternatives, each a set of
schemes used together; the first the client holds every credential for is sent."""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import quote

from ._exceptions import MissingCredentialError
from ._package import ENVIRONMENT

_TOKEN = re.compile(r"[\x21-\x7e]+")  # visible ASCII: what a header, a query and a cookie all carry


@dataclass(frozen=True)
class ApiKey:
    """`type: apiKey`: the key as is, under `name`, in a header, a query parameter or a cookie."""

    location: Literal["header", "query", "cookie"]
    name: str


@dataclass(frozen=True)
class HttpAuth:
    """`type: http` (`bearer`, `basic`, or another scheme sent as `<Scheme> <token>`), and `oauth2`
    and `openIdConnect`, whose access token is a bearer token."""

    scheme: str


@dataclass(frozen=True)
class MutualTls:
    """`type: mutualTLS`: the client certificate is the transport's (`http_client=`); nothing is sent here."""


Scheme = ApiKey | HttpAuth | MutualTls


def check_secret(setting: str, value: object) -> str:
    """`value` as a credential for `setting`, refused with a message that never shows it."""
    if not isinstance(value, str):
        raise TypeError(f"{setting} must be a str, not {type(value).__name__}")
    if setting != "password" and not _TOKEN.fullmatch(value):
        problem = (
            "is empty"
            if not value
            else "has a space, a line break or a character that is not ASCII"
        )
        raise ValueError(
            f"{setting} {problem} (its value is not shown); pass the credential exactly as issued"
        )
    if setting == "password" and any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        raise ValueError("password has a control character (its value is not shown)")
    if setting == "username" and ":" in value:
        raise ValueError(
            "username must not contain ':' (basic credentials are `username:password`)"
        )
    return value


@dataclass(frozen=True)
class Credentials:
    """What the client was given; never shown by `repr`."""

    api_key: str | None = field(default=None, repr=False)
    username: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)
    per_scheme: Mapping[str, str] = field(default_factory=dict, repr=False)

    def __repr__(self) -> str:
        return "Credentials(<hidden>)"

    def secret_for(self, name: str, scheme: Scheme) -> str | None:
        """What goes on the wire for the scheme `name` (basic credentials encoded), or None."""
        basic = isinstance(scheme, HttpAuth) and scheme.scheme.lower() == "basic"
        if name in self.per_scheme:  # for basic: `username:password`
            secret = self.per_scheme[name]
            return base64.b64encode(secret.encode()).decode("ascii") if basic else secret
        if basic:
            if self.username is None or self.password is None:
                return None
            return base64.b64encode(f"{self.username}:{self.password}".encode()).decode("ascii")
        return self.api_key

    def secrets(self) -> list[str]:
        """Every secret text that could appear on the wire, for redaction."""
        found = [s for s in (self.api_key, self.password, *self.per_scheme.values()) if s]
        pairs = [
            *self.per_scheme.values(),
            f"{self.username}:{self.password}" if self.password else "",
        ]
        encoded = [base64.b64encode(pair.encode()).decode("ascii") for pair in pairs if pair]
        quoted = [
            quote(s, safe="") for s in found if quote(s, safe="") != s
        ]  # as a query parameter travels
        return found + encoded + quoted


@dataclass
class Placed:
    """Where the chosen credentials go on one request."""

    headers: dict[str, str] = field(default_factory=dict)
    query: list[tuple[str, str]] = field(default_factory=list)
    cookies: dict[str, str] = field(default_factory=dict)


def place(
    alternatives: Sequence[Sequence[str]],
    schemes: Mapping[str, Scheme],
    credentials: Credentials,
    operation: str,
) -> Placed:
    """The credentials for one call: the first alternative the client can satisfy (one that sends
    something before one that allows sending nothing); MissingCredentialError when there is none."""
    placed = Placed()
    usable = [alt for alt in alternatives if all(_held(credentials, n, schemes[n]) for n in alt)]
    chosen = next((alt for alt in usable if alt), None)
    if chosen is None:
        if not alternatives or any(not alt for alt in alternatives):
            return placed
        raise MissingCredentialError(f"{operation} needs {_wanted(alternatives, schemes)}")
    for name in chosen:
        scheme, secret = schemes[name], credentials.secret_for(name, schemes[name])
        if isinstance(scheme, MutualTls) or secret is None:
            continue
        if isinstance(scheme, ApiKey):
            if scheme.location == "header":
                placed.headers[scheme.name] = secret
            elif scheme.location == "query":
                placed.query.append((scheme.name, secret))
            else:
                placed.cookies[scheme.name] = secret
        else:
            placed.headers["Authorization"] = f"{scheme.scheme.capitalize()} {secret}"
    return placed


def _held(credentials: Credentials, name: str, scheme: Scheme) -> bool:
    return isinstance(scheme, MutualTls) or credentials.secret_for(name, scheme) is not None


def _wanted(alternatives: Sequence[Sequence[str]], schemes: Mapping[str, Scheme]) -> str:
    """What to pass to satisfy the first alternative, in the constructor's words."""
    settings: list[str] = []
    for name in alternatives[0]:
        scheme = schemes[name]
        if isinstance(scheme, MutualTls):
            continue
        basic = isinstance(scheme, HttpAuth) and scheme.scheme.lower() == "basic"
        for setting in ("username", "password") if basic else ("api_key",):
            wanted = (
                f"{setting}=... (or {ENVIRONMENT[setting]})"
                if setting in ENVIRONMENT
                else f"{setting}=..."
            )
            if wanted not in settings:
                settings.append(wanted)
    schemes_named = " and ".join(f"`{name}`" for name in alternatives[0])
    return f"the credential of {schemes_named}: pass {', '.join(settings)} to the client"
