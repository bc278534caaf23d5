// Progressive enhancement of a consultation's section page: select words of the section's text and press the button
// to copy them into «Fragmento que comenta». Without JavaScript the person pastes the passage themselves.
const source = document.querySelector("[data-passage-source]");
const tool = document.querySelector("[data-passage-tool]");
const button = tool && tool.querySelector("[data-passage-button]");
const field = document.getElementById("id_fragmento");

if (source && button && field) {
  let chosen = "";
  document.addEventListener("selectionchange", () => {
    const selection = document.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return;
    const range = selection.getRangeAt(0);
    if (source.contains(range.commonAncestorContainer)) {
      chosen = selection.toString().replace(/\s+/g, " ").trim().slice(0, 1000);
    }
  });
  tool.hidden = false;  // the button is hidden without JavaScript: it would do nothing
  button.addEventListener("click", () => {
    if (!chosen) {
      field.focus();
      return;
    }
    field.value = chosen;
    const text = document.getElementById("id_texto");
    (text || field).focus();
  });
}
