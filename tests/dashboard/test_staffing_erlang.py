"""Erlang C against hand-checked textbook cases, an exact reference with factorials, and its properties."""

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.staffing import (
    agents_needed,
    average_speed_of_answer,
    offered_load,
    probability_of_waiting,
    service_level,
)


def exact_probability_of_waiting(agents: int, load: Fraction) -> Fraction:
    """The formula as written, in exact arithmetic: [A^N/N! · N/(N−A)] / [Σ_{k<N} A^k/k! + A^N/N! · N/(N−A)]."""
    top = load**agents / math.factorial(agents) * Fraction(agents) / (agents - load)
    return top / (sum(load**k / math.factorial(k) for k in range(agents)) + top)


def needed(calls_per_hour, aht_seconds, answer_seconds=20, level=0.8, **extra) -> int:
    return agents_needed(
        calls_per_hour=calls_per_hour,
        aht_seconds=aht_seconds,
        target_answer_seconds=answer_seconds,
        target_service_level=level,
        **extra,
    )


def test_one_erlang_by_hand():
    # 20 chats an hour of 180 s each is one Erlang. Two agents: P(wait) = 1/3, three: 1/11.
    assert offered_load(calls_per_hour=20, aht_seconds=180) == 1
    assert probability_of_waiting(2, 1) == pytest.approx(1 / 3)
    assert probability_of_waiting(3, 1) == pytest.approx(1 / 11)
    two = service_level(agents=2, calls_per_hour=20, aht_seconds=180, target_answer_seconds=20)
    three = service_level(agents=3, calls_per_hour=20, aht_seconds=180, target_answer_seconds=20)
    assert two == pytest.approx(1 - math.exp(-20 / 180) / 3)  # 70.2 %: short of 80 %
    assert three == pytest.approx(1 - math.exp(-2 * 20 / 180) / 11)  # 92.7 %
    assert needed(20, 180) == 3


def test_the_worked_example_of_360_calls_per_half_hour():
    # The classic worked example: 360 calls per half hour of 4 minutes each, 55 agents, 15 s target:
    # 48 Erlangs, occupancy 87.3 %, a 23.9 % chance to wait, 8.2 s average wait, 84.6 % within 15 s.
    load = offered_load(calls_per_hour=720, aht_seconds=240)
    assert load == 48
    assert load / 55 == pytest.approx(0.873, abs=5e-4)
    assert probability_of_waiting(55, load) == pytest.approx(0.2387, abs=5e-5)
    assert average_speed_of_answer(agents=55, calls_per_hour=720, aht_seconds=240) == pytest.approx(8.18, abs=5e-3)
    level = service_level(agents=55, calls_per_hour=720, aht_seconds=240, target_answer_seconds=15)
    assert level == pytest.approx(0.8459, abs=5e-5)


def test_the_call_centre_rule_of_thumb_example():
    # 100 calls in 30 minutes, 3 minutes each, 80 % within 20 s: 10 Erlangs; 13 agents reach 79.6 %, 14 reach 88.8 %.
    assert service_level(agents=13, calls_per_hour=200, aht_seconds=180, target_answer_seconds=20) == pytest.approx(
        0.7956, abs=5e-5
    )
    assert service_level(agents=14, calls_per_hour=200, aht_seconds=180, target_answer_seconds=20) == pytest.approx(
        0.8884, abs=5e-5
    )
    assert needed(200, 180) == 14
    # Agents busy at most 70 % of the time: 10 / 0.7 = 14.3, so 15.
    assert needed(200, 180, max_occupancy=0.7) == 15
    assert needed(200, 180, max_occupancy=0.9) == 14


def test_no_chats_need_no_agents_and_overload_is_never_served():
    assert needed(0, 180) == 0
    assert service_level(agents=0, calls_per_hour=0, aht_seconds=180, target_answer_seconds=20) == 1
    assert service_level(agents=10, calls_per_hour=200, aht_seconds=180, target_answer_seconds=20) == 0
    assert probability_of_waiting(10, 10) == 1
    assert average_speed_of_answer(agents=9, calls_per_hour=200, aht_seconds=180) == math.inf
    # A trickle still needs someone there.
    assert needed(0.25, 300) == 1


def test_large_floors_stay_finite_and_minimal():
    # 1,800 Erlangs: A^N/N! would overflow a float hundreds of times over; the recursion does not.
    load = offered_load(calls_per_hour=36_000, aht_seconds=180)
    agents = needed(36_000, 180)
    assert load < agents < load + 3 * math.sqrt(load)
    above = service_level(agents=agents, calls_per_hour=36_000, aht_seconds=180, target_answer_seconds=20)
    below = service_level(agents=agents - 1, calls_per_hour=36_000, aht_seconds=180, target_answer_seconds=20)
    assert below < 0.8 <= above <= 1


@pytest.mark.parametrize(
    "arguments",
    [
        {"calls_per_hour": -1},
        {"calls_per_hour": math.inf},
        {"aht_seconds": 0},
        {"target_answer_seconds": -5},
        {"target_service_level": 1},
        {"target_service_level": 0},
        {"max_occupancy": 0},
        {"max_occupancy": 1.2},
    ],
)
def test_impossible_inputs_are_refused(arguments):
    values = {"calls_per_hour": 20, "aht_seconds": 180, "target_answer_seconds": 20, "target_service_level": 0.8}
    with pytest.raises(ValueError):
        agents_needed(**(values | arguments))


@settings(max_examples=200, deadline=None)
@given(
    agents=st.integers(min_value=1, max_value=60),
    load=st.fractions(min_value=Fraction(1, 100), max_value=59, max_denominator=100),
)
def test_the_recursion_equals_the_formula_with_factorials(agents, load):
    if agents <= load:
        assert probability_of_waiting(agents, float(load)) == 1
        return
    assert probability_of_waiting(agents, float(load)) == pytest.approx(
        float(exact_probability_of_waiting(agents, load)), rel=1e-9, abs=1e-12
    )


volumes = st.floats(min_value=0, max_value=2000, allow_nan=False)
handling = st.floats(min_value=10, max_value=1200, allow_nan=False)
answers = st.integers(min_value=0, max_value=120)
levels = st.floats(min_value=0.5, max_value=0.99)


@settings(max_examples=200, deadline=None)
@given(first=volumes, second=volumes, aht=handling, answer=answers, level=levels)
def test_more_chats_never_need_fewer_agents(first, second, aht, answer, level):
    low, high = sorted((first, second))
    assert needed(low, aht, answer, level) <= needed(high, aht, answer, level)


@settings(max_examples=200, deadline=None)
@given(volume=volumes, aht=handling, answer=answers, level=levels, extra=st.floats(min_value=0, max_value=600))
def test_longer_chats_tighter_waits_and_higher_targets_never_need_fewer(volume, aht, answer, level, extra):
    base = needed(volume, aht, answer, level)
    assert needed(volume, aht + extra, answer, level) >= base
    assert needed(volume, aht, answer + 30, level) <= base
    assert needed(volume, aht, answer, min(0.995, level + 0.05)) >= base


@settings(max_examples=200, deadline=None)
@given(volume=st.floats(min_value=0.1, max_value=2000), aht=handling, answer=answers, level=levels)
def test_the_answer_is_the_fewest_agents_that_reach_the_target(volume, aht, answer, level):
    agents = needed(volume, aht, answer, level)
    reached = service_level(agents=agents, calls_per_hour=volume, aht_seconds=aht, target_answer_seconds=answer)
    one_fewer = service_level(agents=agents - 1, calls_per_hour=volume, aht_seconds=aht, target_answer_seconds=answer)
    assert reached >= level > one_fewer
