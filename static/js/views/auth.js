// The screen shown when the page has no usable install token: how to open the dashboard
// properly. Nothing else is shown, since every pane would only fail.

import { $ } from "./h.js";

export function showAuth(reason) {
  $("auth-reason").textContent = reason;
  $("auth-url").textContent = `${location.origin}/#token=<the token from ~/.uvs/token>`;
  $("auth").hidden = false;
  document.body.classList.add("unauthed");
}

export function hideAuth() {
  $("auth").hidden = true;
  document.body.classList.remove("unauthed");
}
