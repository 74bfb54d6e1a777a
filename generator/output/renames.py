"""The two renames a commit needs, atomic where the kernel offers them: `renameat2` with
RENAME_EXCHANGE swaps two paths in one step (Linux 3.15+, glibc 2.28+, most local filesystems),
RENAME_NOREPLACE never overwrites. Where the call or the filesystem lacks them, plain renames do
the same in steps, and the journal of the commit lets a later run finish or undo them (the output
path is then missing for the moment between two renames)."""

from __future__ import annotations

import ctypes
import errno
import os
from pathlib import Path
from typing import Any

AT_FDCWD = -100
RENAME_NOREPLACE, RENAME_EXCHANGE = 1, 2


def _load_renameat2() -> Any:
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):  # not glibc, or no C library to load
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_RENAMEAT2 = _load_renameat2()


def _renameat2(source: Path, target: Path, flags: int) -> bool:
    """True when done; False when the kernel, the C library or the filesystem lacks the call."""
    if _RENAMEAT2 is None:
        return False
    if _RENAMEAT2(AT_FDCWD, os.fsencode(source), AT_FDCWD, os.fsencode(target), flags) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(source), None, str(target))


def exchange(one: Path, other: Path, parking: Path) -> None:
    """Swap `one` and `other` (both exist) in one step where the kernel can. Otherwise in two, with
    `parking` (absent) taking what `other` held: what `other` held ends at `one` or at `parking`,
    and at no moment is either object anywhere but at one of the three paths."""
    if _renameat2(one, other, RENAME_EXCHANGE):
        return
    os.rename(other, parking)
    os.rename(one, other)


def move_new(source: Path, target: Path) -> None:
    """Rename `source` to `target`, which must not exist."""
    if _renameat2(source, target, RENAME_NOREPLACE):
        return
    if os.path.lexists(target):
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target))
    os.rename(source, target)
