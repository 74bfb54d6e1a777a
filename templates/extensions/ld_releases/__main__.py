"""`python -m ld_releases`: the release command line (`ld-releases --help`)."""

from ._cli import run

run()
