// Toasts: every action says how it went. Successes go to a polite live region; errors carry
// the server's own detail, stay longer and are announced assertively.

import { $, h } from "./h.js";

const MAX = 5;

export function toast(message, kind = "ok") {
  const box = $("toasts");
  const el = h("div", { class: "toast " + kind, role: kind === "err" ? "alert" : null }, message);
  box.append(el);
  while (box.childElementCount > MAX) box.firstElementChild.remove();
  setTimeout(() => el.remove(), kind === "err" ? 9000 : 5000);
}

export function announce(text) {
  $("announce").textContent = text;
}
