"""`ld-releases` (or `python -m ld_releases`): release automation for CI, one call per step.

Each subcommand prints the release as the service returns it (JSON, wire names) on stdout, an
error as one line on stderr, never a traceback, and exits with a code a CI step can branch on.
The token comes from the environment only, so it never shows in a command line or a log.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

from . import _exceptions
from ._client import Client
from ._package import ENVIRONMENT, LdReleasesError
from ._workflows import NoPhaseToStartError, running_phase
from .models import PhaseStatus, Release

OK, API_ERROR, USAGE, NOT_FOUND, NOTHING_TO_DO, AUTH, CONNECTION = 0, 1, 2, 3, 4, 5, 6
EXIT_CODES = {
    OK: "done",
    API_ERROR: "any other error of the service or the client (a 400, a 5xx, an answer that breaks the API)",
    USAGE: "the command line is wrong (an empty key included)",
    NOT_FOUND: "no such flag, pipeline or release (404)",
    NOTHING_TO_DO: "no phase to start (advance) or none running (complete): the release is done",
    AUTH: f"no token in {ENVIRONMENT['api_key']}, or the service refused it (401, 403)",
    CONNECTION: "no answer: connection refused or reset, or a timeout",
}


class NothingRunningError(LdReleasesError):
    """`complete` found no phase that has started and is not complete."""


def _get(client: Client, args: argparse.Namespace) -> Release:
    return client.releases.get(args.project, args.flag)


def _create(client: Client, args: argparse.Namespace) -> Release:
    variation = {} if args.variation is None else {"release_variation_id": args.variation}
    return client.releases.create(args.project, args.flag, release_pipeline_key=args.pipeline, **variation)


def _advance(client: Client, args: argparse.Namespace) -> Release:
    return client.releases.advance(args.project, args.flag, start_only=args.start_only)


def _complete(client: Client, args: argparse.Namespace) -> Release:
    phase = running_phase(client.releases.get(args.project, args.flag))
    if phase is None:
        raise NothingRunningError(f"release of {args.project}/{args.flag} has no phase running")
    return client.releases.update_phase_status(args.project, args.flag, phase.id, status=PhaseStatus.COMPLETE)


def _delete(client: Client, args: argparse.Namespace) -> dict[str, Any]:
    client.releases.delete(args.project, args.flag)
    return {"deleted": True, "projectKey": args.project, "flagKey": args.flag}


COMMANDS: dict[str, tuple[Callable[[Client, argparse.Namespace], Release | dict[str, Any]], str]] = {
    "get": (_get, "print the flag's active release"),
    "create": (_create, "create a release of the flag from a release pipeline"),
    "advance": (_advance, "complete the running phase (if any) and start the next one"),
    "complete": (_complete, "complete the running phase, starting nothing"),
    "delete": (_delete, "delete the flag's active release"),
}


def parser() -> argparse.ArgumentParser:
    codes = "\n".join(f"  {code}  {meaning}" for code, meaning in EXIT_CODES.items())
    environment = (
        f"environment:\n  {ENVIRONMENT['api_key']}   the access token (required)\n"
        f"  {ENVIRONMENT['base_url']}  the service's URL (default: https://app.launchdarkly.com)"
    )
    epilog = f"{environment}\n\nexit codes:\n{codes}"
    top = argparse.ArgumentParser(
        prog="ld-releases",
        description="Drive LaunchDarkly releases (beta) from CI: JSON on stdout, exit codes to branch on.",
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (_, summary) in COMMANDS.items():
        sub = commands.add_parser(
            name, help=summary, description=summary, epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter
        )
        sub.add_argument("project", metavar="PROJECT_KEY", help="the project's key")
        sub.add_argument("flag", metavar="FLAG_KEY", help="the feature flag's key")
        if name == "create":
            sub.add_argument("--pipeline", required=True, metavar="KEY", help="the release pipeline's key")
            sub.add_argument("--variation", metavar="ID", help="the variation to release (default: the service's)")
        if name == "advance":
            sub.add_argument("--start-only", action="store_true", help="only start the next phase; complete nothing")
    return top


def exit_code(error: LdReleasesError) -> int:
    """The exit code of an error, from the most specific class that has one."""
    if isinstance(error, _exceptions.ArgumentError):  # refused before anything was sent
        return USAGE
    if isinstance(error, _exceptions.NotFoundError):
        return NOT_FOUND
    if isinstance(error, NoPhaseToStartError | NothingRunningError):
        return NOTHING_TO_DO
    if isinstance(
        error, _exceptions.AuthenticationError | _exceptions.PermissionDeniedError | _exceptions.MissingCredentialError
    ):
        return AUTH
    if isinstance(error, _exceptions.ApiConnectionError):
        return CONNECTION
    return API_ERROR


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    run, _ = COMMANDS[args.command]
    try:
        with Client() as client:
            result = run(client, args)
    except LdReleasesError as error:
        print(f"ld-releases {args.command}: {error}", file=sys.stderr)
        return exit_code(error)
    except (TypeError, ValueError) as error:  # an argument the client refused before sending anything
        print(f"ld-releases {args.command}: {error}", file=sys.stderr)
        return USAGE
    body = result if isinstance(result, dict) else result.model_dump(mode="json", by_alias=True, exclude_unset=True)
    print(json.dumps(body, indent=2, sort_keys=True))
    return OK


def run() -> None:
    """The console script `ld-releases`."""
    try:
        code = main()
    except KeyboardInterrupt:
        code = 130
    raise SystemExit(code)
