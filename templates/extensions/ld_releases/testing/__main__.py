"""`python -m ld_releases.testing --port N`: the fake Releases service as a process of its own."""

from __future__ import annotations

import argparse
from pathlib import Path

from ._app import PACKAGED_SPEC
from ._server import serve
from ._service import DEFAULT_TOKEN


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m ld_releases.testing",
        description="Run a fake LaunchDarkly Releases (beta) service that validates every request and "
        "response against the API description. Prints `LISTENING <url>` once it accepts connections.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: 0, a free one)")
    parser.add_argument(
        "--token", default=DEFAULT_TOKEN, help=f"the access token it accepts (default: {DEFAULT_TOKEN})"
    )
    parser.add_argument("--spec", type=Path, default=PACKAGED_SPEC, help="API description (default: the packaged one)")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    serve(host=args.host, port=args.port, token=args.token, spec=args.spec, verbose=args.verbose)


if __name__ == "__main__":
    main()
