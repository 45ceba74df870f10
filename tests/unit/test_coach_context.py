"""Context assembly within a token budget."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from momentum.core.coach.context import Section, assemble
from momentum.core.coach.tokens import estimate_tokens


def lines(prefix: str, n: int) -> tuple[str, ...]:
    return tuple(f"{prefix} line {i}: 45min Run Z2 30min Z3 13min Core EF 1.02" for i in range(n))


def test_everything_fits_in_declared_order() -> None:
    sections = [
        Section("Facts", ("state: thriving",), priority=0, required=True),
        Section("Memory", ("- enjoys: Stranger Things",), priority=15),
        Section("History", lines("h", 3), priority=40),
    ]
    out = assemble(sections, 2000)
    assert out.text.index("## Facts") < out.text.index("## Memory") < out.text.index("## History")
    assert out.dropped == () and out.trimmed == ()


def test_low_priority_goes_first_when_tight() -> None:
    sections = [
        Section("Facts", ("state: fragile",), priority=0, required=True),
        Section("Week", lines("w", 5), priority=10, required=True),
        Section("Memory", ("- Strength + long run caused DOMS",), priority=15),
        Section("History", lines("h", 40), priority=40, keep="tail"),
        Section("Chatter", lines("c", 40), priority=60),
    ]
    out = assemble(sections, 300)
    assert "## Memory" in out.text
    assert "Chatter" in out.dropped
    assert "History" in out.trimmed
    assert "h line 39" in out.text  # tail kept: newest lines
    assert "more not shown" in out.text
    assert out.tokens <= 300 + 20


def test_required_sections_always_appear() -> None:
    out = assemble([Section("Facts", lines("f", 50), required=True)], 30)
    assert "## Facts" in out.text and "f line 0" in out.text


@given(
    st.lists(st.tuples(st.integers(0, 100), st.integers(0, 30)), min_size=1, max_size=8),
    st.integers(min_value=100, max_value=3000),
)
def test_budget_is_respected_without_required_sections(
    spec: list[tuple[int, int]], budget: int
) -> None:
    sections = [Section(f"S{i}", lines(f"s{i}", n), priority=p) for i, (p, n) in enumerate(spec)]
    out = assemble(sections, budget)
    assert estimate_tokens(out.text) <= budget
