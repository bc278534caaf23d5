"""Runtime logic over (schema, answers): visibility, branching, exits, pruning, resume point."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.online_forms import logic
from portal.online_forms.tests.factories import simple_schema

S = simple_schema()


def ids(pages):
    return [page["id"] for page in pages]


def test_evaluate_operators():
    answers = {"a": True, "b": "robo", "c": ["x", "y"], "d": ""}
    assert logic.evaluate({"question": "a", "equals": True}, answers)
    assert not logic.evaluate({"question": "a", "equals": 1}, answers)
    assert logic.evaluate({"question": "b", "in": ["robo", "extravio"]}, answers)
    assert logic.evaluate({"question": "c", "in": ["y"]}, answers)
    assert logic.evaluate({"question": "d", "answered": False}, answers)
    assert logic.evaluate({"not": {"question": "b", "not_equals": "robo"}}, answers)
    assert logic.evaluate(
        {
            "all": [
                {"question": "a", "equals": True},
                {"any": [{"question": "b", "equals": "x"}, {"question": "b", "equals": "robo"}]},
            ]
        },
        answers,
    )


def test_no_answer_leads_to_the_exit_only_once_answered():
    assert logic.exit_reached(S, {"nombre": "Ana"}) is None
    assert logic.exit_reached(S, {"nombre": "Ana", "vive-en-mexico": False})["id"] == "no-elegible"
    assert logic.next_step(S, "requisito", {"vive-en-mexico": False}) == ("exit", "no-elegible")
    assert ids(logic.visible_pages(S, {"nombre": "Ana", "vive-en-mexico": False})) == ["datos", "requisito"]


def test_next_and_previous_follow_the_order():
    answers = {"nombre": "Ana", "vive-en-mexico": True}
    assert logic.next_step(S, "datos", answers) == ("page", "requisito")
    assert logic.next_step(S, "declaracion", answers) == ("check", None)
    assert logic.previous_page(S, "documentos", answers)["id"] == "requisito"
    assert logic.previous_page(S, "datos", answers) is None
    assert logic.previous_page(S, "no-elegible", {**answers, "vive-en-mexico": False})["id"] == "requisito"


def test_goto_skips_pages_and_prune_drops_their_answers():
    schema = simple_schema()
    schema["pages"][1]["next"].append({"if": {"question": "vive-en-mexico", "equals": True}, "goto": "declaracion"})
    answers = {"nombre": "Ana", "vive-en-mexico": True, "identificacion": ["x"], "otra": 1}
    assert ids(logic.visible_pages(schema, answers)) == ["datos", "requisito", "declaracion"]
    assert logic.prune_answers(schema, answers) == {"nombre": "Ana", "vive-en-mexico": True}


def test_hidden_page_is_skipped_and_pruned():
    schema = simple_schema()
    schema["pages"][2]["show_if"] = {"question": "nombre", "equals": "Beto"}
    answers = {"nombre": "Ana", "vive-en-mexico": True, "identificacion": ["x"]}
    assert "documentos" not in ids(logic.visible_pages(schema, answers))
    assert logic.next_step(schema, "requisito", answers) == ("page", "declaracion")
    assert "identificacion" not in logic.prune_answers(schema, answers)


def test_first_incomplete_page_and_can_submit():
    assert logic.first_incomplete_page(S, {})["id"] == "datos"
    answers = {"nombre": "Ana", "vive-en-mexico": True, "identificacion": ["x"]}
    assert logic.first_incomplete_page(S, answers)["id"] == "declaracion"
    assert logic.can_submit(S, {**answers, "declaro": True})


answer_values = st.one_of(st.none(), st.booleans(), st.text(max_size=5), st.lists(st.text(max_size=3), max_size=2))


@settings(max_examples=200)
@given(st.dictionaries(st.sampled_from(["nombre", "vive-en-mexico", "identificacion", "declaro", "zz"]), answer_values))
def test_runtime_is_total_and_consistent(answers):
    pages = logic.visible_pages(S, answers)
    assert pages and pages[0]["id"] == "datos"
    pruned = logic.prune_answers(S, answers)
    assert logic.prune_answers(S, pruned) == pruned
    assert set(pruned) <= {"nombre", "vive-en-mexico", "identificacion", "declaro"}
    for page in pages:
        kind, target = logic.next_step(S, page["id"], answers)
        assert kind in ("page", "exit", "check")
    incomplete = logic.first_incomplete_page(S, answers)
    assert incomplete is None or incomplete in pages
