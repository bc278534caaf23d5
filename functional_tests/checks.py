"""The checks every public page must pass: it loads cleanly, axe-core finds no WCAG violation, the HTML is valid.

axe-core and the Nu HTML Checker (vnu) come from ``node_modules``; Chromium from Debian. When a tool is missing the
check is skipped with the reason, except under ``CI=true``, where a missing tool fails the run: CI must never go green
because it checked nothing.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Error, Page, Request, Response

from testing.tools import missing_tool

BASE_DIR = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE_JS = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = BASE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# The WCAG 2.2 AA conformance target, as axe-core tags it.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Pages opened with JavaScript disabled (the conftest registers them). axe-core cannot run inside them: Chromium
# fires no timers while scripts are disabled, so ``axe.run`` would wait forever. They are audited through a copy.
PAGES_WITHOUT_JAVASCRIPT: weakref.WeakSet[Page] = weakref.WeakSet()


# --- Loading a page ---------------------------------------------------------------------------------------------


@dataclass
class Visit:
    """One navigation and what went wrong while the browser loaded it."""

    path: str
    response: Response
    console_errors: list[str] = field(default_factory=list)
    failed_resources: list[str] = field(default_factory=list)
    # (address, content type, body) of every sub-resource the page loaded: what a first visit downloads.
    resources: list[tuple[str, str, bytes]] = field(default_factory=list)

    @property
    def status(self) -> int:
        return self.response.status

    @property
    def html(self) -> str:
        """The document exactly as the server sent it (not the DOM after scripts ran)."""
        return self.response.text()


def visit(page: Page, path: str) -> Visit:
    """Open ``path`` and record console errors (CSP violations show up there) and sub-resources that failed."""
    console_errors: list[str] = []
    failed: list[str] = []
    loaded: list[Response] = []

    def on_console(message: ConsoleMessage) -> None:
        # Failed loads are reported below with their URL; the document's own status is asserted by the caller.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            console_errors.append(message.text)

    def on_page_error(error: Exception) -> None:
        console_errors.append(f"uncaught: {error}")

    def on_response(response: Response) -> None:
        if response.request.is_navigation_request():
            return
        if response.status >= 400:
            failed.append(f"{response.status} {response.url}")
        else:
            loaded.append(response)

    def on_request_failed(request: Request) -> None:
        # ERR_ABORTED is the browser cancelling a load because the page moved on (a redirect after sign-out), not a
        # resource that is missing or broken: those come back as responses with an error status, checked above.
        if not request.is_navigation_request() and "ERR_ABORTED" not in (request.failure or ""):
            failed.append(f"{request.failure} {request.url}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    try:
        response = page.goto(path, wait_until="load")
    finally:
        page.remove_listener("console", on_console)
        page.remove_listener("pageerror", on_page_error)
        page.remove_listener("response", on_response)
        page.remove_listener("requestfailed", on_request_failed)
    assert response is not None, f"{path}: the browser got no response"
    resources = []
    for item in loaded:
        try:
            resources.append((item.url, item.headers.get("content-type", ""), item.body()))
        except Error:  # a response the browser has already dropped (a redirect's): nothing was downloaded
            continue
    return Visit(
        path=path, response=response, console_errors=console_errors, failed_resources=failed, resources=resources
    )


# --- Weight of a first visit ------------------------------------------------------------------------------------

# The foundation's budget: what a first visit to a page downloads, compressed as production serves it (nginx and
# whitenoise gzip text; fonts and images are sent as they are), on a cheap phone over a slow connection.
FIRST_LOAD_BUDGET = 100 * 1024
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


def first_load_bytes(result: Visit) -> dict[str, int]:
    """Bytes per address of the document and everything it loaded, text gzipped at nginx's default level."""
    sizes = {result.path: len(gzip.compress(result.response.body(), compresslevel=6))}
    for url, content_type, body in result.resources:
        compressible = content_type.startswith(COMPRESSIBLE)
        sizes[url] = len(gzip.compress(body, compresslevel=6)) if compressible else len(body)
    return sizes


def weight_problems(result: Visit, budget: int = FIRST_LOAD_BUDGET) -> list[str]:
    sizes = first_load_bytes(result)
    total = sum(sizes.values())
    if total <= budget:
        return []
    heaviest = ", ".join(
        f"{url.rsplit('/', 1)[-1] or url} {size:,} B"
        for url, size in sorted(sizes.items(), key=lambda item: -item[1])[:5]
    )
    return [f"a first visit downloads {total:,} bytes, over the budget of {budget:,} ({heaviest})"]


