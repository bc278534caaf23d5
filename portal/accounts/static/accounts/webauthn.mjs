// Security keys and passkeys (WebAuthn) for the account pages. An external module because the site's
// Content-Security-Policy allows no inline script; the page embeds the server's options as JSON
// (<script type="application/json">), which is data, not code.
//
// Markup it expects:
//   <button data-webauthn="create|get" data-webauthn-options="ID of the JSON" data-webauthn-input="ID of the hidden
//           input that receives the credential" hidden>…</button>
//   <p data-webauthn-unsupported>…</p>   (shown when the browser cannot do WebAuthn; hidden otherwise)
//   <p data-webauthn-error hidden>…</p>   (shown when the ceremony fails or is cancelled)
//
// The JSON carries binary fields as base64url (python-fido2's JSON mapping); the browser API wants ArrayBuffers,
// and the server wants base64url back.

const supported = typeof window.PublicKeyCredential === "function" && !!navigator.credentials;

function toBuffer(base64url) {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

function toBase64url(buffer) {
  const bytes = new Uint8Array(buffer);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function withBuffers(descriptors) {
  return (descriptors || []).map((descriptor) => ({ ...descriptor, id: toBuffer(descriptor.id) }));
}

function creationOptions(json) {
  const options = { ...json.publicKey };
  options.challenge = toBuffer(options.challenge);
  options.user = { ...options.user, id: toBuffer(options.user.id) };
  options.excludeCredentials = withBuffers(options.excludeCredentials);
  return { publicKey: options };
}

function requestOptions(json) {
  const options = { ...json.publicKey };
  options.challenge = toBuffer(options.challenge);
  options.allowCredentials = withBuffers(options.allowCredentials);
  return { publicKey: options };
}

function serialise(credential) {
  const response = credential.response;
  const out = {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment || null,
    clientExtensionResults: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {},
    response: { clientDataJSON: toBase64url(response.clientDataJSON) },
  };
  if (response.attestationObject) {
    out.response.attestationObject = toBase64url(response.attestationObject);
    if (typeof response.getTransports === "function") out.response.transports = response.getTransports();
  } else {
    out.response.authenticatorData = toBase64url(response.authenticatorData);
    out.response.signature = toBase64url(response.signature);
    out.response.userHandle = response.userHandle ? toBase64url(response.userHandle) : null;
  }
  return out;
}

function readOptions(button) {
  const source = document.getElementById(button.dataset.webauthnOptions);
  const data = JSON.parse(source.textContent);
  return data.creation_options || data.request_options;
}

async function ceremony(button) {
  const json = readOptions(button);
  if (button.dataset.webauthn === "create") {
    return navigator.credentials.create(creationOptions(json));
  }
  return navigator.credentials.get(requestOptions(json));
}

for (const note of document.querySelectorAll("[data-webauthn-unsupported]")) {
  note.hidden = supported;
}

for (const button of document.querySelectorAll("[data-webauthn]")) {
  if (!supported) continue;
  button.hidden = false;
  const error = button.closest("form")?.querySelector("[data-webauthn-error]");
  button.addEventListener("click", async (event) => {
    event.preventDefault();
    if (error) error.hidden = true;
    const input = document.getElementById(button.dataset.webauthnInput);
    try {
      const credential = await ceremony(button);
      input.value = JSON.stringify(serialise(credential));
      input.form.submit();
    } catch (problem) {
      if (error) {
        error.hidden = false;
        error.focus();
      }
    }
  });
}
