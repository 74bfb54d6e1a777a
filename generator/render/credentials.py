"""The client's credentials as the description declares them: its security schemes, what the
constructor takes for them (`api_key` for every scheme that carries a token; `username` and
`password` for HTTP basic; `credentials`, one secret per scheme name, when the API has several
token schemes), and whether every operation needs one (then the constructor refuses to go without)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.diagnostics import Diagnostic, GeneratorFailure
from generator.document import pointer as jp
from generator.document.loading import Document
from generator.document.walking import resolve_ref


@dataclass(frozen=True)
class SchemeView:
    name: str
    kind: str  # api_key, http, mutual_tls
    location: str = ""  # api_key: header, query or cookie
    wire_name: str = ""  # api_key: the header, parameter or cookie name
    scheme: str = ""  # http: bearer, basic, ...

    @property
    def basic(self) -> bool:
        return self.kind == "http" and self.scheme.lower() == "basic"

    @property
    def takes_token(self) -> bool:
        return self.kind == "api_key" or (self.kind == "http" and not self.basic)


@dataclass(frozen=True)
class CredentialsView:
    schemes: list[SchemeView]
    settings: list[str]  # constructor arguments: api_key, username, password
    per_scheme: bool  # the constructor also takes `credentials={scheme: secret}`
    required: bool


def _scheme(name: str, node: Any) -> SchemeView:
    kind = node.get("type")
    if kind == "apiKey":
        return SchemeView(name, "api_key", str(node.get("in")), str(node.get("name")))
    if kind == "http":
        return SchemeView(name, "http", scheme=str(node.get("scheme", "bearer")))
    if kind in ("oauth2", "openIdConnect"):  # the caller obtains the access token; it is a bearer token
        return SchemeView(name, "http", scheme="bearer")
    return SchemeView(name, "mutual_tls")  # the certificate is the transport's (`http_client=`), not a header


def build_credentials(doc: Document) -> CredentialsView:
    root = doc.root
    declared = ((root.get("components") or {}).get("securitySchemes")) or {}
    schemes = {str(name): _scheme(str(name), resolve_ref(root, node)) for name, node in declared.items()}
    problems: list[Diagnostic] = []
    operations = list(doc.operations())
    for op in operations:
        for index, alternative in enumerate(op.security):
            for name in alternative:
                if name not in schemes:
                    node = jp.resolve(root, op.pointer)
                    at = jp.join(op.pointer, "security", index) if "security" in node else jp.join("/security", index)
                    operation = node.get("operationId")
                    message = f"operation {operation!r} requires the security scheme {name!r}, which is not declared"
                    hint = "declare it under `components/securitySchemes`, or correct the name"
                    problems.append(doc.diagnostic(at, message, hint, rule="render-security"))
    if problems:
        raise GeneratorFailure(problems)
    used = [schemes[n] for n in dict.fromkeys(n for op in operations for alt in op.security for n in alt)]
    settings = (["api_key"] if any(s.takes_token for s in used) else []) + (
        ["username", "password"] if any(s.basic for s in used) else []
    )
    required = bool(operations) and all(
        op.security and all(alt and any(schemes[n].kind != "mutual_tls" for n in alt) for alt in op.security)
        for op in operations
    )
    return CredentialsView(
        schemes=[schemes[name] for name in sorted(schemes)],
        settings=settings,
        per_scheme=sum(1 for s in used if s.takes_token or s.basic) > 1,
        required=required,
    )


def describe(view: CredentialsView, environment: dict[str, str]) -> list[str]:
    """Sentences for the `Client` docstring and the README: what each setting is and how it is sent."""
    sent = []
    for scheme in view.schemes:
        if scheme.kind == "api_key":
            sent.append(f"as is in the {scheme.location} `{scheme.wire_name}` (scheme `{scheme.name}`)")
        elif scheme.takes_token:
            sent.append(f"as `Authorization: {scheme.scheme.capitalize()} <token>` (scheme `{scheme.name}`)")
    lines = []
    if "api_key" in view.settings:
        lines.append(f"`api_key` falls back to {environment['api_key']}; it is sent " + "; or ".join(sent) + ".")
    if "username" in view.settings:
        lines.append(
            f"`username` and `password` (falling back to {environment['username']} and {environment['password']}) "
            "are sent as HTTP basic credentials."
        )
    if view.per_scheme:
        lines.append("`credentials` gives a scheme its own secret by its name (for basic: `username:password`).")
    if not view.settings:
        lines.append("The API declares no credential.")
    elif not view.required:
        lines.append("Operations that need none are called without.")
    return lines
