// Progressive enhancement only: every page of the portal works, and every form submits, without JavaScript.
import { initAll } from "./govuk-frontend.min.js";

// GOV.UK Frontend only initialises when <body> carries this class. Its templates set it with an inline script, which
// our Content-Security-Policy forbids; a browser that runs this module supports ES modules, which is exactly what
// that inline script tests for.
document.body.classList.add("js-enabled", "govuk-frontend-supported");

initAll();

// «Imprimir esta ficha»: the button is hidden in the HTML and only shown when it can work.
for (const button of document.querySelectorAll("[data-app-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
