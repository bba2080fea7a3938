"""The checks' problems, sorted and each once (:func:`cctrack.check.sorted_unique`), sorted a
field at a time rather than by a tuple of every field: the order of ``sorted(set(...))``."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cctrack.check import sorted_unique
from cctrack.problem import ERROR, WARNING, Problem

_PROBLEMS = st.builds(
    Problem,
    st.sampled_from(["a/targets.yaml", "a/observations.yaml", "b/observations.yaml"]),
    st.integers(1, 4),
    st.integers(1, 3),
    st.sampled_from([ERROR, WARNING, "info"]),
    st.sampled_from(["x-code", "y-code"]),
    st.sampled_from(["", "a", "b", "ab", "→ é", "中"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PROBLEMS, max_size=40), st.randoms())
def test_problems_sorted_a_field_at_a_time_are_sorted_and_each_once(
    problems: list[Problem], rnd: object
) -> None:
    doubled = problems + problems[: len(problems) // 2]
    rnd.shuffle(doubled)  # type: ignore[attr-defined]
    assert sorted_unique(doubled) == sorted(set(doubled))
