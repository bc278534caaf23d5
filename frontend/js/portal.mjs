// Progressive enhancement only: every page of the portal works, and every form submits, without JavaScript.
import { initAll } from "./govuk-frontend.min.js";

// GOV.UK Frontend only initialises when <body> carries this class. Its templates set it with an inline script, which
// our Content-Security-Policy forbids; a browser that runs this module supports ES modules, which is exactly what
// that inline script tests for.
document.body.classList.add("js-enabled", "govuk-frontend-supported");

initAll();

// The accordion's buttons read «Requisitos , Mostrar» to assistive technology, but their visible words run together
// («RequisitosMostrar») because the separators are visually hidden: a space before each separator keeps the visible
// label inside the accessible name (WCAG 2.5.3, Label in Name), as speech-input users need to say it.
for (const divider of document.querySelectorAll(".govuk-accordion__section-button .govuk-accordion__section-heading-divider")) {
  divider.before(" ");
}

// «Imprimir esta ficha»: the button is hidden in the HTML and only shown when it can work.
for (const button of document.querySelectorAll("[data-app-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}

// Follow-up questions (applications/apply/page.html): without JavaScript every follow-up is drawn with a note saying
// when to answer it, and the server ignores it when its condition does not hold. Here it is shown only while its
// condition holds. The condition is the one the server evaluates (definitions/logic.py: evaluate), with its values
// written as the browser submits them; `known` carries the answers of earlier pages that it also reads.
function submittedValue(form, name) {
  const inputs = [...form.elements].filter((element) => element.name === name);
  if (inputs.length === 0) return undefined;
  const first = inputs[0];
  if (first.type === "radio") return (inputs.find((input) => input.checked) || { value: "" }).value;
  if (first.type === "checkbox") return inputs.filter((input) => input.checked).map((input) => input.value);
  return first.value.trim();
}

function isAnswered(value) {
  return value !== undefined && value !== null && value !== "" && !(Array.isArray(value) && value.length === 0);
}

function holds(condition, answerOf) {
  if (!condition) return true;
  if (condition.all) return condition.all.every((part) => holds(part, answerOf));
  if (condition.any) return condition.any.some((part) => holds(part, answerOf));
  if (condition.not) return !holds(condition.not, answerOf);
  const answer = answerOf(condition.question);
  if (answer === undefined) return true; // not on this page and not known: leave it to the server
  if ("answered" in condition) return isAnswered(answer) === Boolean(condition.answered);
  if ("equals" in condition) return isAnswered(answer) && answer === condition.equals;
  if ("not_equals" in condition) return !(isAnswered(answer) && answer === condition.not_equals);
  if ("in" in condition) {
    const answers = Array.isArray(answer) ? answer : isAnswered(answer) ? [answer] : [];
    return answers.some((item) => condition.in.includes(item));
  }
  return false;
}

for (const form of document.querySelectorAll("form")) {
  const followUps = [...form.querySelectorAll("[data-show-if]")];
  if (followUps.length === 0) continue;
  const rules = followUps.map((element) => [element, JSON.parse(element.dataset.showIf)]);
  const sync = () => {
    for (const [element, rule] of rules) {
      const answerOf = (id) => {
        const value = submittedValue(form, id);
        return value === undefined ? rule.known[id] : value;
      };
      element.hidden = !holds(rule.condition, answerOf);
    }
  };
  for (const note of form.querySelectorAll("[data-condition-note]")) note.hidden = true;
  form.addEventListener("change", sync);
  form.addEventListener("input", sync);
  sync();
}

// Proof of work of the reporting form (portal/reports/flood.py): find the number whose SHA-256 with the salt gives the
// challenge (ALTCHA's protocol v1) while the person writes, and put the solution in the form. Without it (no
// JavaScript, or sent before it was found) the server applies a time lock instead; nothing here is needed to report.
async function sha256Hex(text) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

for (const holder of document.querySelectorAll("[data-proof-of-work]")) {
  const challenge = JSON.parse(holder.dataset.proofOfWork);
  const input = holder.querySelector("input[name='altcha']");
  if (!input || !window.crypto || !crypto.subtle) continue;
  (async () => {
    for (let number = 0; number <= challenge.maxnumber; number += 1) {
      if ((await sha256Hex(challenge.salt + number)) === challenge.challenge) {
        const { algorithm, salt, signature } = challenge;
        input.value = btoa(JSON.stringify({ algorithm, challenge: challenge.challenge, number, salt, signature }));
        holder.dataset.solved = "true";
        return;
      }
    }
  })();
}

// The queue's live pages (appointments/queue/display.html, ticket.html). Without JavaScript they refresh themselves
// (a <meta http-equiv="refresh"> inside <noscript>); here they poll a small JSON endpoint instead, and keep polling
// after a network drop, waiting longer after each failure (up to a minute) and saying so on the screen.
function poll(url, interval, onState, onOffline) {
  let delay = interval;
  const tick = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      onState(await response.json());
      delay = interval;
    } catch {
      onOffline();
      delay = Math.min(delay * 2, 60000);
    }
    setTimeout(tick, delay);
  };
  setTimeout(tick, interval);
}