def load_problems(page: Page, result: Visit, *, status: int = 200, lang: str = "es", one_h1: bool = True) -> list[str]:
    """What is wrong with how the page loaded: status, document language, title, h1, console, sub-resources."""
    problems = []
    if result.status != status:
        problems.append(f"status {result.status}, expected {status}")
    if lang:
        document_lang = page.locator("html").get_attribute("lang") or ""
        if document_lang.split("-")[0] != lang:
            problems.append(f'<html lang="{document_lang}">, expected "{lang}"')
    if not page.title().strip():
        problems.append("the <title> is empty")
    if one_h1:
        headings = page.locator("h1").all_inner_texts()
        if len(headings) != 1:
            problems.append(f"{len(headings)} h1 elements, expected exactly one: {headings}")
        elif not headings[0].strip():
            problems.append("the h1 is empty")
    problems += [f"console error: {text}" for text in result.console_errors]
    problems += [f"failed to load: {text}" for text in result.failed_resources]
    return problems


def assert_loads_cleanly(page: Page, result: Visit, expected_status: int = 200, *, lang: str = "es") -> None:
    """The expected status and language, a title, exactly one non-empty h1, and nothing failed to load."""
    problems = load_problems(page, result, status=expected_status, lang=lang)
    assert not problems, f"{result.path}:\n  " + "\n  ".join(problems)


# --- Fitting the screen -----------------------------------------------------------------------------------------

_LAYOUT = """() => {
    const width = document.documentElement.clientWidth;
    const culprits = [];
    for (const el of document.body.querySelectorAll('*')) {
        const box = el.getBoundingClientRect();
        if (box.right > width + 1 && box.width > 0) {
            const id = el.id ? '#' + el.id : '';
            const cls = typeof el.className === 'string' && el.className.trim()
                ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
            culprits.push(`${el.tagName.toLowerCase()}${id}${cls} (right edge at ${Math.round(box.right)}px)`);
        }
    }
    return {
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
        layoutWidth: width,
        culprits: culprits.slice(0, 8),
    };
}"""


def fit_problems(page: Page) -> list[str]:
    """Why the page makes a person scroll sideways, if it does: its width against the screen's, and the elements
    whose right edge is past the screen's (the first eight, in document order).

    The screen's width is the smallest of ``window.innerWidth``, the layout viewport (``clientWidth``) and the size the
    page was opened with: on a phone (``is_mobile``) the browser zooms out to show content wider than the screen, and
    ``innerWidth`` then grows to the content's width, so it alone would never see the page as too wide.
    """
    layout = page.evaluate(_LAYOUT)
    problems = []
    viewport = page.viewport_size
    screen = min(layout["innerWidth"], layout["layoutWidth"], *([viewport["width"]] if viewport else []))
    if viewport and layout["layoutWidth"] != viewport["width"]:
        problems.append(f"laid out {layout['layoutWidth']}px wide, not at the screen's {viewport['width']}px")
    if layout["scrollWidth"] > screen:
        problems.append(
            f"{layout['scrollWidth']}px of content on a {screen}px screen; sticking out:\n    "
            + "\n    ".join(layout["culprits"] or ["(no element found; a pseudo-element or a shadow?)"])
        )
    return problems


def assert_fits(page: Page) -> None:
    """Fail if the page is wider than the screen (``document.documentElement.scrollWidth > window.innerWidth``),
    naming the elements that stick out."""
    problems = fit_problems(page)
    assert not problems, f"{page.url} does not fit the screen:\n  " + "\n  ".join(problems)


# --- References between elements -------------------------------------------------------------------------------

_REFERENCES = """() => {
    const describe = (el) => {
        const id = el.id ? '#' + el.id : '';
        const name = el.getAttribute('name') ? `[name="${el.getAttribute('name')}"]` : '';
        return `<${el.tagName.toLowerCase()}${id}${name}>`;
    };
    const missing = [];
    for (const attribute of ['aria-describedby', 'aria-labelledby']) {
        for (const el of document.querySelectorAll(`[${attribute}]`)) {
            for (const id of el.getAttribute(attribute).split(/\\s+/).filter(Boolean)) {
                if (!document.getElementById(id)) missing.push(`${describe(el)} ${attribute}="${id}": no such id`);
            }
        }
    }
    for (const label of document.querySelectorAll('label[for]')) {
        const id = label.getAttribute('for');
        if (!document.getElementById(id)) {
            missing.push(`<label for="${id}"> «${label.textContent.trim().slice(0, 60)}»: no such id`);
        }
    }
    return missing;
}"""


