"""Run in a subprocess by test_commit.py: commit a new version of the outputs in ROOT (the package
folder `pkg`, the files `n.yaml` and `r.json`) as `generate` does, and SIGKILL itself just before
its KILL_AT-th change to the filesystem (0: never; it then prints how many changes it made).

python commit_run.py ROOT KILL_AT [steps]   (steps: as where the kernel lacks renameat2)
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any

from generator.output import renames
from generator.output.commit import commit_all
from generator.output.staging import Staging

NEW = {"a.txt": "new a\n", "sub/b.txt": "new b\n", "c.txt": "new c\n"}
CHANGES = {"os.rename", "os.remove", "os.rmdir", "os.mkdir", "shutil.rmtree", "ctypes.call_function", "fcntl.flock"}
WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT


def main() -> None:
    root, kill_at = Path(sys.argv[1]), int(sys.argv[2])
    if sys.argv[3:] == ["steps"]:
        renames._RENAMEAT2 = None
    changes = 0

    def count(event: str, args: tuple[Any, ...]) -> None:
        nonlocal changes
        writes = event == "open" and (any(c in (args[1] or "") for c in "wax+") or (args[2] or 0) & WRITING)
        if event in CHANGES or writes:
            changes += 1
            if changes == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)

    sys.addaudithook(count)
    commit_new(root)
    print(changes)


def commit_new(root: Path) -> None:
    """Stage the new package, then commit it with the new files, as `generate` does."""
    package = root / "pkg"
    with Staging(package) as work:
        staged = work.path / "package"
        for name, text in NEW.items():
            (staged / name).parent.mkdir(parents=True, exist_ok=True)
            (staged / name).write_text(text)
        files = [(root / "n.yaml", "new n\n"), (root / "r.json", "new r\n")]
        commit_all(work, files, (package, staged), lambda: None)


if __name__ == "__main__":
    main()
