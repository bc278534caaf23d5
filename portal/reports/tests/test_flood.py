import base64
import json

import altcha
import pytest

from portal.reports import flood


def solve(challenge: flood.Challenge) -> str:
    solution = altcha.solve_challenge_v1(challenge.challenge, challenge.salt, "SHA-256", challenge.maxnumber)
    assert solution is not None
    payload = {
        "algorithm": challenge.algorithm,
        "challenge": challenge.challenge,
        "number": solution.number,
        "salt": challenge.salt,
        "signature": challenge.signature,
    }
    return base64.b64encode(json.dumps(payload).encode()).decode()


@pytest.fixture(autouse=True)
def _small_work(settings):
    settings.REPORTS_POW_MAX_NUMBER = 2000
    settings.REPORTS_NO_JS_MIN_SECONDS = 20


def test_a_solved_form_is_taken_once():
    challenge = flood.new_challenge()
    flood.check_form(challenge.token, solve(challenge))
    with pytest.raises(flood.FloodRefused) as refused:
        flood.check_form(challenge.token, solve(challenge))
    assert refused.value.status == 409


def test_a_form_without_a_solution_waits_for_the_time_lock(time_machine):
    time_machine.move_to("2026-12-07 10:00:00", tick=False)
    challenge = flood.new_challenge()
    with pytest.raises(flood.FloodRefused) as refused:
        flood.check_form(challenge.token, "")
    assert refused.value.status == 429 and "20 segundos" in refused.value.message
    time_machine.move_to("2026-12-07 10:00:25", tick=False)
    flood.check_form(challenge.token, "")


def test_a_forged_solution_counts_as_none(time_machine):
    time_machine.move_to("2026-12-07 10:00:00", tick=False)
    challenge = flood.new_challenge()
    forged = json.loads(base64.b64decode(solve(challenge)))
    forged["number"] += 1
    with pytest.raises(flood.FloodRefused) as refused:
        flood.check_form(challenge.token, base64.b64encode(json.dumps(forged).encode()).decode())
    assert refused.value.status == 429


@pytest.mark.parametrize("token", ["", "abc", "x" * 80])
def test_a_missing_or_forged_token_is_refused_with_a_message(token):
    with pytest.raises(flood.FloodRefused) as refused:
        flood.check_form(token, "")
    assert refused.value.status == 400 and "caducó" in refused.value.message


def test_the_global_limit_holds_everyone_back_alike(settings):
    settings.REPORTS_POW_PER_MINUTE = 2
    for _ in range(2):
        challenge = flood.new_challenge()
        flood.check_form(challenge.token, solve(challenge))
    challenge = flood.new_challenge()
    with pytest.raises(flood.FloodRefused) as refused:
        flood.check_form(challenge.token, solve(challenge))
    assert refused.value.status == 429 and refused.value.retry_after > 0
