"""Erlang C: how many agents answer a target share of contacts within a target wait.

Contacts arrive at random (Poisson) at λ per hour and take AHT seconds each on
average; A = λ · AHT / 3600 is the offered load in Erlangs. With N agents (N > A)
the probability that a contact has to wait is Erlang's C formula

    P(wait) = [A^N/N! · N/(N−A)] / [Σ_{k<N} A^k/k! + A^N/N! · N/(N−A)]

and the service level, the share answered within t seconds, is

    SL(t) = 1 − P(wait) · e^{−(N−A)·t/AHT}.

(A. K. Erlang, 1917; as used in workforce planning, e.g. Koole, "Call Center
Optimization", 2013, ch. 5.) A^N/N! overflows a float for a few hundred agents,
so P(wait) is computed from Erlang B with the stable recursion
B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1)), and C = N·B / (N − A·(1 − B)).
"""

import math

# Far more agents than any floor has: a guard against a loop that could not end on absurd input.
MAX_AGENTS = 100_000


def offered_load(*, calls_per_hour: float, aht_seconds: float) -> float:
    """The traffic in Erlangs: how many agents would be busy all the time."""
    return calls_per_hour * aht_seconds / 3600


def erlang_b(agents: int, load: float) -> float:
    """Blocking probability of Erlang B, by the recursion (no factorials, no overflow)."""
    blocking = 1.0
    for k in range(1, agents + 1):
        blocking = load * blocking / (k + load * blocking)
    return blocking


def _erlang_c_from_b(agents: int, load: float, blocking: float) -> float:
    return agents * blocking / (agents - load * (1 - blocking))


def probability_of_waiting(agents: int, load: float) -> float:
    """Erlang C: the chance that a contact waits at all; 1 when the agents cannot keep up (N ≤ A)."""
    if load <= 0:
        return 0.0
    if agents <= load:
        return 1.0
    return _erlang_c_from_b(agents, load, erlang_b(agents, load))


def service_level(*, agents: int, calls_per_hour: float, aht_seconds: float, target_answer_seconds: float) -> float:
    """The share of contacts answered within `target_answer_seconds` with `agents` agents (0 when overloaded)."""
    _check(calls_per_hour=calls_per_hour, aht_seconds=aht_seconds, target_answer_seconds=target_answer_seconds)
    load = offered_load(calls_per_hour=calls_per_hour, aht_seconds=aht_seconds)
    if load == 0:
        return 1.0
    if agents <= load:
        return 0.0
    waiting = probability_of_waiting(agents, load)
    return 1 - waiting * math.exp(-(agents - load) * target_answer_seconds / aht_seconds)


def average_speed_of_answer(*, agents: int, calls_per_hour: float, aht_seconds: float) -> float:
    """Mean wait in seconds, P(wait) · AHT / (N − A); infinite when the agents cannot keep up."""
    load = offered_load(calls_per_hour=calls_per_hour, aht_seconds=aht_seconds)
    if load == 0:
        return 0.0
    if agents <= load:
        return math.inf
    return probability_of_waiting(agents, load) * aht_seconds / (agents - load)


def agents_needed(
    *,
    calls_per_hour: float,
    aht_seconds: float,
    target_answer_seconds: float,
    target_service_level: float,
    max_occupancy: float | None = None,
) -> int:
    """The fewest agents that answer `target_service_level` (0.8 = 80 %) within `target_answer_seconds`.

    With `max_occupancy` (0.85 = agents busy at most 85 % of the time) the answer is also
    at least A / max_occupancy. No contacts need no agents.
    """
    _check(calls_per_hour=calls_per_hour, aht_seconds=aht_seconds, target_answer_seconds=target_answer_seconds)
    if not 0 < target_service_level < 1:
        raise ValueError("target_service_level must be between 0 and 1 (exclusive).")
    if max_occupancy is not None and not 0 < max_occupancy <= 1:
        raise ValueError("max_occupancy must be above 0 and at most 1.")
    load = offered_load(calls_per_hour=calls_per_hour, aht_seconds=aht_seconds)
    if load == 0:
        return 0
    agents = math.floor(load) + 1  # the fewest that keep up at all
    blocking = erlang_b(agents, load)
    while True:
        waiting = _erlang_c_from_b(agents, load, blocking)
        level = 1 - waiting * math.exp(-(agents - load) * target_answer_seconds / aht_seconds)
        if level >= target_service_level:
            break
        if agents >= MAX_AGENTS:
            raise ValueError("The load needs more agents than any team has; check the volume and handling time.")
        agents += 1
        blocking = load * blocking / (agents + load * blocking)  # Erlang B one step on
    if max_occupancy is not None:
        agents = max(agents, math.ceil(load / max_occupancy - 1e-9))
    return agents


def _check(*, calls_per_hour: float, aht_seconds: float, target_answer_seconds: float) -> None:
    if calls_per_hour < 0 or not math.isfinite(calls_per_hour):
        raise ValueError("calls_per_hour must be a finite number of zero or more.")
    if aht_seconds <= 0 or not math.isfinite(aht_seconds):
        raise ValueError("aht_seconds must be a finite number above zero.")
    if target_answer_seconds < 0 or not math.isfinite(target_answer_seconds):
        raise ValueError("target_answer_seconds must be a finite number of zero or more.")
