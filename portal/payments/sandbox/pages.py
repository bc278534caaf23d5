"""The sandbox's hosted payment page: what a person sees between «Pagar en línea» and the portal's return page.

Plain HTML in Spanish with its own small stylesheet, no script: it works without JavaScript, fits a 375-px screen,
has one ``h1``, a label for every field and an error summary that links to the field in error. Every page says at the
top that it is a sandbox and that no real money is charged.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html import escape

from .state import JSON

BANNER = "Pasarela de pruebas: no se cobra dinero real"


@dataclass(frozen=True)
class SandboxCard:
    number: str
    outcome: str  # a key of state.OUTCOMES
    result: str  # what the page says it does


TEST_CARDS = (
    SandboxCard("4242 4242 4242 4242", "success", "Aprueba el pago"),
    SandboxCard("4000 0000 0000 0002", "card_declined", "El banco rechaza la tarjeta (card_declined)"),
    SandboxCard("4000 0000 0000 9995", "insufficient_funds", "Fondos insuficientes (insufficient_funds)"),
    SandboxCard("4000 0000 0000 0119", "processing_error", "Error al procesar el pago (processing_error)"),
)
CARD_OUTCOMES = {card.number.replace(" ", ""): card.outcome for card in TEST_CARDS}

STATUS_TEXT = {
    "success": "El pago se aprobó.",
    "failed": "El pago fue rechazado.",
    "error": "Hubo un error al procesar el pago.",
    "cancelled": "El pago se canceló.",
    "expired": "El plazo para pagar terminó.",
}

STYLE = """
*,*::before,*::after{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:1.125rem;line-height:1.5;
color:#0b0c0c;background:#fff}
.banner{margin:0;padding:.75rem 1rem;background:#611232;color:#fff;font-weight:700}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.75rem;line-height:1.2;margin:1rem 0}
h2{font-size:1.3rem;margin:1.5rem 0 .5rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0 0 1rem}
dt{font-weight:700}dd{margin:0;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%;font-size:1rem}
caption{text-align:left;font-weight:700;padding-bottom:.5rem}
th,td{text-align:left;border-bottom:1px solid #b1b4b6;padding:.4rem .5rem .4rem 0;vertical-align:top}
td:first-child{white-space:nowrap}
label{display:block;font-weight:700;margin-top:1rem}
.hint{display:block;color:#484949;font-size:1rem}
input{display:block;width:100%;max-width:22rem;font:inherit;padding:.4rem;border:2px solid #0b0c0c;border-radius:0}
input:focus,button:focus,a:focus{outline:3px solid #ffdd00;outline-offset:0;box-shadow:0 0 0 6px #0b0c0c}
.short{max-width:8rem}
.error-message{display:block;color:#a8231f;font-weight:700}
.field-error input{border-color:#a8231f}
.summary{border:4px solid #a8231f;padding:1rem;margin:1rem 0}
.summary h2{margin-top:0}
.summary a{color:#a8231f;font-weight:700}
.actions{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;margin-top:1.5rem}
button{font:inherit;font-weight:700;padding:.6rem 1rem;border:0;border-radius:0;cursor:pointer;
color:#fff;background:#235b4e;box-shadow:0 2px 0 #0b0c0c}
button.secondary{color:#0b0c0c;background:#dddcdc}
a{color:#1d4f91}
"""


def money(centavos: int) -> str:
    return f"${centavos // 100:,}.{centavos % 100:02d} MXN"


def layout(title: str, content: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="es">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)} · Pasarela de pruebas</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f'<header><p class="banner">{BANNER}</p></header>\n<main>\n{content}\n</main>\n</body>\n</html>\n'
    )


def _summary(payment: JSON) -> str:
    return (
        "<dl>"
        f"<dt>Importe</dt><dd>{money(payment['amount'])}</dd>"
        f"<dt>Concepto</dt><dd>{escape(payment['description'] or '—')}</dd>"
        f"<dt>Referencia</dt><dd>{escape(payment['reference'])}</dd>"
        "</dl>"
    )


def _field(name: str, label: str, value: str, errors: dict[str, str], *, hint: str = "", **attributes: str) -> str:
    described = [f"{name}-hint"] if hint else []
    error = errors.get(name)
    if error:
        described.append(f"{name}-error")
    extra = "".join(f' {key.replace("_", "-")}="{escape(val)}"' for key, val in attributes.items())
    if described:
        extra += f' aria-describedby="{" ".join(described)}"'
    if error:
        extra += ' aria-invalid="true"'
    return (
        f'<div class="field{" field-error" if error else ""}">'
        f'<label for="{name}">{label}</label>'
        + (f'<span class="hint" id="{name}-hint">{hint}</span>' if hint else "")
        + (f'<span class="error-message" id="{name}-error">Error: {escape(error)}</span>' if error else "")
        + f'<input id="{name}" name="{name}" value="{escape(value)}"{extra}>'
        "</div>"
    )


def pay_page(payment: JSON, values: dict[str, str] | None = None, errors: dict[str, str] | None = None) -> str:
    values = values or {}
    errors = errors or {}
    summary = ""
    if errors:
        items = "".join(f'<li><a href="#{name}">{escape(message)}</a></li>' for name, message in errors.items())
        summary = (
            '<div class="summary" role="alert" aria-labelledby="summary-title" tabindex="-1">'
            f'<h2 id="summary-title">Hay un problema</h2><ul>{items}</ul></div>'
        )
    cards = "".join(f"<tr><td>{card.number}</td><td>{card.result}</td></tr>" for card in TEST_CARDS)
    pay_id = escape(payment["id"])
    content = (
        f"{summary}<h1>Pagar {money(payment['amount'])}</h1>{_summary(payment)}"
        f'<form method="post" action="/pagar/{pay_id}" novalidate>'
        + _field(
            "numero",
            "Número de la tarjeta",
            values.get("numero", ""),
            errors,
            hint="16 dígitos; use una de las tarjetas de prueba de abajo.",
            autocomplete="cc-number",
            inputmode="numeric",
        )
        + _field(
            "vencimiento",
            "Fecha de vencimiento",
            values.get("vencimiento", ""),
            errors,
            hint="Mes y año, como 12/30.",
            autocomplete="cc-exp",
            inputmode="numeric",
            **{"class": "short"},
        )
        + _field(
            "cvc",
            "Código de seguridad (CVC)",
            values.get("cvc", ""),
            errors,
            hint="Los 3 o 4 dígitos del reverso; cualquiera sirve en pruebas.",
            autocomplete="cc-csc",
            inputmode="numeric",
            **{"class": "short"},
        )
        + _field(
            "nombre", "Nombre como aparece en la tarjeta", values.get("nombre", ""), errors, autocomplete="cc-name"
        )
        + f'<div class="actions"><button type="submit">Pagar {money(payment["amount"])}</button></div></form>'
        f'<form method="post" action="/pagar/{pay_id}/cancelar">'
        '<div class="actions"><button type="submit" class="secondary">Cancelar y volver</button></div></form>'
        "<h2>Tarjetas de prueba</h2>"
        "<table><caption>Cada número da un resultado; la fecha debe ser futura y el CVC, cualquiera.</caption>"
        f'<thead><tr><th scope="col">Número</th><th scope="col">Resultado</th></tr></thead><tbody>{cards}</tbody>'
        "</table>"
    )
    return layout(("Error: " if errors else "") + f"Pagar {money(payment['amount'])}", content)


def finished_page(payment: JSON) -> str:
    """A payment already decided (or expired): say so and lead back to the portal."""
    title = "El plazo para pagar terminó" if payment["status"] == "expired" else "Este pago ya terminó"
    content = (
        f"<h1>{title}</h1><p>{STATUS_TEXT.get(payment['status'], '')}</p>{_summary(payment)}"
        f'<p><a href="{escape(payment["return_url"])}">Volver al portal</a></p>'
    )
    return layout(title, content)


def not_found_page() -> str:
    return layout(
        "No encontramos este pago",
        "<h1>No encontramos este pago</h1><p>Revise la dirección o vuelva a iniciar el pago desde el portal.</p>",
    )


def home_page() -> str:
    cards = "".join(f"<li>{card.number}: {card.result}</li>" for card in TEST_CARDS)
    return layout(
        "Pasarela de pruebas",
        "<h1>Pasarela de pruebas de Ventanilla</h1>"
        "<p>Simula un proveedor de pagos con tarjeta para desarrollo y pruebas. Ningún pago es real.</p>"
        f"<h2>Tarjetas de prueba</h2><ul>{cards}</ul>",
    )


EXPIRY = re.compile(r"^\s*(\d{1,2})\s*/\s*(\d{2}|\d{4})\s*$")


def check_card(values: dict[str, str], today: dt.date) -> tuple[str, dict[str, str]]:
    """The outcome of the test card typed, or the errors to show (field → message), in the form's order."""
    errors: dict[str, str] = {}
    number = re.sub(r"[\s-]", "", values.get("numero", ""))
    if not number:
        errors["numero"] = "Escriba el número de la tarjeta"
    elif not number.isdigit() or len(number) != 16:
        errors["numero"] = "El número de la tarjeta debe tener 16 dígitos, como 4242 4242 4242 4242"
    elif number not in CARD_OUTCOMES:
        errors["numero"] = "Esta pasarela de pruebas solo acepta las tarjetas de prueba de la lista"
    expiry = values.get("vencimiento", "").strip()
    match = EXPIRY.match(expiry)
    if not expiry:
        errors["vencimiento"] = "Escriba la fecha de vencimiento"
    elif match is None or not 1 <= int(match.group(1)) <= 12:
        errors["vencimiento"] = "Escriba la fecha de vencimiento como mes/año, por ejemplo 12/30"
    else:
        month, year = int(match.group(1)), int(match.group(2))
        year = year if year >= 100 else 2000 + year
        if (year, month) < (today.year, today.month):
            errors["vencimiento"] = "La tarjeta está vencida: escriba una fecha de vencimiento futura"
    cvc = values.get("cvc", "").strip()
    if not (cvc.isdigit() and len(cvc) in (3, 4)):
        errors["cvc"] = "Escriba el código de seguridad de 3 o 4 dígitos"
    if not values.get("nombre", "").strip():
        errors["nombre"] = "Escriba el nombre como aparece en la tarjeta"
    return CARD_OUTCOMES.get(number, ""), errors
