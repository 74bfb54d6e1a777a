"""`ReleasePatch`: the RFC 6902 body for the legacy PATCH, built without writing JSON pointers by hand.

client.releases.patch("proj", "flag", ReleasePatch().complete_phase(0))
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the models are built on first use, not when the package is imported
    from .models import PatchOperation

__all__ = ["ReleasePatch"]


class ReleasePatch(list["PatchOperation"]):
    """A list of patch operations; each builder method appends one and returns the patch for chaining."""

    def complete_phase(self, index: int) -> ReleasePatch:
        """Mark phase `index` (0-based, in the release's order) complete."""
        return self._set_complete(index, True)

    def reopen_phase(self, index: int) -> ReleasePatch:
        """Mark phase `index` (0-based) incomplete again."""
        return self._set_complete(index, False)

    def expect_version(self, version: int) -> ReleasePatch:
        """Apply the patch only if the release is still at `version` (a `test` of `/_version`): the
        service refuses it with a 400 when another change came first, so no update is lost."""
        from .models import PatchOperation

        self.append(PatchOperation(op="test", path="/_version", value=version))
        return self

    def _set_complete(self, index: int, value: bool) -> ReleasePatch:
        if isinstance(index, bool) or not isinstance(index, int):
            raise TypeError(f"a phase index is an int, got {type(index).__name__}")
        if index < 0:
            raise ValueError(f"a phase index counts from 0, got {index}")
        from .models import PatchOperation

        self.append(PatchOperation(op="replace", path=f"/phases/{index}/complete", value=value))
        return self
