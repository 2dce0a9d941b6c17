// The upload page: send the file as an async job, follow it, then show what came out.
// Plain DOM, no build step. Document text is only ever set with textContent.
"use strict";

const PREVIEW_ROWS = 8;
const $ = (id) => document.getElementById(id);
const keyInput = $("api-key");
const M = JSON.parse($("messages").textContent);
const ZH = document.documentElement.lang.startsWith("zh");

// A message of the page's language with its {placeholders} filled.
function t(key, values = {}) {
  return M[key].replace(/\{(\w+)\}/g, (_, k) => String(values[k]));
}

// The report's own words in the page's language, where it has both.
function said(item) {
  return (ZH ? item.message_zh : item.message_en) || item.message;
}

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
  $("failure-title").textContent = problem.title || t("failed");
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
        $("state").textContent = t("uploading_pct", { pct: $("bar").value });
      }
    };
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (_) { /* not JSON */ }
      if (xhr.status === 202 && body) resolve(body);
      else reject(body || { title: `${t("upload_failed")} (HTTP ${xhr.status})` });
    };
    xhr.onerror = () => reject({ title: t("upload_failed"), detail: t("connection_lost") });
    const form = new FormData();
    form.append("file", file);
    xhr.send(form);
  });
}

async function follow(job) {
  const names = { queued: t("queued"), running: t("running") };
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
      // The server names the file (a package zip after its package), as a plain link would save it.
      const named = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(r.headers.get("Content-Disposition") || "");
      tmp.download = named ? decodeURIComponent(named[1]) : url.split("/").pop();
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
  const warnings = (report.warnings || []).filter((w) => w.code !== "partial-read");
  for (const tb of report.tables || []) for (const w of tb.warnings || []) warnings.push({ ...w, table: w.table || tb.resource || tb.label });
  const checks = report.checks || [];
  const missing = (report.tables || []).filter((tb) => tb.status === "missing");
  const validation = report.validation || {};
  const parts = [
    findingsList(t("validation_errors"), validation.errors || [], (e) => el("li", `${e.resource ? e.resource + ": " : ""}${e.message}`)),
    findingsList(t("check_findings"), checks, (c) => {
      const li = el("li", null, `sev-${c.severity}`);
      li.append(el("strong", `${c.severity} · ${c.rule}`), " ", el("span", said(c)));
      return li;
    }),
    findingsList(t("warnings"), warnings, (w) => {
      const where = [w.table, w.page ? t("page", { page: w.page }) : null].filter(Boolean).join(", ");
      return el("li", `${said(w)}${where ? ` (${where})` : ""}`);
    }),
    findingsList(t("not_found"), missing, (tb) => el("li", tb.label || tb.concept)),
  ].filter(Boolean);
  box.replaceChildren(...parts);
}

// Partial reads first and in plain sight: a valid package may still lack what the document printed.
function renderPartial(partial) {
  const box = $("partial");
  box.hidden = !partial.length;
  const ul = el("ul");
  for (const w of partial) ul.append(el("li", said(w)));
  box.replaceChildren(el("h3", `${t("partial_box")} (${partial.length})`), ul);
}

function headline(report) {
  const tables = report.tables || [];
  const count = (status) => tables.filter((tb) => tb.status === status).length;
  const findings = report.checks_summary ? report.checks_summary.total : (report.checks || []).length;
  return t("headline", { found: count("found"), empty: count("empty"), missing: count("missing"),
    projects: (report.performance || {}).project_count || 0, findings });
}

// The money unit a table prints: the resource's own (standard tables), else the units its rows name.
function unitOf(descriptor, rows) {
  if (descriptor && descriptor["budgetpack:money_unit"]) return descriptor["budgetpack:money_unit"];
  const col = (rows[0] || []).indexOf("money_unit");
  if (col < 0) return null;
  const units = [...new Set(rows.slice(1).map((r) => r[col]).filter(Boolean))];
  return units.length ? units.join(" / ") : null;
}

async function renderTable(res, report, descriptor, partial) {
  const info = (report.tables || []).find((tb) => tb.resource === res.name) || {};
  const section = el("section", null, "table");
  section.dataset.resource = res.name;
  section.append(el("h3", res.title || res.name));
  const r = await fetch(res.csv, { headers: headers() });
  const rows = parseCSV(await r.text(), PREVIEW_ROWS + 1);
  const unit = unitOf(descriptor, rows);
  const status = info.status === "found" || info.status === "empty" ? t(`status_${info.status}`) : null;
  const meta = el("p", [res.name, info.printed_label, status,
    info.pages && info.pages.length ? t("pages", { pages: info.pages.join(", ") }) : null,
    info.row_count !== undefined ? t("rows", { rows: info.row_count, shown: Math.min(PREVIEW_ROWS, info.row_count) }) : null,
  ].filter(Boolean).join(" · "), "meta");
  if (unit) meta.append(" · ", el("span", t("unit", { unit }), "unit"));
  if (partial.some((w) => w.table === res.name)) meta.append(" ", el("span", t("partial"), "badge-partial"));
  section.append(meta);
  const dl = el("p", null, "downloads");
  const csv = link(el("a", "CSV"), res.csv); csv.download = "";
  dl.append(csv);
  if (res.parquet) { const pq = link(el("a", "Parquet"), res.parquet); pq.download = ""; dl.append(" ", pq); }
  section.append(dl);
  const wrap = el("div", null, "scroll");
  const table = el("table", null, "preview");
  const thead = el("thead"), tbody = el("tbody");
  const isNum = (v) => /^-?[\d.]+$/.test(v);
  const numeric = (rows[0] || []).map((_, i) => rows.slice(1).some((row) => isNum(row[i] || "")));
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
  const [report, datapackage] = await Promise.all([getJSON(job.links.report), getJSON(job.links.datapackage)]);
  const resources = job.links.resources || [];
  const doc = report.document || {};
  const valid = report.validation ? t(report.validation.valid ? "valid" : "invalid") : null;
  $("result-title").textContent = headline(report);
  $("result-doc").textContent = [doc.organisation, doc.year, valid].filter(Boolean).join(" · ");
  link($("dl-package"), job.links.package);
  link($("dl-datapackage"), job.links.datapackage);
  link($("dl-report"), job.links.report);
  const partial = (report.warnings || []).filter((w) => w.code === "partial-read");
  renderPartial(partial);
  renderFindings(report);
  const descriptors = Object.fromEntries((datapackage.resources || []).map((d) => [d.name, d]));
  const tables = await Promise.all(resources.map((res) => renderTable(res, report, descriptors[res.name], partial)));
  $("tables").replaceChildren(...tables);
  show("result");
}

async function convert(file) {
  if (keyInput && !keyInput.value) { keyInput.reportValidity(); return; }
  show("progress");
  $("bar").value = 0;
  $("state").textContent = t("uploading", { name: file.name });
  try {
    const job = await follow(await upload(file));
    if (job.status === "failed") fail(job.error || {});
    else await renderResult(job);
  } catch (problem) {
    fail(problem && problem.title ? problem : { title: t("went_wrong"), detail: String(problem) });
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
