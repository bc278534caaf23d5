"""Fail when the English translation is incomplete or out of date with the Spanish source texts.

1. Every entry of ``locale/en/LC_MESSAGES/django.po`` has a translation and none is fuzzy.
2. When gettext is installed, extracting the texts again (``makemessages``) finds no text the catalogue lacks.
3. The compiled ``django.mo`` says what the ``.po`` says.
The catalogue file is restored afterwards: the check changes nothing.
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}


def _unescape(text: str) -> str:
    """Undo the C-style escapes of a .po string, as msgfmt does."""
    return re.sub(r'\\(["\\nt])', lambda match: _ESCAPES[match.group(1)], text)


def parse_po(path: Path) -> list[dict]:
    """A small .po reader: enough for msgid/msgid_plural/msgstr[n], flags and multi-line strings."""
    entries: list[dict] = []
    entry: dict = {"flags": set()}
    current = None

    def flush() -> None:
        nonlocal entry
        if "msgid" in entry:
            entries.append(entry)
        entry = {"flags": set()}

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            current = None
            continue
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"$', line)
        if match:
            if match.group(1) == "msgid" and "msgid" in entry:
                flush()
            current = match.group(1)
            entry[current] = _unescape(match.group(2))
        elif line.startswith('"') and current:
            entry[current] += _unescape(line[1:-1])
    flush()
    return entries


def keys(entries: list[dict]) -> set[tuple[str, str]]:
    return {(e.get("msgctxt", ""), e["msgid"]) for e in entries if e["msgid"]}


def main() -> int:
    if not PO.exists():
        print(f"missing {PO.relative_to(ROOT)}: run `make messages`")
        return 1
    entries = [e for e in parse_po(PO) if e["msgid"]]
    problems = []
    for e in entries:
        translations = [v for k, v in e.items() if k.startswith("msgstr")]
        if "fuzzy" in e["flags"]:
            problems.append(f"fuzzy: {e['msgid'][:80]!r}")
        elif not translations or not all(translations):
            problems.append(f"untranslated: {e['msgid'][:80]!r}")
    if shutil.which("msgfmt") and shutil.which("xgettext"):
        with tempfile.TemporaryDirectory() as tmp:
            saved = Path(tmp) / "django.po"
            shutil.copy2(PO, saved)
            try:
                subprocess.run(
                    [
                        sys.executable,
                        "manage.py",
                        "makemessages",
                        "-l",
                        "en",
                        "--no-obsolete",
                        "-v0",
                        "--ignore=node_modules",
                        "--ignore=.venv",
                        "--ignore=var",
                        "--ignore=portal/sites/legacy/sample_site",  # an old site's pages, some in latin-1
                    ],
                    cwd=ROOT,
                    check=True,
                    env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
                )
                missing = keys(parse_po(PO)) - keys(entries)
            finally:
                shutil.copy2(saved, PO)
        problems += [f"not in the catalogue (run `make messages`): {msgid[:80]!r}" for _ctx, msgid in sorted(missing)]
    else:
        print("gettext is not installed: checked completeness only, not freshness")
    if not MO.exists():
        problems.append("django.mo is missing: run `make messages`")
    else:
        with MO.open("rb") as handle:
            compiled = gettext.GNUTranslations(handle)._catalog  # noqa: SLF001 - the only way to list its texts
        stale = [e["msgid"] for e in entries if "msgid_plural" not in e and compiled.get(e["msgid"]) != e.get("msgstr")]
        problems += [f"django.mo differs from django.po (run `make messages`): {m[:80]!r}" for m in stale[:20]]
    if problems:
        print(f"{len(problems)} translation problems:")
        for problem in problems[:50]:
            print(f"  {problem}")
        return 1
    print(f"translations complete: {len(entries)} texts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
