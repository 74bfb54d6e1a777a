"""`python -m generator`: see generator.cli. Ctrl-C while the command line is still being imported
ends the run as one inside it does: one line, exit code 130, no traceback."""

import sys

try:
    from generator.cli import main

    code = main()
except KeyboardInterrupt:
    print("interrupted", file=sys.stderr)
    code = 130
sys.exit(code)
