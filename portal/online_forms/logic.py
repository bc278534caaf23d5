"""How a published definition behaves for a given set of answers: which pages show, where "continue" leads, what
is still missing. Pure functions over (schema, answers), so the journey, the back office and the API agree.

Assumes a schema that ``validate_definition`` accepted (goto only forward, conditions only on earlier questions):
the walk over the pages therefore always ends, and visiting pages in order sees every answer a condition needs.

A page's ``next`` rules apply once the page is complete (every visible required question answered): until then a
rule such as ``{"not": {"question": "x", "equals": true}}`` would send a person to an exit before they answered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .schema import EXIT_PREFIX, find_exit, iter_pages

NextStep = tuple[str, str | None]


def is_answered(value: Any) -> bool:
    """Whether an answer counts as given: ``False`` (a "no") does, an empty text, list or object does not."""
    return value is not None and value != "" and value != [] and value != {}


def _same(answer: Any, value: Any) -> bool:
    # True == 1 in Python; a yes/no answer must not equal the number 1.
    return isinstance(answer, bool) == isinstance(value, bool) and answer == value


def evaluate(condition: dict | None, answers: dict) -> bool:
    """Whether ``condition`` (docs/applications.md, "Conditions") holds; no condition always holds."""
    if condition is None:
        return True
    if "all" in condition:
        return all(evaluate(part, answers) for part in condition["all"])
    if "any" in condition:
        return any(evaluate(part, answers) for part in condition["any"])
    if "not" in condition:
        return not evaluate(condition["not"], answers)
    answer = answers.get(condition.get("question"))
    if "answered" in condition:
        return is_answered(answer) == bool(condition["answered"])
    if "equals" in condition:
        return is_answered(answer) and _same(answer, condition["equals"])
    if "not_equals" in condition:
        return not (is_answered(answer) and _same(answer, condition["not_equals"]))
    if "in" in condition:
        options = condition["in"]
        if isinstance(answer, list):
            return any(_same(item, option) for item in answer for option in options)
        return is_answered(answer) and any(_same(answer, option) for option in options)
    return False


def visible_questions(page: dict, answers: dict) -> list[dict]:
    """The page's questions whose ``show_if`` holds for ``answers``."""
    return [question for question in page.get("questions", []) if evaluate(question.get("show_if"), answers)]


def referenced_questions(condition: Any) -> set[str]:
    """The ids of the questions a condition reads."""
    if not isinstance(condition, dict):
        return set()
    ids: set[str] = set()
    for key in ("all", "any"):
        for part in condition.get(key, []) or []:
            ids |= referenced_questions(part)
    if "not" in condition:
        ids |= referenced_questions(condition["not"])
    if isinstance(condition.get("question"), str):
        ids.add(condition["question"])
    return ids


def is_follow_up(question: dict, page: dict) -> bool:
    """Whether an answer on the same page shows or hides this question."""
    page_ids = {item["id"] for item in page.get("questions", [])}
    return question.get("show_if") is not None and bool(referenced_questions(question["show_if"]) & page_ids)


def question_complete(question: dict, answers: dict) -> bool:
    value = answers.get(question["id"])
    if question.get("type") == "declaration":
        return value is True
    if not question.get("required", True):
        return True
    return is_answered(value)


def page_complete(page: dict, answers: dict) -> bool:
    return all(question_complete(question, answers) for question in visible_questions(page, answers))


def _matching_rule(page: dict, answers: dict) -> str | None:
    for rule in page.get("next") or []:
        if evaluate(rule.get("if"), answers):
            return rule.get("goto")
    return None


@dataclass
class _Walk:
    pages: list[dict] = field(default_factory=list)
    exit: dict | None = None
    exit_from: dict | None = None


