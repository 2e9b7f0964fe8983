// Keyboard navigation: "/" searches, j/k (or the arrows) move between session rows or
// approval cards, a/d approve or deny the focused request, o opens the focused session, n
// jumps to the oldest request waiting, "?" lists the keys. Typing in a field is never hijacked.

import { $ } from "./h.js";

function typing(el) {
  return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
}

function move(items, current, delta) {
  if (!items.length) return;
  const i = items.findIndex(el => el === current || el.contains(current));
  const next = items[Math.max(0, Math.min(items.length - 1, i < 0 ? 0 : i + delta))];
  next.focus();
  next.scrollIntoView({ block: "nearest" });
}

/** on: { decide(id, decision), open(sessionId), firstApproval(), closePanel(), help() } */
export function bindKeys(on) {
  document.addEventListener("keydown", ev => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.defaultPrevented) return;
    const el = document.activeElement;
    if (ev.key === "Escape") {
      if (!document.querySelector("dialog[open]")) on.closePanel();
      return;
    }
    if (typing(el) || document.querySelector("dialog[open]")) return;
    const card = el && el.closest && el.closest("#approvals > li");
    const row = el && el.closest && el.closest("#sessions > li");
    const down = ev.key === "j" || ev.key === "ArrowDown";
    const up = ev.key === "k" || ev.key === "ArrowUp";
    if (ev.key === "/") {
      ev.preventDefault();
      $("q").focus();
    } else if (ev.key === "?") {
      on.help();
    } else if (ev.key === "n") {
      on.firstApproval();
    } else if ((down || up) && card) {
      ev.preventDefault();
      move([...$("approvals").children], card, down ? 1 : -1);
    } else if ((down || up) && (row || ev.key === "j" || ev.key === "k")) {
      ev.preventDefault();
      move([...$("sessions").querySelectorAll(":scope > li > .hdr")], row ? row.querySelector(".hdr") : null, down ? 1 : -1);
    } else if ((ev.key === "a" || ev.key === "d") && card && card.dataset.id) {
      ev.preventDefault();
      on.decide(Number(card.dataset.id), ev.key === "a" ? "approve" : "deny");
    } else if (ev.key === "o" && (card || row)) {
      on.open(card ? card.dataset.session : row.dataset.id);
    }
  });
}
