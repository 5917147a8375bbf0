"""A merge as one self-contained HTML page (`agentkit merge ... --report merge.html`).

The page needs no network (its CSS and JavaScript are inline) and shows: the figures; a heat map of
how much guidance each pair of inputs shares; every output item with each source's own wording and
`file:line`; the folds and the alike pairs side by side, each with the `--apart` or `--fold` line
that settles it; the conflicts. Filters by section, input, kind and text live in the address's
`#...` part, so a filtered view can be bookmarked or opened as such.

The data goes in as JSON inside a `<script type="application/json">` block, every `<` escaped, and
the page puts user text into the document only as text (`textContent`), never as markup: an item
holding `<script>` is shown, not run. Items are drawn in pages of a few hundred, and the heat map on
a canvas, so a merge of 500 specs opens and filters without freezing.
"""

from __future__ import annotations

import json
import shlex
from collections import Counter
from collections.abc import Sequence
from typing import Any

from agentkit.merge import MergeResult


def report_data(result: MergeResult, inputs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """Everything the page shows, as plain data. `inputs`: (path, agent name) of each input, in order."""
    index = {path: number for number, (path, _) in enumerate(inputs)}
    counts: Counter[int] = Counter()
    shared: Counter[tuple[int, int]] = Counter()
    sections = [s.title or "(before the first heading)" for s in result.sections]
    items = []
    for number, section in enumerate(result.sections):
        for merged in section.items:
            members = (merged.item, *merged.folded)
            numbers = [index.get(m.path, -1) for m in members]
            sources: list[list[Any]] = [[i, m.line, m.text] for i, m in zip(numbers, members)]
            present = sorted({i for i in numbers if i >= 0})
            counts.update(present)
            for a_pos, a in enumerate(present):  # every pair of inputs this item stands for shares it
                for b in present[a_pos + 1:]:
                    shared[(a, b)] += 1
            items.append({"s": number, "k": merged.item.kind, "t": merged.item.text, "src": sources})
    folds = [{"kept": m.item.text, "where": f"{m.item.path}:{m.item.line}",
              "folded": [{"text": f.text, "where": f"{f.path}:{f.line}",
                          "apart": _line("--apart", f"{m.item.path}:{m.item.line}", f"{f.path}:{f.line}")} for f in m.folded]}
             for s in result.sections for m in s.items if m.folded]
    alike = [{"score": round(a.score, 2), "reason": a.reason, "a": a.texts[0], "b": a.texts[1],
              "aw": f"{a.sources[0].path}:{a.sources[0].line}", "bw": f"{a.sources[1].path}:{a.sources[1].line}",
              "fold": _line("--fold", *(f"{s.path}:{s.line}" for s in a.sources))} for a in result.alike]
    conflicts = [{"kind": c.kind, "message": c.message, "where": [f"{s.path}:{s.line}" for s in c.sources]} for c in result.conflicts]
    return {
        "figures": {"inputs": len(inputs), "items_in": result.items_in, "items_out": result.items_out, "folded": result.folded,
                    "sections": len(result.sections), "alike": len(result.alike), "conflicts": len(result.conflicts)},
        "name": result.agent.name or "",
        "inputs": [{"path": path, "name": name, "items": counts[number]} for number, (path, name) in enumerate(inputs)],
        "sections": sections,
        "items": items,
        "folds": folds,
        "alike": alike,
        "conflicts": conflicts,
        "shared": [[a, b, n] for (a, b), n in sorted(shared.items())],
        "notes": list(result.notes),
    }


def _line(flag: str, a: str, b: str) -> str:
    return f"{flag} {shlex.quote(a)} {shlex.quote(b)}"


def render(result: MergeResult, inputs: Sequence[tuple[str, str]]) -> str:
    """The page, as text (deterministic: the same merge gives the same bytes)."""
    data = json.dumps(report_data(result, inputs), ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")  # nothing in it can end the script block
    title = "agentkit merge report"
    return _PAGE.replace("__TITLE__", title).replace("__DATA__", data)


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>__TITLE__</title>
<style>
:root { --ink: #1d2330; --muted: #5d6678; --line: #d8dce4; --bg: #f6f7f9; --accent: #2b5fd9; --warn: #b45309; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--bg); }
header { background: #fff; border-bottom: 1px solid var(--line); padding: 14px 24px; }
header h1 { margin: 0 0 8px; font-size: 18px; }
main { padding: 16px 24px 48px; max-width: 1400px; margin: 0 auto; }
section.panel { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; margin-bottom: 16px; }
h2 { font-size: 15px; margin: 0 0 10px; }
.figures { display: flex; flex-wrap: wrap; gap: 10px; }
.figure { border: 1px solid var(--line); border-radius: 6px; padding: 6px 12px; min-width: 110px; background: var(--bg); }
.figure b { display: block; font-size: 20px; }
.figure span { color: var(--muted); font-size: 12px; }
#matrix-wrap { display: flex; gap: 16px; align-items: flex-start; flex-wrap: wrap; }
canvas { border: 1px solid var(--line); image-rendering: pixelated; cursor: crosshair; }
#matrix-tip { color: var(--muted); min-height: 1.4em; }
ol.inputs { margin: 0; padding-left: 22px; max-height: 260px; overflow: auto; font-size: 12px; min-width: 260px; }
.filters { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin-bottom: 10px; }
.filters label { font-size: 12px; color: var(--muted); display: flex; flex-direction: column; gap: 2px; }
select, input[type=search] { font: inherit; padding: 4px 6px; border: 1px solid var(--line); border-radius: 4px; max-width: 320px; }
#count { color: var(--muted); }
.item { border-top: 1px solid var(--line); padding: 8px 0; }
.item .text { white-space: pre-wrap; word-break: break-word; }
.meta { color: var(--muted); font-size: 12px; }
.kind { display: inline-block; border: 1px solid var(--line); border-radius: 10px; padding: 0 6px; margin-right: 6px; font-size: 11px; }
.sources { margin: 4px 0 0 14px; padding: 0; list-style: none; font-size: 12px; }
.sources li { margin: 2px 0; }
.where { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; color: var(--accent); margin-right: 6px; }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
@media (max-width: 900px) { .columns { grid-template-columns: 1fr; } }
.pair { border-top: 1px solid var(--line); padding: 8px 0; }
code.cmd { display: block; background: var(--bg); border: 1px solid var(--line); border-radius: 4px; padding: 4px 6px; margin-top: 4px;
           font-size: 12px; white-space: pre-wrap; word-break: break-all; }
button { font: inherit; font-size: 12px; padding: 2px 8px; border: 1px solid var(--line); border-radius: 4px; background: #fff; cursor: pointer; }
.conflict { border-left: 3px solid var(--warn); padding: 4px 8px; margin: 6px 0; background: #fffaf0; white-space: pre-wrap; }
.list { max-height: 520px; overflow: auto; }
#more { margin-top: 8px; }
</style>
</head>
<body>
<header><h1 id="title">agentkit merge report</h1><div class="figures" id="figures"></div></header>
<main>
<section class="panel" id="matrix-panel"><h2>Guidance the inputs share</h2>
<div id="matrix-wrap"><div><canvas id="matrix" width="320" height="320"></canvas><div id="matrix-tip">Point at a cell: the two inputs and the output items they share.</div></div>
<ol class="inputs" id="input-list"></ol></div></section>
<section class="panel" id="items-panel"><h2>Merged guidance</h2>
<div class="filters">
<label>Section<select id="f-section"><option value="">all sections</option></select></label>
<label>Input<select id="f-input"><option value="">all inputs</option></select></label>
<label>Kind<select id="f-kind"><option value="">every item</option><option value="folded">folded (several sources)</option>
<option value="single">from one source</option><option value="alike">in an alike pair</option></select></label>
<label>Text<input type="search" id="f-text" placeholder="words in the item"></label>
<span id="count"></span></div>
<div id="items"></div><button id="more" type="button" hidden>Show more</button></section>
<section class="panel"><div class="columns">
<div><h2 id="folds-title">Folds</h2><div class="list" id="folds"></div></div>
<div><h2 id="alike-title">Alike, kept apart</h2><div class="list" id="alike"></div></div></div></section>
<section class="panel" id="conflicts-panel"><h2 id="conflicts-title">Conflicts and contradictions</h2><div id="conflicts"></div></section>
</main>
<script type="application/json" id="data">__DATA__</script>
<script>
"use strict";
const D = JSON.parse(document.getElementById("data").textContent);
const PAGE = 300;
let shown = PAGE;
function el(tag, cls, text) { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
function where(i, line) { const input = D.inputs[i]; return (input ? input.path : "?") + ":" + line; }

// figures
document.getElementById("title").textContent = "Merge of " + D.figures.inputs + " inputs" + (D.name ? " into " + D.name : "");
for (const [key, label] of [["inputs", "inputs"], ["items_in", "items in"], ["items_out", "items out"], ["folded", "folded"],
                            ["alike", "alike pairs"], ["conflicts", "conflicts"], ["sections", "sections"]]) {
  const f = el("div", "figure"); f.appendChild(el("b", "", String(D.figures[key]))); f.appendChild(el("span", "", label));
  f.dataset.figure = key; document.getElementById("figures").appendChild(f);
}

// heat map
const alikeWhere = new Set();
for (const a of D.alike) { alikeWhere.add(a.aw); alikeWhere.add(a.bw); }
const n = D.inputs.length, canvas = document.getElementById("matrix");
const cell = Math.max(1, Math.min(48, Math.floor(640 / Math.max(n, 1))));
canvas.width = canvas.height = Math.max(cell * n, 40);
const share = new Map();
for (const [a, b, count] of D.shared) { share.set(a + "," + b, count); share.set(b + "," + a, count); }
function ratio(a, b) {
  if (a === b) return 1;
  const count = share.get(a + "," + b) || 0, least = Math.min(D.inputs[a].items, D.inputs[b].items);
  return least ? count / least : 0;
}
(function draw() {
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, canvas.width, canvas.height);
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) {
    const r = ratio(a, b); if (!r) continue;
    ctx.fillStyle = "rgba(43,95,217," + (0.08 + 0.92 * r).toFixed(3) + ")";
    ctx.fillRect(b * cell, a * cell, cell, cell);
  }
})();
canvas.addEventListener("mousemove", (event) => {
  const box = canvas.getBoundingClientRect();
  const a = Math.floor((event.clientY - box.top) / cell), b = Math.floor((event.clientX - box.left) / cell);
  if (a < 0 || b < 0 || a >= n || b >= n) return;
  const count = a === b ? D.inputs[a].items : (share.get(a + "," + b) || 0);
  document.getElementById("matrix-tip").textContent = (a + 1) + ". " + D.inputs[a].path + "  ×  " + (b + 1) + ". " + D.inputs[b].path +
    ": " + count + " output item(s) shared (" + Math.round(100 * ratio(a, b)) + "% of the smaller)";
});
canvas.addEventListener("click", (event) => {
  const box = canvas.getBoundingClientRect();
  const a = Math.floor((event.clientY - box.top) / cell);
  if (a >= 0 && a < n) { setFilter({input: String(a)}); }
});
const list = document.getElementById("input-list");
D.inputs.forEach((input, i) => { const li = el("li", "", input.path + (input.name ? " (" + input.name + ")" : "") + ", " + input.items + " item(s)"); list.appendChild(li); });

// filters: their state is the address's #... part
const fSection = document.getElementById("f-section"), fInput = document.getElementById("f-input");
const fKind = document.getElementById("f-kind"), fText = document.getElementById("f-text");
D.sections.forEach((title, i) => { const o = el("option", "", title); o.value = String(i); fSection.appendChild(o); });
D.inputs.forEach((input, i) => { const o = el("option", "", (i + 1) + ". " + input.path); o.value = String(i); fInput.appendChild(o); });
function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  fSection.value = params.get("section") || ""; fInput.value = params.get("input") || "";
  fKind.value = params.get("kind") || ""; fText.value = params.get("q") || "";
}
function setFilter(changes) {
  const params = new URLSearchParams(location.hash.slice(1));
  for (const [key, value] of Object.entries(changes)) { if (value) params.set(key, value); else params.delete(key); }
  location.hash = params.toString();
}
function matches(item) {
  if (fSection.value !== "" && String(item.s) !== fSection.value) return false;
  if (fInput.value !== "" && !item.src.some((s) => String(s[0]) === fInput.value)) return false;
  if (fKind.value === "folded" && item.src.length < 2) return false;
  if (fKind.value === "single" && item.src.length > 1) return false;
  if (fKind.value === "alike" && !item.src.some((s) => alikeWhere.has(where(s[0], s[1])))) return false;
  const words = fText.value.trim().toLowerCase();
  if (words && !item.src.some((s) => s[2].toLowerCase().includes(words))) return false;
  return true;
}
function renderItems() {
  const box = document.getElementById("items"); box.textContent = "";
  const hits = D.items.filter(matches);
  document.getElementById("count").textContent = hits.length + " of " + D.items.length + " item(s)";
  for (const item of hits.slice(0, shown)) {
    const row = el("div", "item"); row.dataset.kind = item.k;
    row.appendChild(el("div", "text", item.t));
    const meta = el("div", "meta"); meta.appendChild(el("span", "kind", item.k));
    meta.appendChild(document.createTextNode(D.sections[item.s] + " · " + item.src.length + " source(s)")); row.appendChild(meta);
    const ul = el("ul", "sources");
    for (const [i, line, text] of item.src) {
      const li = el("li"); li.appendChild(el("span", "where", where(i, line)));
      li.appendChild(document.createTextNode(text === item.t ? "(the kept wording)" : text)); ul.appendChild(li);
    }
    row.appendChild(ul); box.appendChild(row);
  }
  const more = document.getElementById("more");
  more.hidden = hits.length <= shown; more.textContent = "Show more (" + Math.max(hits.length - shown, 0) + " left)";
}
document.getElementById("more").addEventListener("click", () => { shown += PAGE; renderItems(); });
for (const [control, key] of [[fSection, "section"], [fInput, "input"], [fKind, "kind"]]) control.addEventListener("change", () => setFilter({[key]: control.value}));
fText.addEventListener("change", () => setFilter({q: fText.value}));
window.addEventListener("hashchange", () => { readHash(); shown = PAGE; renderItems(); });

// folds and alike pairs, each with the line that settles it
function command(text) {
  const code = el("code", "cmd", text), button = el("button", "", "copy");
  button.type = "button"; button.addEventListener("click", () => { if (navigator.clipboard) navigator.clipboard.writeText(text); });
  const wrap = el("div"); wrap.appendChild(code); wrap.appendChild(button); return wrap;
}
document.getElementById("folds-title").textContent = "Folds (" + D.folds.length + ")";
for (const fold of D.folds) {
  const box = el("div", "pair"); box.appendChild(el("div", "text", fold.kept)); box.appendChild(el("div", "meta", "kept, " + fold.where));
  for (const f of fold.folded) { const sub = el("div", "meta", "⇐ " + f.text + "  (" + f.where + ")"); box.appendChild(sub); box.appendChild(command(f.apart)); }
  document.getElementById("folds").appendChild(box);
}
document.getElementById("alike-title").textContent = "Alike, kept apart (" + D.alike.length + ")";
for (const pair of D.alike) {
  const box = el("div", "pair");
  box.appendChild(el("div", "text", pair.a)); box.appendChild(el("div", "meta", pair.aw));
  box.appendChild(el("div", "text", pair.b)); box.appendChild(el("div", "meta", pair.bw + " · score " + pair.score + " · " + pair.reason));
  box.appendChild(command(pair.fold)); document.getElementById("alike").appendChild(box);
}
document.getElementById("conflicts-title").textContent = "Conflicts and contradictions (" + D.conflicts.length + ")";
for (const c of D.conflicts) document.getElementById("conflicts").appendChild(el("div", "conflict", c.kind + ": " + c.message + (c.where.length ? "\\n" + c.where.join(", ") : "")));
readHash(); renderItems();
document.body.dataset.ready = "yes";
document.body.dataset.renderMs = String(Math.round(performance.now()));  // opened, parsed and drawn: for the benchmark
</script>
</body>
</html>
"""
