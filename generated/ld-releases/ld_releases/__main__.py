# Copied verbatim from templates/ by the ld-releases toolchain: do not edit here.
"""`python -m ld_releases`: the release command line (`ld-releases --help`)."""

from ._cli import run

run()
