"""The benchmarks' drain guard and targets, as pure functions: no database, no load."""

from __future__ import annotations

from bench import targets as T
from bench import validity as V


def test_a_run_that_never_found_the_queue_empty_is_valid() -> None:
    assert V.drain_check(claims=12_000, empty_answers=0, claimable_after=30_000) == V.VALID


def test_an_empty_answer_or_an_empty_queue_makes_the_run_invalid_and_says_after_how_many_claims() -> None:
    by_answer = V.drain_check(claims=20_000, empty_answers=3, claimable_after=5)
    by_queue = V.drain_check(claims=20_000, empty_answers=0, claimable_after=0)
    for validity in (by_answer, by_queue):
        assert not validity.valid
        assert validity.reason == "queue drained after 20,000 claims"
        assert V.show_run(validity) == "invalid (queue drained after 20,000 claims)"


def test_precheck_refuses_a_run_the_last_rate_would_drain() -> None:
    # 4,000 claims/s over 3 + 8 s is 44,000 claims; with the 1.5 margin 66,000 are needed.
    assert V.items_needed(4000, 3, 8) == 66_000
    assert V.precheck(100_000, 4000, 3, 8).valid
    refused = V.precheck(50_000, 4000, 3, 8)
    assert not refused.valid
    assert refused.reason.startswith("not run: 50,000 claimable items, about 66,000 needed")


def test_precheck_makes_the_run_when_no_rate_is_known_but_never_on_an_empty_queue() -> None:
    assert V.precheck(10, None, 3, 8).valid
    assert not V.precheck(0, None, 3, 8).valid


def test_the_expected_rate_comes_from_the_same_n_else_the_largest_smaller_n() -> None:
    rates = {("bare", 1): 1000.0, ("bare", 4): 3000.0, ("routed", 8): 900.0}
    assert V.estimate_rate(rates, "bare", 4) == 3000.0
    assert V.estimate_rate(rates, "bare", 8) == 3000.0
    assert V.estimate_rate(rates, "bare", 2) == 1000.0
    assert V.estimate_rate(rates, "routed", 4) is None
    assert V.estimate_rate(rates, "plain", 1) is None


def test_a_ratio_that_uses_an_invalid_run_is_invalid_never_nan() -> None:
    drained = V.Validity.invalid("queue drained after 5 claims")
    assert V.ratio(700, 1000, V.VALID, V.VALID) == 0.7
    assert V.ratio(700, 1000, V.VALID, drained) is None
    assert V.ratio(700, 0) is None
    assert V.show(None, ".3f", 8) == " invalid"
    assert V.show(0.7, ".3f", 8) == "   0.700"


def test_targets_are_met_missed_or_invalid_and_their_lines_say_so() -> None:
    met = T.check("work", "routed ÷ bare", 0.75, ">=", 0.7, unit="×")
    missed = T.check("work", "routed ÷ bare", 0.65, ">=", 0.7, unit="×")
    drained = T.check(
        "work", "routed ÷ bare", 0.9, ">=", 0.7, unit="×", validity=V.Validity.invalid("queue drained after 5 claims")
    )
    assert (met.status, missed.status, drained.status) == (T.MET, T.MISSED, T.INVALID)
    assert drained.measured is None
    assert met.line.split()[0] == "PASS"
    assert missed.line.split()[0] == "FAIL"
    assert drained.line.split()[0] == "INVALID"
    assert "queue drained after 5 claims" in drained.line
    assert T.check("foundation", "cost", 40, "<=", 50, unit="µs").status == T.MET
    assert T.check("work", "double claims", 0, "==", 0).status == T.MET
    assert T.from_json(drained.as_json()) == drained


def test_the_rate_limit_target_is_the_bare_cpu_difference_of_two_runs() -> None:
    from bench.all import rate_limit_target

    def run(cpu: float, errors: int = 0) -> dict:
        bare = {"endpoint": "bare", "phase": "100 tenants", "server_cpu_us_per_request": cpu, "non_2xx": errors}
        return {"measurements": [{**bare, "socket_errors": 0}]}

    assert rate_limit_target(run(330.0), run(300.0)).measured == 30.0
    assert rate_limit_target(run(330.0), run(300.0)).status == T.MET
    assert rate_limit_target(run(400.0), run(300.0)).status == T.MISSED
    assert rate_limit_target(run(330.0, errors=2), run(300.0)).status == T.INVALID
    assert rate_limit_target(None, run(300.0)).status == T.INVALID