def reference_problems(page: Page) -> list[str]:
    """Every ``aria-describedby``, ``aria-labelledby`` and ``label[for]`` that names an id the page does not have.

    A hint or an error message that a screen reader should read with the field is lost without a word when its id is
    wrong, and axe-core does not report a ``aria-describedby`` pointing nowhere.
    """
    return page.evaluate(_REFERENCES)


def assert_references_exist(page: Page) -> None:
    """Fail listing every ``aria-describedby`` / ``aria-labelledby`` / ``label[for]`` id that does not exist."""
    problems = reference_problems(page)
    assert not problems, f"{page.url}: {len(problems)} reference(s) to ids that do not exist:\n  " + "\n  ".join(
        problems
    )


# --- axe-core ---------------------------------------------------------------------------------------------------


@cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


_RUN_AXE = """async (tags) => {
    const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
    return results.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        targets: v.nodes.map((node) => node.target.join(' ')),
        summary: v.nodes.length ? v.nodes[0].failureSummary : '',
    }));
}"""


def _run_axe(page: Page) -> list[dict]:
    if not AXE_JS.exists():
        missing_tool(f"axe-core is not installed ({AXE_JS}); run `npm ci`")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    return page.evaluate(_RUN_AXE, WCAG_TAGS)


def _run_axe_without_page_scripts(page: Page) -> list[dict]:
    """Audit a page loaded with JavaScript disabled, as it is, from an isolated world of its own.

    Chromium runs no script of the page (none ran while it loaded, so the DOM is exactly what the person without
    JavaScript got, ``<noscript>`` contents included), but an isolated world (the DevTools protocol's, as extensions
    use) shares the DOM and runs code even then: axe-core is loaded and run there. An earlier version loaded a copy of the
    page in a new browser context; the copy's routing disabled the HTTP cache, so every audit fetched the styles and
    fonts again from the single-threaded live server: about half the time of the journeys without JavaScript.
    """
    if not AXE_JS.exists():
        missing_tool(f"axe-core is not installed ({AXE_JS}); run `npm ci`")
    session = page.context.new_cdp_session(page)
    try:
        frame_id = session.send("Page.getFrameTree")["frameTree"]["frame"]["id"]
        world = session.send("Page.createIsolatedWorld", {"frameId": frame_id, "worldName": "axe-audit"})
        context_id = world["executionContextId"]

        def evaluate(expression: str) -> object:
            answer = session.send(
                "Runtime.evaluate",
                {"expression": expression, "contextId": context_id, "awaitPromise": True, "returnByValue": True},
            )
            if "exceptionDetails" in answer:
                raise AssertionError(f"axe-core failed in the isolated world: {answer['exceptionDetails']}")
            return answer["result"].get("value")

        # Chromium fires no timer where scripts are disabled, isolated worlds included; axe-core only defers its
        # queue with setTimeout (the pages audited have no frames whose answers it would wait for), so a microtask does.
        evaluate("globalThis.setTimeout = (run, _ms, ...args) => { queueMicrotask(() => run(...args)); return 0; };")
        evaluate(_axe_source())
        violations = evaluate(f"({_RUN_AXE})({json.dumps(WCAG_TAGS)})")
        assert isinstance(violations, list)
        return violations
    finally:
        session.detach()


def axe_violations(page: Page) -> list[dict]:
    """Run axe-core on the page and return its WCAG 2.0–2.2 A and AA violations.

    The script goes in through ``page.evaluate`` (the DevTools protocol), which the site's Content-Security-Policy
    does not govern, so the audit needs neither an inline ``<script>`` nor a relaxed policy.
    """
    if page in PAGES_WITHOUT_JAVASCRIPT:
        return _run_axe_without_page_scripts(page)
    return _run_axe(page)


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        lines += [f"    at {target}" for target in violation["targets"][:10]]
        if len(violation["targets"]) > 10:
            lines.append(f"    … and {len(violation['targets']) - 10} more")
        if violation["summary"]:
            lines.append("    " + violation["summary"].replace("\n", "\n    "))
    return "\n".join(lines)


def assert_accessible(page: Page, *, allow: tuple[str, ...] = ()) -> None:
    """Fail listing every axe-core violation of WCAG 2.0/2.1/2.2 A and AA on the current page.

    ``allow``: rules a page is exempt from, each for a reason its caller states (``check_page(real_time=True)``)."""
    violations = [violation for violation in axe_violations(page) if violation["id"] not in allow]
    assert not violations, f"{page.url}: {len(violations)} accessibility violation(s):\n" + format_violations(
        violations
    )