def _walk(schema: dict, answers: dict, *, through_exits: bool = False) -> _Walk:
    """Visit the pages as a person would: skip hidden ones, follow a complete page's first matching rule.

    ``through_exits`` carries on past an exit as if no rule had matched (what ``prune_answers`` needs: answers on
    the far side of an exit are kept, so correcting the answer that led there does not mean typing them again).
    """
    pages = iter_pages(schema)
    index_of = {page.get("id"): index for index, page in enumerate(pages)}
    walk = _Walk()
    index = 0
    while index < len(pages):
        page = pages[index]
        if not evaluate(page.get("show_if"), answers):
            index += 1
            continue
        walk.pages.append(page)
        goto = _matching_rule(page, answers) if page_complete(page, answers) else None
        if goto and goto.startswith(EXIT_PREFIX):
            if walk.exit is None:
                walk.exit = find_exit(schema, goto[len(EXIT_PREFIX) :])
                walk.exit_from = page
            if not through_exits:
                break
            index += 1
        elif goto and index_of.get(goto, -1) > index:
            index = index_of[goto]
        else:
            index += 1
    return walk


def visible_pages(schema: dict, answers: dict) -> list[dict]:
    """The pages a person with these answers goes through, in order (stopping at an exit page, if one is reached)."""
    return _walk(schema, answers).pages


def exit_reached(schema: dict, answers: dict) -> dict | None:
    """The exit page these answers lead to (the application then cannot be submitted), or None."""
    return _walk(schema, answers).exit


def exit_source_page(schema: dict, answers: dict) -> dict | None:
    """The page whose answer led to the exit (the exit page's back link), or None."""
    return _walk(schema, answers).exit_from


def next_step(schema: dict, page_id: str, answers: dict) -> NextStep:
    """Where "Continuar" leads after ``page_id`` was answered: ``("page", id)``, ``("exit", id)`` or ``("check", None)``.

    The page's rules are applied whether or not it is complete (the journey calls this after the page's form was
    valid, and an optional page may be left blank).
    """
    pages = iter_pages(schema)
    index_of = {page.get("id"): index for index, page in enumerate(pages)}
    if page_id not in index_of:
        first = first_page(schema, answers)
        return ("page", first["id"]) if first else ("check", None)
    index = index_of[page_id]
    goto = _matching_rule(pages[index], answers)
    if goto and goto.startswith(EXIT_PREFIX):
        return ("exit", goto[len(EXIT_PREFIX) :])
    start = index_of[goto] if goto and index_of.get(goto, -1) > index else index + 1
    for page in pages[start:]:
        if evaluate(page.get("show_if"), answers):
            return ("page", page["id"])
    return ("check", None)


def first_page(schema: dict, answers: dict) -> dict | None:
    pages = visible_pages(schema, answers)
    return pages[0] if pages else None


def previous_page(schema: dict, page_id: str, answers: dict) -> dict | None:
    """The page a back link on ``page_id`` (a page or an exit id) returns to; None on the first page."""
    walk = _walk(schema, answers)
    ids = [page["id"] for page in walk.pages]
    if page_id in ids:
        position = ids.index(page_id)
        return walk.pages[position - 1] if position > 0 else None
    if walk.exit is not None and walk.exit.get("id") == page_id:
        return walk.exit_from
    # A page not on the current path (hidden, or past an exit): the last visible page that comes before it.
    order = {page.get("id"): index for index, page in enumerate(iter_pages(schema))}
    if page_id in order:
        earlier = [page for page in walk.pages if order[page["id"]] < order[page_id]]
        return earlier[-1] if earlier else None
    return walk.pages[-1] if walk.pages else None


def prune_answers(schema: dict, answers: dict) -> dict:
    """Only the answers to questions the person sees with these answers: hidden pages, hidden questions and ids the
    definition does not have are dropped. Repeated until nothing changes, since dropping one answer may hide more.
    """
    current = dict(answers)
    for _round in range(100):
        keep: dict = {}
        for page in _walk(schema, current, through_exits=True).pages:
            for question in page.get("questions", []):
                question_id = question["id"]
                # Evaluated against the answers kept so far: a question shown by a dropped answer is dropped too.
                if question_id in current and evaluate(question.get("show_if"), keep):
                    keep[question_id] = current[question_id]
        if keep == current:
            return keep
        current = keep
    return current


def first_incomplete_page(schema: dict, answers: dict) -> dict | None:
    """The first page on the person's path with a required question unanswered (where to resume), or None."""
    for page in visible_pages(schema, answers):
        if not page_complete(page, answers):
            return page
    return None


def can_submit(schema: dict, answers: dict) -> bool:
    """Every page on the path complete and no exit reached."""
    return first_incomplete_page(schema, answers) is None and exit_reached(schema, answers) is None
