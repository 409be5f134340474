"""Type stubs of brink's native module (Rust, through PyO3). Use the
functions of ``brink`` itself; these are what they call."""

from typing import Optional

__version__: str

class ScenarioError(Exception):
    """A scenario that cannot be loaded, located at its first problem."""

    file: Optional[str]
    line: Optional[int]
    column: Optional[int]
    path: Optional[str]
    problems: list[tuple[Optional[int], Optional[int], str, str]]

class NativeScenario:
    @property
    def name(self) -> str: ...
    @property
    def file(self) -> str: ...
    @property
    def actors(self) -> list[str]: ...
    def run(
        self, runs: int, seed: int, threads: Optional[int], causes: bool, per_run: bool
    ) -> tuple[str, Optional[list[tuple]]]: ...
    def trace(self, seed: int, run: int, causes: bool) -> tuple[str, str]: ...
    def declared_variants(self) -> list[tuple[str, str]]: ...
    def with_variant(self, name: str) -> "NativeScenario": ...

def load(source: str, sets: list[str], variants: list[str]) -> NativeScenario: ...
def builtins() -> list[str]: ...
def compare(
    arms: list[tuple[str, str, NativeScenario]],
    runs: int,
    seed: int,
    threads: Optional[int],
    causes: bool,
    unpaired: bool,
) -> str: ...
