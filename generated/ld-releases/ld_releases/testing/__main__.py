# Copied verbatim from templates/ by the ld-releases toolchain: do not edit here.
"""`python -m ld_releases.testing --port N`: the fake Releases service as a process of its own.

It prints `LISTENING <url>` first (harnesses wait for that line), then what a user needs to point a
client at it: the token it accepts, the seeded project, flags and pipelines, and the two `export`
lines for the environment the client reads."""

from __future__ import annotations

import argparse
from pathlib import Path

from .._package import ENVIRONMENT
from ._app import PACKAGED_SPEC
from ._server import serve
from ._service import DEFAULT_FLAGS, DEFAULT_PIPELINES, DEFAULT_TOKEN, Phase


def _phase(phase: Phase) -> str:
    return f"{phase.name} {phase.id}" if phase.id else phase.name


def start_up_lines(url: str, token: str) -> list[str]:
    """What the fake says after `LISTENING <url>`: how to connect, and what it holds."""
    projects = sorted({project for project, _ in DEFAULT_FLAGS})
    pipelines = [
        f"{p.key} ({', '.join(_phase(phase) for phase in p.phases)})" for p in DEFAULT_PIPELINES
    ]
    return [
        f"token: {token}",
        f"project: {', '.join(projects)}",
        f"flags: {', '.join(flag for _, flag in DEFAULT_FLAGS)}",
        f"pipelines: {', '.join(pipelines)}",
        f"export {ENVIRONMENT['base_url']}={url}",
        f"export {ENVIRONMENT['api_key']}={token}",
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m ld_releases.testing",
        description="Run a fake LaunchDarkly Releases (beta) service that validates every request and "
        "response against the API description. Prints `LISTENING <url>` once it accepts connections, "
        "then the token, the seeded project, flags and pipelines, and the environment to export.",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    parser.add_argument(
        "--port", type=int, default=0, help="port to listen on (default: 0, a free one)"
    )
    parser.add_argument(
        "--token",
        default=DEFAULT_TOKEN,
        help=f"the access token it accepts (default: {DEFAULT_TOKEN})",
    )
    parser.add_argument(
        "--spec",
        type=Path,
        default=PACKAGED_SPEC,
        help="API description (default: the packaged one)",
    )
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)

    def announce(url: str) -> None:
        print("\n".join(start_up_lines(url, args.token)), flush=True)

    serve(
        host=args.host,
        port=args.port,
        token=args.token,
        spec=args.spec,
        verbose=args.verbose,
        announce=announce,
    )


if __name__ == "__main__":
    main()
