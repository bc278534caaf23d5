"""Reading what a person can click in an issued PDF, for the tests of every app that issues one."""

from __future__ import annotations

import io

from pypdf import PdfReader


def link_targets(pdf: bytes) -> list[str]:
    """The addresses the PDF's links open, in order, each once (a link that wraps onto two lines is two annotations)."""
    targets = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for reference in page.get("/Annots") or []:
            annotation = reference.get_object()
            action = annotation.get("/A")
            if annotation.get("/Subtype") == "/Link" and action is not None and "/URI" in action:
                targets.append(str(action["/URI"]))
    return list(dict.fromkeys(targets))
