// A confirmation dialog on <dialog> (no window.confirm: it blocks the page, and the live stream
// with it). Resolves true only when the person chose the named action.

import { $ } from "./h.js";

export function confirmAction(text, okLabel = "OK") {
  const dlg = $("confirm");
  $("confirm-text").textContent = text;
  $("confirm-ok").textContent = okLabel;
  dlg.returnValue = "";
  dlg.showModal();
  $("confirm-cancel").focus();
  return new Promise(resolve => {
    dlg.addEventListener("close", () => resolve(dlg.returnValue === "ok"), { once: true });
  });
}
