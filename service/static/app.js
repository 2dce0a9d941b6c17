// The upload page: send the file as an async job, follow it, then show what came out.
// Plain DOM, no build step. Document text is only ever set with textContent.
"use strict";

const PREVIEW_ROWS = 8;
const $ = (id) => document.getElementById(id);
const keyInput = $("api-key");

function headers() {
  return keyInput && keyInput.value ? { "X-API-Key": keyInput.value } : {};
}

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function show(section) {
  for (const id of ["progress", "failure", "result"]) $(id).hidden = id !== section;
}

function fail(problem) {
  show("failure");
  $("failure-title").textContent = problem.title || "The conversion failed";
  $("failure-detail").textContent = (problem.detail || "") + (problem.code ? ` (${problem.code})` : "");
}

async function getJSON(url) {
  const r = await fetch(url, { headers: headers() });
  const body = await r.json();
  if (!r.ok) throw body;
  return body;
}

// Upload with XMLHttpRequest: fetch() cannot report upload progress.
function upload(file) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/v1/jobs");
    for (const [k, v] of Object.entries(headers())) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) {
        $("bar").value = Math.round((100 * e.loaded) / e.total);
        $("state").textContent = `Uploading… ${$("bar").value}%`;
      }
    };
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (_) { /* not JSON */ }
      if (xhr.status === 202 && body) resolve(body);
      else reject(body || { title: `Upload failed (HTTP ${xhr.status})` });
    };
    xhr.onerror = () => reject({ title: "Upload failed", detail: "The connection to the server was lost." });
    const form = new FormData();
    form.append("file", file);
    xhr.send(form);
  });
}

async function follow(job) {
  const names = { queued: "Waiting for a free converter…", running: "Converting: reading the tables…" };
  $("bar").removeAttribute("value"); // indeterminate while converting
  while (job.status === "queued" || job.status === "running") {
    $("state").textContent = names[job.status];
    await new Promise((r) => setTimeout(r, 800));
    job = await getJSON(job.links.self);
  }
  return job;
}

// RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines.
function parseCSV(text, maxRows) {
  const rows = [];
  let row = [], field = "", quoted = false;
  for (let i = 0; i < text.length && rows.length < maxRows; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(field); field = ""; }
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field); rows.push(row); row = []; field = "";
    } else field += c;
  }
  if ((field || row.length) && rows.length < maxRows) { row.push(field); rows.push(row); }
  return rows;
}

function link(a, url) {
  a.href = url;
  if (keyInput) {
    // With an API key a plain link cannot send the header: fetch, then save the blob.
    a.onclick = async (e) => {
      e.preventDefault();
      const r = await fetch(url, { headers: headers() });
      const tmp = el("a");
      tmp.href = URL.createObjectURL(await r.blob());
      tmp.download = url.split("/").pop();
      tmp.click();
      URL.revokeObjectURL(tmp.href);
    };
  }
  return a;
}

function findingsList(title, items, render) {
  if (!items.length) return null;
  const box = el("div", null, "findings");
  box.append(el("h3", `${title} (${items.length})`));
  const ul = el("ul");
  for (const item of items) ul.append(render(item));
  box.append(ul);
  return box;
}

function renderFindings(report) {
  const box = $("findings");
  box.replaceChildren();
  const warnings = [...(report.warnings || [])];
  for (const t of report.tables || []) for (const w of t.warnings || []) warnings.push({ ...w, table: w.table || t.resource || t.label });
  const checks = report.checks || [];
  const missing = (report.tables || []).filter((t) => t.status === "missing");
  const validation = report.validation || {};
  const parts = [
    findingsList("Validation errors", validation.errors || [], (e) => el("li", `${e.resource ? e.resource + ": " : ""}${e.message}`)),
    findingsList("Check findings", checks, (c) => {
      const li = el("li", null, `sev-${c.severity}`);
      li.append(el("strong", `${c.severity} · ${c.rule}`), " ", el("span", c.message));
      return li;
    }),
    findingsList("Warnings", warnings, (w) => {
      const where = [w.table, w.page ? `p. ${w.page}` : null].filter(Boolean).join(", ");
      return el("li", `${w.message}${where ? ` (${where})` : ""}`);
    }),
    findingsList("Standard tables not found", missing, (t) => el("li", t.label || t.concept)),
  ].filter(Boolean);
  box.replaceChildren(...parts);
}

async function renderTable(res, report) {
  const info = (report.tables || []).find((t) => t.resource === res.name) || {};
  const section = el("section", null, "table");
  section.dataset.resource = res.name;
  section.append(el("h3", res.title || res.name));
  const meta = [res.name, info.printed_label, info.pages && info.pages.length ? `pages ${info.pages.join(", ")}` : null,
    info.row_count !== undefined ? `${info.row_count} rows, first ${Math.min(PREVIEW_ROWS, info.row_count)} shown` : null,
    info.status].filter(Boolean).join(" · ");
  section.append(el("p", meta, "meta"));
  const dl = el("p", null, "downloads");
  const csv = link(el("a", "CSV"), res.csv); csv.download = "";
  dl.append(csv);
  if (res.parquet) { const pq = link(el("a", "Parquet"), res.parquet); pq.download = ""; dl.append(" ", pq); }
  section.append(dl);
  const r = await fetch(res.csv, { headers: headers() });
  const rows = parseCSV(await r.text(), PREVIEW_ROWS + 1);
  const wrap = el("div", null, "scroll");
  const table = el("table", null, "preview");
  const thead = el("thead"), tbody = el("tbody");
  const isNum = (v) => /^-?[\d.]+$/.test(v);
  const numeric = (rows[0] || []).map((_, i) => rows.slice(1).some((r) => isNum(r[i] || "")));
  const tr = el("tr");
  (rows[0] || []).forEach((h, i) => tr.append(el("th", h, numeric[i] ? "num" : "")));
  thead.append(tr);
  for (const row of rows.slice(1)) {
    const r2 = el("tr");
    row.forEach((v, i) => r2.append(el("td", v, numeric[i] ? "num" : "")));
    tbody.append(r2);
  }
  table.append(thead, tbody);
  wrap.append(table);
  section.append(wrap);
  return section;
}

async function renderResult(job) {
  const report = await getJSON(job.links.report);
  const resources = job.links.resources || [];
  const doc = report.document || {};
  const valid = report.validation ? (report.validation.valid ? " · valid package" : " · validation errors") : "";
  $("result-title").textContent = `${resources.length} tables found` +
    (doc.organisation ? ` · ${doc.organisation}` : "") + (doc.year ? ` · ${doc.year}` : "") + valid;
  link($("dl-package"), job.links.package);
  link($("dl-datapackage"), job.links.datapackage);
  link($("dl-report"), job.links.report);
  renderFindings(report);
  const tables = await Promise.all(resources.map((res) => renderTable(res, report)));
  $("tables").replaceChildren(...tables);
  show("result");
}

async function convert(file) {
  if (keyInput && !keyInput.value) { keyInput.reportValidity(); return; }
  show("progress");
  $("bar").value = 0;
  $("state").textContent = `Uploading ${file.name}…`;
  try {
    const job = await follow(await upload(file));
    if (job.status === "failed") fail(job.error || {});
    else await renderResult(job);
  } catch (problem) {
    fail(problem && problem.title ? problem : { title: "Something went wrong", detail: String(problem) });
  }
}

$("file").addEventListener("change", (e) => { if (e.target.files[0]) convert(e.target.files[0]); });
const drop = $("drop");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  if (e.dataTransfer.files[0]) convert(e.dataTransfer.files[0]);
});
