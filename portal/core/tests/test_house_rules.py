"""House rules that neither ruff nor import-linter can state, checked over the code itself.

- An import inside a function hides a dependency from the reader and from import-linter's picture unless it says why:
  every one carries a comment (on its line, or just above it or above the group of imports it starts) naming the
  cycle it breaks or the reason it must wait (``ready()``, a module loaded before Django is set up).
- No module of the portal grows past the size at which one reader can hold it (issue 9: "nothing over ~800 lines").
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
MAX_LINES = 800


def _production_modules() -> list[Path]:
    paths = [*ROOT.glob("portal/**/*.py"), *ROOT.glob("testing/**/*.py")]
    return sorted(path for path in paths if "migrations" not in path.parts and "tests" not in path.parts)


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _local_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if _is_type_checking(child):
                continue
            if in_function and isinstance(child, (ast.Import, ast.ImportFrom)):
                found.append(child)
            visit(child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)))

    visit(tree, False)
    return found


def _explained(lines: list[str], node: ast.Import | ast.ImportFrom) -> bool:
    if "#" in lines[node.lineno - 1]:
        return True
    index = node.lineno - 2
    while index >= 0:
        text = lines[index].strip()
        if text.startswith("#"):
            return True
        if text and not text.startswith(("from ", "import ", ")")) and not text.endswith(","):
            return False
        index -= 1
    return False


def test_every_import_inside_a_function_says_why_it_is_not_at_the_top():
    unexplained = []
    for path in _production_modules():
        source = path.read_text()
        lines = source.splitlines()
        for node in _local_imports(ast.parse(source)):
            if not _explained(lines, node):
                unexplained.append(f"{path.relative_to(ROOT)}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    assert not unexplained, "imports inside functions without a comment saying why:\n" + "\n".join(unexplained)


def test_the_rule_finds_an_unexplained_local_import_and_accepts_an_explained_group():
    source = (
        "def f():\n"
        "    from a import b\n"
        "\n"
        "def g():\n"
        "    # Not at the top: a imports this module.\n"
        "    from a import b\n"
        "\n"
        "    from c import (\n"
        "        d,\n"
        "    )\n"
        "    from e import f\n"
    )
    lines = source.splitlines()
    verdicts = [_explained(lines, node) for node in _local_imports(ast.parse(source))]
    assert verdicts == [False, True, True, True]


def test_no_module_is_longer_than_one_reader_can_hold():
    too_long = {
        str(path.relative_to(ROOT)): count
        for path in _production_modules()
        if (count := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert not too_long, f"split these modules (over {MAX_LINES} lines): {too_long}"
