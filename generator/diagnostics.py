"""Problems in the input are values: every stage raises one `GeneratorFailure` holding diagnostics,
and only `cli` turns them into text and an exit code."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Diagnostic:
    """One problem: where it is (a file, a line and column, a JSON pointer), what is wrong, what to do."""

    message: str
    hint: str
    file: str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    pointer: str | None = None
    rule: str | None = None
    severity: str = "error"  # or "warning": repaired or accepted, refused only with --strict

    def render(self) -> str:
        return f"{self.headline()}\n  hint: {self.hint}"

    def headline(self) -> str:
        """The first line: place, severity, rule and message."""
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.pointer is not None:
            where += f" (at {self.pointer or '/'})"
        tag = f"[{self.rule}] " if self.rule else ""
        return f"{where}: {self.severity}: {tag}{self.message}"


@dataclass
class GeneratorFailure(Exception):
    """Raised with every diagnostic found; nothing has been written when it propagates."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(d.render() for d in self.diagnostics)
