// Settings → Integrations: progressive enhancement only. Every form works without this file;
// with it, New integration shows one step at a time and the copy button appears.

function checkedValue(form, name) {
  const input = form.querySelector(`input[name="${name}"]:checked`);
  return input ? input.value : "";
}

function show(form, step, visible) {
  for (const element of form.querySelectorAll(`[data-show="${step}"]`)) {
    element.hidden = !visible;
    // Hidden steps are not submitted, so the server sees only the answers on screen.
    for (const control of element.querySelectorAll("input, select")) control.disabled = !visible;
  }
}

function filterInstances(form, type) {
  const select = form.querySelector("#channelId");
  if (!select) return;
  for (const group of select.querySelectorAll("optgroup")) {
    const match = group.dataset.type === type;
    group.hidden = !match;
    for (const option of group.querySelectorAll("option")) option.hidden = !match;
  }
  const current = select.selectedOptions[0];
  if (current && current.value !== "" && current.dataset.type !== type) select.value = "";
  select.disabled = type === "" || select.closest("[hidden]") !== null;
  select.options[0].textContent = type === "" ? "Choose a type first" : "Choose an instance";
}

function syncSteps(form) {
  const kind = checkedValue(form, "kind");
  const scope = checkedValue(form, "scope");
  show(form, "webhook", kind === "webhook");
  show(form, "custom", kind === "custom");
  show(form, "channel", kind === "custom" || (kind === "webhook" && scope === "channel"));
  filterInstances(form, checkedValue(form, "type"));
}

function enhanceNewForm() {
  const form = document.querySelector("form[data-new-integration]");
  if (!form) return;
  form.addEventListener("change", () => syncSteps(form));
  syncSteps(form);
}

async function copyText(input) {
  try {
    await navigator.clipboard.writeText(input.value);
    return true;
  } catch {
    // The async clipboard needs a secure context; plain http falls back to a selection copy.
    input.select();
    return document.execCommand("copy");
  }
}

function enhanceCopyButtons() {
  for (const button of document.querySelectorAll("[data-copy]")) {
    const input = document.getElementById(button.dataset.copy);
    const status = document.querySelector("[data-copy-status]");
    if (!input) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      const copied = await copyText(input);
      button.textContent = copied ? "Copied" : "Copy";
      if (status)
        status.textContent = copied ? "Copied to the clipboard." : "Select the text and copy it.";
    });
  }
}

// A secret shown once must not come back with the Back button from the back/forward cache.
function forgetSecretsOnLeave() {
  window.addEventListener("pagehide", () => {
    for (const panel of document.querySelectorAll("[data-reveal]")) panel.remove();
  });
}

enhanceNewForm();
enhanceCopyButtons();
forgetSecretsOnLeave();