# --- Nu HTML Checker --------------------------------------------------------------------------------------------


class HtmlValidator:
    """The Nu HTML Checker run once per test session as a local HTTP service.

    Measured here: a JVM per document costs ~1 s of wall time and ~1.7 s of CPU, while the service starts in ~5 s
    and then checks a page in 10–30 ms. Batching every document into one command-line run at the end would be as
    cheap, but could no longer fail the test whose page is invalid. The process starts in the background when the
    session begins, so its start overlaps database setup and the first browser tests.
    """

    def __init__(self, jar: Path = VNU_JAR) -> None:
        self.jar = jar
        self.process: subprocess.Popen | None = None
        self.port = 0
        self._ready = False
        self._log = None

    @property
    def unavailable_reason(self) -> str:
        if shutil.which("java") is None:
            return "Java is not installed, so the Nu HTML Checker cannot run (apt-get install default-jre-headless)"
        if not self.jar.exists():
            return f"The Nu HTML Checker is not installed ({self.jar}); run `npm ci`"
        return ""

    def start(self) -> None:
        if self.process is not None or self.unavailable_reason:
            return
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the process; closed in stop()
        self.process = subprocess.Popen(
            [
                "java",
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(self.jar),
                "nu.validator.servlet.Main",
                str(self.port),
            ],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._log is not None:
            self._log.close()
        self.process = None
        self._log = None
        self._ready = False

    def _log_tail(self) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")[-2000:]

    def _post(self, html: str, timeout: float) -> list[dict]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/?out=json",
            data=html.encode("utf-8"),
            headers={"Content-Type": "text/html; charset=utf-8"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310 - our own local service
            return json.load(answer)["messages"]

    def _wait_until_ready(self, timeout: float = 90) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the Nu HTML Checker exited with status {self.process.returncode}:\n{self._log_tail()}"
                )
            try:
                self._post("<!DOCTYPE html><html lang=en><title>ready</title></html>", timeout=60)
            except (ConnectionError, urllib.error.URLError):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the Nu HTML Checker did not start within {timeout:.0f} s") from None
                time.sleep(0.1)
            else:
                self._ready = True
                return

    def errors(self, html: str) -> list[dict]:
        """Error-level messages for one document (warnings and info are not failures)."""
        reason = self.unavailable_reason
        if reason:
            missing_tool(reason)
        self.start()
        if not self._ready:
            self._wait_until_ready()
        return [m for m in self._post(html, timeout=60) if m.get("type") in ("error", "non-document-error")]


_validator = HtmlValidator()


def shared_validator() -> HtmlValidator:
    """The session's one checker; the functional tests' conftest starts it early and stops it at the end."""
    return _validator


def format_html_errors(errors: list[dict]) -> str:
    lines = []
    for message in errors:
        line = message.get("lastLine", "?")
        column = message.get("firstColumn", message.get("lastColumn", "?"))
        lines.append(f"line {line}, column {column}: {message['message']}")
        if message.get("extract"):
            lines.append(f"    {message['extract'].strip()!r}")
    return "\n".join(lines)


def assert_valid_html(html: str, *, name: str = "document") -> None:
    """Fail listing every error the Nu HTML Checker reports for ``html`` (line, column, message, extract)."""
    errors = _validator.errors(html)
    assert not errors, f"{name}: {len(errors)} HTML error(s):\n" + format_html_errors(errors)


# --- Reporting several checks at once ---------------------------------------------------------------------------


class Findings:
    """Run several checks and report every failure together, so one broken thing does not hide the others.

    A check skipped for a missing tool makes the test skip only if nothing else failed.
    """

    def __init__(self, subject: str) -> None:
        self.subject = subject
        self.failures: list[str] = []
        self.skipped: list[str] = []

    def add(self, title: str, problems: list[str]) -> None:
        if problems:
            self.failures.append(f"{title}:\n  " + "\n  ".join(problems))

    def check(self, title: str, assertion: Callable[[], None]) -> None:
        try:
            assertion()
        except AssertionError as error:
            self.failures.append(f"{title}:\n{error}")
        except pytest.skip.Exception as skip:
            self.skipped.append(f"{title}: {skip.msg}")
        except pytest.fail.Exception as failure:
            self.failures.append(f"{title}: {failure.msg}")

    def verify(self) -> None:
        if self.failures:
            notes = [f"(not checked: {reason})" for reason in self.skipped]
            pytest.fail("\n\n".join([f"{self.subject}", *self.failures, *notes]), pytrace=False)
        if self.skipped:
            pytest.skip("; ".join(self.skipped))