for (const display of document.querySelectorAll("[data-queue-display]")) {
  const texts = display.querySelector("[data-display-texts]").dataset;
  const latestBox = display.querySelector("[data-display-latest]");
  const list = display.querySelector("[data-display-list]");
  const waiting = display.querySelector("[data-display-waiting]");
  const connection = display.querySelector("[data-display-connection]");
  const announcer = display.querySelector("[data-display-announcer]");
  const voiceButton = display.querySelector("[data-display-voice]");
  let lastCall = display.dataset.latest || "";
  let voice = false;
  if ("speechSynthesis" in window && voiceButton) {
    voiceButton.hidden = false;
    voiceButton.addEventListener("click", () => {
      voice = true;
      voiceButton.textContent = texts.voiceOn;
      voiceButton.disabled = true;
    });
  }
  const paragraph = (className, text) => {
    const p = document.createElement("p");
    p.className = className;
    p.textContent = text;
    return p;
  };
  const render = (state) => {
    connection.textContent = "";
    const [latest, ...earlier] = state.calls;
    latestBox.replaceChildren(
      ...(latest
        ? [paragraph("app-display__number", latest.number), paragraph("app-display__counter", `${texts.pass} ${latest.counter}`)]
        : [paragraph("app-display__empty", texts.none)]),
    );
    list.replaceChildren(
      ...(earlier.length ? earlier : [null]).map((call) => {
        const item = document.createElement("li");
        if (!call) {
          item.textContent = "—";
          return item;
        }
        const number = document.createElement("span");
        number.className = "app-display__list-number";
        number.textContent = call.number;
        const counter = document.createElement("span");
        counter.className = "app-display__list-counter";
        counter.textContent = call.counter;
        item.append(number, " ", counter);
        return item;
      }),
    );
    waiting.textContent = `${state.waiting} ${state.waiting === 1 ? texts.waitingOne : texts.waitingMany}`;
    const key = latest ? `${latest.id}-${latest.calls}` : "";
    if (latest && key !== lastCall) {
      const sentence = `${texts.call} ${latest.number}. ${texts.pass} ${latest.counter}.`;
      announcer.textContent = sentence;
      if (voice) window.speechSynthesis.speak(new SpeechSynthesisUtterance(sentence));
    }
    lastCall = key;
  };
  poll(display.dataset.stateUrl, 4000, render, () => {
    connection.textContent = texts.offline;
  });
}

for (const ticket of document.querySelectorAll("[data-queue-ticket]")) {
  const text = ticket.querySelector("[data-ticket-text]");
  const status = ticket.querySelector("[data-ticket-status]");
  poll(ticket.dataset.stateUrl, 10000, (state) => {
    if (text.textContent !== state.text) text.textContent = state.text;
    status.textContent = state.status_label;
  }, () => {});
}
