"""The command line, and the only place where diagnostics become text and exit codes.

python -m generator normalize SPEC --output FILE [--report FILE] [--fixes FILE] [SELECTION]
python -m generator generate SPEC --output DIR [--fixes FILE] [--normalized FILE] [SELECTION] ...
python -m generator check SPEC --output DIR [--normalized FILE] [--report FILE] [SELECTION]

SELECTION: --include-tag TAG, --exclude-tag TAG, --include-operation ID (each repeatable).
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, GeneratorFailure
from generator.normalise.selection import Selection

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
INTERRUPTED = "interrupted: the outputs are as they were (or all new, had their commit begun)"
HINTS = {
    errno.ENOSPC: "the disk is full: free some space, then run again",
    errno.EDQUOT: "the disk quota is used up: free some space, then run again",
    errno.EACCES: "no permission: make the folder writable for you, or pass another path",
    errno.EPERM: "no permission: make the folder writable for you, or pass another path",
    errno.EROFS: "the filesystem is read-only: pass a path on a writable one",
    errno.ENOTDIR: "a part of the path is a file, not a folder: pass another path",
    errno.EISDIR: "that is a folder: pass a file path",
    errno.ENAMETOOLONG: "the path is too long: pass a shorter one",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Normalise an OpenAPI description and render a Python client package from it.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    norm = sub.add_parser(
        "normalize",
        aliases=["normalise"],
        help="write the normalised OpenAPI document",
        description="Apply SPEC's declared fixes and every generic rule; write one clean OpenAPI "
        "document and, optionally, a JSON report of every change (rule, JSON pointer, before, after).",
    )
    _input_args(norm, "FILE", "where to write the YAML")
    norm.add_argument("--report", type=Path, metavar="FILE", help="where to write the change report (JSON)")
    norm.add_argument("--strict", action="store_true", help="refuse harmless defects instead of repairing them")

    gen = sub.add_parser(
        "generate",
        help="normalise SPEC and render a client package",
        description="Normalise SPEC, then render a typed Python client package (pydantic v2 models, "
        "httpx endpoints) into DIR. DIR must be absent, empty, or a package this command wrote (its "
        "PROVENANCE.json lists every file; anything else there is refused). Every output is prepared "
        "beside its place and all are swapped in together, only when everything succeeded; what a "
        "killed run left beside them is cleaned up by the next run.",
    )
    _input_args(gen, "DIR", "the package folder to (re)write")
    gen.add_argument(
        "--strict",
        action="store_true",
        help="refuse what is otherwise a warning (a harmless defect repaired, a constraint the models cannot express)",
    )
    gen.add_argument("--normalized", type=Path, metavar="FILE", help="also write the normalised document here")
    gen.add_argument("--report", type=Path, metavar="FILE", help="also write the change report (JSON) here")
    _package_args(gen)

    check = sub.add_parser(
        "check",
        help="fail when committed output differs from what SPEC produces",
        description="Regenerate from SPEC into a scratch folder and compare with DIR (and the normalised "
        "document and report, when given), byte for byte. Exits 1 and shows the differences on drift.",
    )
    _input_args(check, "DIR", "the committed package folder")
    check.add_argument("--normalized", type=Path, metavar="FILE", help="the committed normalised document")
    check.add_argument("--report", type=Path, metavar="FILE", help="the committed change report")
    _package_args(check)

    diff = sub.add_parser(
        "diff",
        help="classify the changes between two descriptions; the last line is the version bump",
        description="Normalise OLD and NEW (each with the fixes declared beside it), list every difference "
        "with its JSON pointer as breaking, added or changed, and print the version bump last: "
        "major, minor, patch or none.",
    )
    diff.add_argument("old", type=Path, metavar="OLD", help="the previous description")
    diff.add_argument("new", type=Path, metavar="NEW", help="the new description")
    return parser


def _input_args(parser: argparse.ArgumentParser, output_kind: str, output_help: str) -> None:
    parser.add_argument("spec", type=Path, metavar="SPEC", help="OpenAPI 3.0/3.1 description, YAML or JSON")
    parser.add_argument("--output", "-o", type=Path, required=True, metavar=output_kind, help=output_help)
    parser.add_argument(
        "--fixes",
        type=Path,
        metavar="FILE",
        help="per-spec fixes to apply first (default: NAME.fixes.yaml beside SPEC)",
    )
    part = parser.add_argument_group(
        "taking a part of SPEC",
        "Only the operations named (by a tag or an operationId; every one when neither is given) and "
        "no operation with an excluded tag, with exactly the schemas, parameters, responses and "
        "security schemes they reach. Names are the published ones (before the fixes); a fix whose "
        "target was left out is listed in the report as such.",
    )
    part.add_argument("--include-tag", action="append", default=[], metavar="TAG", help="keep operations tagged TAG")
    part.add_argument("--exclude-tag", action="append", default=[], metavar="TAG", help="drop operations tagged TAG")
    part.add_argument(
        "--include-operation", action="append", default=[], metavar="ID", help="keep the operation with this id"
    )


def _selection(args: argparse.Namespace) -> Selection:
    return Selection(tuple(args.include_tag), tuple(args.exclude_tag), tuple(args.include_operation))


def _package_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--package-name", metavar="NAME", help="import name (default: from the document)")
    parser.add_argument("--distribution-name", metavar="NAME", help="distribution name (default: from the document)")
    parser.add_argument("--package-version", metavar="VERSION", help="package version (default: from the document)")
    parser.add_argument("--templates", type=Path, metavar="DIR", help="templates folder (default: templates/)")


def _package_options(args: argparse.Namespace) -> dict[str, Any]:
    options: dict[str, Any] = {
        "package_name": args.package_name,
        "distribution_name": args.distribution_name,
        "package_version": args.package_version,
        "selection": _selection(args),
    }
    return {**options, "templates": args.templates} if args.templates else options


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command in ("normalize", "normalise"):
            from generator.normalise import normalise
            from generator.output.commit import write_files

            result = normalise(args.spec, args.fixes, _selection(args), args.strict)
            for warning in result.warnings:
                _warn(warning)
            files = {"--output": (args.output, result.text())}
            if args.report:
                files["--report"] = (args.report, json.dumps(result.report(), indent=2) + "\n")
            write_files(files)
            print(f"{args.output}: {len(result.changes)} changes", file=sys.stderr)
        elif args.command == "diff":
            from generator.normalise import normalise
            from generator.release.diff import compare, iter_lines

            old, new = normalise(args.old).document.root, normalise(args.new).document.root
            for line in iter_lines(compare(old, new)):
                print(line)
        elif args.command == "check":
            from generator.release.drift import check_drift

            problems = check_drift(
                args.spec, args.output, args.fixes, args.normalized, args.report, **_package_options(args)
            )
            for problem in problems:
                print(problem, file=sys.stderr)
            if problems:
                print(
                    f"drift: {len(problems)} file(s) differ from what {args.spec} produces; run `nox -s generate`",
                    file=sys.stderr,
                )
                return EXIT_INPUT
            print(f"{args.output}: in step with {args.spec}", file=sys.stderr)
        else:
            from generator.pipeline import generate

            written = generate(
                spec=args.spec,
                output=args.output,
                fixes=args.fixes,
                normalized=args.normalized,
                report=args.report,
                strict=args.strict,
                warn=_warn,
                **_package_options(args),
            )
            print(f"{args.output}: {'generated' if written else 'up to date, nothing written'}", file=sys.stderr)
    except GeneratorFailure as failure:
        print(str(failure), file=sys.stderr)
        return EXIT_INPUT
    except OSError as err:  # the environment: a full disk, a read-only folder, a parent that is a file
        print(_environment_problem(err).render(), file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as err:  # a bug in the toolchain, not in the input
        if os.environ.get("LD_GENERATOR_DEBUG"):
            raise
        print(f"internal error: {type(err).__name__}: {err}", file=sys.stderr)
        print("  hint: a bug in the generator; LD_GENERATOR_DEBUG=1 shows the traceback", file=sys.stderr)
        return EXIT_INTERNAL
    return EXIT_OK


def _warn(diagnostic: Diagnostic) -> None:
    print(diagnostic.render(), file=sys.stderr)


def _environment_problem(err: OSError) -> Diagnostic:
    """A failed read or write of a path, as a problem of the input: the path, the reason, what to do."""
    reason = err.strerror or str(err)
    if err.filename2 is not None:
        reason += f" (moving it to {err.filename2})"
    hint = HINTS.get(err.errno or 0, "check the path and its permissions, then run again")
    return Diagnostic(f"cannot write or read it: {reason}", hint, file=str(err.filename) if err.filename else None)
