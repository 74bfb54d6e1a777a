"""The machine-readable record of what normalisation changed: one entry per edit."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from generator.document.loading import plain


@dataclass(frozen=True)
class Change:
    rule: str
    pointer: str
    before: Any
    after: Any

    def as_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "pointer": self.pointer, "before": self.before, "after": self.after}


@dataclass
class ChangeLog:
    """Collects changes; `for_rule` gives each rule a view that stamps its own id on what it records."""

    changes: list[Change] = field(default_factory=list)

    def for_rule(self, rule: str) -> RuleLog:
        return RuleLog(self, rule)


@dataclass
class RuleLog:
    log: ChangeLog
    rule: str

    def record(self, pointer: str, before: Any, after: Any) -> None:
        self.log.changes.append(Change(self.rule, pointer, copy.deepcopy(plain(before)), copy.deepcopy(plain(after))))

    @property
    def count(self) -> int:
        return sum(1 for c in self.log.changes if c.rule == self.rule)
