// A line diff for approval cards (Edit: old_string -> new_string; Write: new content only).
// Small inputs get a real longest-common-subsequence diff; big ones fall back to "all old
// lines removed, all new lines added" so a huge edit cannot stall the page.

import { h } from "./h.js";

const MAX_LINES = 400;   // per side, for the LCS table
const SHOW_LINES = 60;   // drawn at most; the rest is summarised

export function lineDiff(oldText, newText) {
  const a = String(oldText ?? "").split("\n");
  const b = String(newText ?? "").split("\n");
  if (oldText == null || oldText === "") return b.map(t => ["add", t]);
  if (a.length > MAX_LINES || b.length > MAX_LINES) return [...a.map(t => ["del", t]), ...b.map(t => ["add", t])];
  const n = a.length, m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out = [];
  let i = 0, j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) { out.push(["ctx", a[i]]); i++; j++; }
    else if (lcs[i + 1][j] >= lcs[i][j + 1]) out.push(["del", a[i++]]);
    else out.push(["add", b[j++]]);
  }
  while (i < n) out.push(["del", a[i++]]);
  while (j < m) out.push(["add", b[j++]]);
  return out;
}

const MARK = { add: "+", del: "-", ctx: " " };

export function diffNode(oldText, newText, label) {
  const lines = lineDiff(oldText, newText);
  const shown = lines.slice(0, SHOW_LINES);
  const adds = lines.filter(l => l[0] === "add").length;
  const dels = lines.filter(l => l[0] === "del").length;
  return h("figure", { class: "diff" },
    h("figcaption", { class: "sr-only" }, `${label}: ${adds} lines added, ${dels} removed`),
    h("pre", null, shown.map(([kind, text]) => h("span", { class: "dl " + kind }, MARK[kind] + " " + text + "\n"))),
    lines.length > shown.length ? h("div", { class: "more-lines" }, `… ${lines.length - shown.length} more lines`) : null);
}
