"use strict";
// The planner's desk: pages over the JSON API (/openapi.yaml). The token
// travels in the HttpOnly cookie set when the printed address was opened.

const words = {
  id: {
    "subtitle": "Meja Perencana", "tab.data": "Data", "tab.scenario": "Skenario", "tab.run": "Jalankan", "tab.results": "Hasil",
    "tab.compare": "Bandingkan", "tab.history": "Riwayat", "lang": "English",
    "data.title": "Pilih data", "data.dataset": "Folder data", "data.check": "Periksa",
    "data.help": "Folder data berisi households.csv (atau .xlsx) dan berkas lainnya. Tepat memeriksa setiap berkas dan menampilkan setiap masalah.",
    "data.valid": "Semua berkas valid.", "data.invalid": "masalah ditemukan; baris bermasalah dilewati saat dijalankan dengan on_error: skip.",
    "data.none": "Tidak ada folder data di ruang kerja ini (folder yang berisi households.csv atau households.xlsx).",
    "col.file": "Berkas", "col.rows": "Baris diterima", "col.rejected": "Ditolak", "col.problems": "Masalah", "col.location": "Letak",
    "col.column": "Kolom", "col.value": "Nilai", "col.problem": "Masalah",
    "scenario.title": "Skenario", "scenario.file": "Nama berkas", "scenario.load": "Buka", "scenario.save": "Simpan skenario",
    "scenario.help": "Setiap isian punya nilai bawaan; kosongkan untuk memakai bawaan. Skenario disimpan sebagai YAML di samping data.",
    "scenario.saved": "Disimpan", "scenario.new": "Berkas ini belum ada: isian menunjukkan nilai bawaan.",
    "scenario.floors": "Dana minimum per desa menurut status IDM (Rp)", "scenario.areas": "Kecamatan yang boleh didanai tiap pemberi dana",
    "scenario.budgets": "Anggaran pemberi dana (Rp), menggantikan funders.csv", "scenario.yamlOnly": "ubah di berkas YAML",
    "scenario.allKecamatan": "(pilih tidak ada = sesuai funders.csv)", "scenario.default": "bawaan",
    "scenario.allPicked": "tidak ada yang dipilih = semua",
    "run.title": "Jalankan", "run.scenario": "Skenario", "run.start": "Jalankan", "run.defaults": "(nilai bawaan)",
    "run.queued": "Menunggu giliran", "run.running": "Berjalan", "run.done": "Selesai", "run.failed": "Gagal", "run.cancelled": "Dibatalkan",
    "results.title": "Hasil", "results.run": "Hasil jalan", "results.report": "Laporan", "results.rankings": "Peringkat desa",
    "results.beneficiaries": "Penerima manfaat per desa", "results.downloads": "Unduh berkas", "results.none": "Belum ada hasil.",
    "results.village": "Desa", "results.all": "semua", "results.shown": "desa ditampilkan", "results.noBeneficiaries": "Tidak ada penerima manfaat di desa ini.",
    "filter.kecamatan": "Kecamatan", "filter.quality": "Mutu", "filter.idm": "Status IDM",
    "compare.title": "Bandingkan dua hasil", "compare.go": "Bandingkan", "compare.figures": "Angka", "compare.changes": "Pengaturan skenario yang berbeda",
    "compare.funders": "Pemberi dana", "compare.villages": "Desa yang dananya paling berubah", "compare.noChanges": "Skenario sama.",
    "history.title": "Riwayat", "history.none": "Belum ada riwayat.",
    "h.created": "Waktu", "h.directory": "Folder hasil", "h.dataset": "Data", "h.villages": "Desa", "h.households": "Rumah tangga",
    "h.p0": "P0", "h.objective": "Sasaran", "h.spent": "Dibelanjakan (Rp)", "h.seconds": "Detik",
    "f.budget": "Anggaran", "f.allocated": "Dialokasikan", "v.rank": "Peringkat", "v.funds": "Dana (Rp)",
  },
  en: {
    "subtitle": "Planner's desk", "tab.data": "Data", "tab.scenario": "Scenario", "tab.run": "Run", "tab.results": "Results",
    "tab.compare": "Compare", "tab.history": "History", "lang": "Bahasa Indonesia",
    "data.title": "Pick the data", "data.dataset": "Data directory", "data.check": "Check",
    "data.help": "A data directory holds households.csv (or .xlsx) and the other files. Tepat checks every file and shows every problem.",
    "data.valid": "Every file is valid.", "data.invalid": "problems found; a run with on_error: skip leaves the bad rows out.",
    "data.none": "No data directory in this workspace (a folder holding households.csv or households.xlsx).",
    "col.file": "File", "col.rows": "Rows accepted", "col.rejected": "Rejected", "col.problems": "Problems", "col.location": "Where",
    "col.column": "Column", "col.value": "Value", "col.problem": "Problem",
    "scenario.title": "Scenario", "scenario.file": "File name", "scenario.load": "Open", "scenario.save": "Save scenario",
    "scenario.help": "Every field has a default; leave it empty to keep the default. The scenario is saved as YAML beside the data.",
    "scenario.saved": "Saved", "scenario.new": "This file does not exist yet: the fields show the defaults.",
    "scenario.floors": "Minimum funds per village by IDM status (Rp)", "scenario.areas": "Kecamatan each funder may fund",
    "scenario.budgets": "Funder budgets (Rp), replacing funders.csv", "scenario.yamlOnly": "edit in the YAML file",
    "scenario.allKecamatan": "(none picked = as in funders.csv)", "scenario.default": "default",
    "scenario.allPicked": "none picked = all",
    "run.title": "Run", "run.scenario": "Scenario", "run.start": "Run", "run.defaults": "(defaults)",
    "run.queued": "Waiting its turn", "run.running": "Running", "run.done": "Done", "run.failed": "Failed", "run.cancelled": "Cancelled",
    "results.title": "Results", "results.run": "Run", "results.report": "Report", "results.rankings": "Village rankings",
    "results.beneficiaries": "Beneficiaries per village", "results.downloads": "Download files", "results.none": "No results yet.",
    "results.village": "Village", "results.all": "all", "results.shown": "villages shown", "results.noBeneficiaries": "No beneficiaries in this village.",
    "filter.kecamatan": "Kecamatan", "filter.quality": "Quality", "filter.idm": "IDM status",
    "compare.title": "Compare two runs", "compare.go": "Compare", "compare.figures": "Figures", "compare.changes": "Scenario settings that differ",
    "compare.funders": "Funders", "compare.villages": "Villages whose funds changed most", "compare.noChanges": "Same scenario.",
    "history.title": "History", "history.none": "No history yet.",
    "h.created": "When", "h.directory": "Run directory", "h.dataset": "Data", "h.villages": "Villages", "h.households": "Households",
    "h.p0": "P0", "h.objective": "Objective", "h.spent": "Spent (Rp)", "h.seconds": "Seconds",
    "f.budget": "Budget", "f.allocated": "Allocated", "v.rank": "Rank", "v.funds": "Funds (Rp)",
  },
};
// The template's line of help per key, in Indonesian (the server sends the English).
const helpID = {
  "seed": "benih replikasi bootstrap; masukan dan benih yang sama = berkas yang sama",
  "data.codebook": "none, pbdt2015, atau YAML codebook untuk ekspor mentah",
  "data.boundaries": "batas desa (GeoJSON dengan kode_desa) untuk peta laporan dan rankings.geojson",
  "data.on_error": "fail: satu baris salah menghentikan jalan; skip: baris itu dilewati dan dicatat di rejected.csv",
  "data.files": "berkas masukan yang tidak bernama baku di folder data",
  "scoring.method": "auto (PMT bila ada survey.csv, selain itu indeks aset), pmt, asset_index",
  "scoring.poverty_line": "rupiah per kapita per bulan",
  "scoring.bootstrap": "jumlah replikasi untuk selang 90% peringkat dan P0 (0: tanpa selang)",
  "scoring.ridge": "susutkan koefisien, penalti dengan validasi silang 5 lipat",
  "scoring.strata": "none, atau urban_rural: model terpisah untuk kelurahan dan desa",
  "scoring.kecamatan_effects": "efek tetap kecamatan dalam PMT",
  "scoring.strict_categories": "berhenti bila ada kategori yang tidak pernah muncul di survei",
  "scoring.mpi_cutoff": "k Alkire-Foster: miskin bila bobot deprivasi mencapai k",
  "scoring.benchmark_p0": "P0 resmi (BPS, mis. 0.0946 atau 9.46%) yang menjadi patokan desa; none: tingkat model",
  "scoring.mpi_weights": "bobot indikator yang berbeda dari bawaan; 0 menghapus indikator",
  "ranking.rank_by": "score (skor gabungan), p0, atau poor (perkiraan penduduk miskin)",
  "ranking.weights.p0": "bobot perkiraan tingkat kemiskinan", "ranking.weights.p2": "bobot perkiraan keparahan kemiskinan",
  "ranking.weights.poor_persons": "bobot perkiraan jumlah penduduk miskin", "ranking.weights.mpi_m0": "bobot kemiskinan multidimensi M0",
  "ranking.weights.share_desil_1_4": "bobot bagian rumah tangga desil 1-4",
  "assignment.enabled": "Satu OPD Satu Desa (perlu opds.csv)",
  "assignment.opds": "OPD yang ikut", "assignment.opds_per_village": "berapa OPD boleh mendampingi satu desa",
  "allocation.enabled": "alokasi dana ke optimum yang terbukti (perlu funders.csv dan programs.csv)",
  "allocation.objective": "maksimalkan penurunan perkiraan p2 (keparahan), p1 (kedalaman) atau p0 (penduduk miskin)",
  "allocation.funders": "pemberi dana yang ikut", "allocation.village_cap": "rupiah paling banyak untuk satu desa",
  "verification.min_probability": "masukkan rumah tangga bila desil registrinya sekian mungkin berada di sisi 4 yang salah",
  "verification.min_p_poor": "dan, untuk yang mungkin terlewat, peluangnya di bawah garis kemiskinan",
  "verification.max_per_village": "paling banyak sekian rumah tangga per desa",
  "outputs.households_scored": "tulis households_scored.csv", "outputs.workbook": "tulis results.xlsx (setiap CSV sebagai satu sheet)",
  "outputs.csv_dialect": "standard, atau excel-id: juga salinan berpemisah ; dan koma desimal",
  "outputs.lang": "laporan dalam bahasa Indonesia (id) atau Inggris (en)",
  "outputs.export_mps": "tulis LP alokasi (MPS bebas) ke path ini",
};
const help = (f) => (lang === "id" && helpID[f.key]) || f.help;
const stages = ["read", "score", "verification", "assignment", "allocation", "write"];
let lang = localStorage.getItem("tepat.lang") || "id";
const t = (key) => words[lang][key] || words.en[key] || key;
const $ = (id) => document.getElementById(id);

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes)) {
    if (k === "class") node.className = v; else if (k.startsWith("on")) node.addEventListener(k.slice(2), v); else node.setAttribute(k, v);
  }
  for (const child of children.flat()) node.append(child instanceof Node ? child : document.createTextNode(child ?? ""));
  return node;
}

async function api(path, options = {}) {
  const response = await fetch(path, { credentials: "same-origin", ...options,
    headers: options.body ? { "Content-Type": "application/json" } : {} });
  const body = response.headers.get("Content-Type")?.startsWith("application/json") ? await response.json() : null;
  if (!response.ok) throw Object.assign(new Error(body?.message || response.statusText), { body, status: response.status });
  return body;
}

function say(message) { $("status").textContent = message || ""; }
const q = encodeURIComponent;
const number = (x) => x === null || x === undefined || x === "" ? "" : Number(x).toLocaleString(lang === "id" ? "id-ID" : "en-GB");

function table(columns, rows, { numeric = () => false, id } = {}) {
  return el("table", id ? { id } : {}, el("thead", {}, el("tr", {}, columns.map((c) => el("th", {}, c)))),
    el("tbody", {}, rows.map((r) => el("tr", {}, r.map((v, j) => el("td", numeric(j) ? { class: "num" } : {}, v))))));
}

// ---- Pages

function show(page) {
  for (const section of document.querySelectorAll(".page")) section.hidden = section.id !== "page-" + page;
  for (const b of document.querySelectorAll("#tabs button")) b.classList.toggle("active", b.dataset.page === page);
  location.hash = page;
  say("");
  if (page === "results" || page === "compare" || page === "history") refreshRuns();
}

function translate() {
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
  $("lang").textContent = t("lang");
}

let datasets = [];
async function loadDatasets() {
  datasets = (await api("/api/datasets")).datasets;
  for (const select of [$("dataset"), $("run-dataset")]) {
    select.replaceChildren(...datasets.map((d) => el("option", { value: d.path }, d.path)));
  }
  if (!datasets.length) say(t("data.none"));
  fillScenarioChoices();
}

function fillScenarioChoices() {
  const d = datasets.find((x) => x.path === $("run-dataset").value);
  $("run-scenario").replaceChildren(el("option", { value: "" }, t("run.defaults")),
    ...(d?.scenarios || []).map((s) => el("option", { value: s }, s)));
}

async function validate() {
  const box = $("validation");
  box.replaceChildren("…");
  try {
    const v = await api("/api/validation?dataset=" + q($("dataset").value));
    const files = table([t("col.file"), t("col.rows"), t("col.rejected"), t("col.problems")],
      v.files.map((f) => [f.file, number(f.rows), number(f.rejected), number(f.problems)]), { numeric: (j) => j > 0, id: "file-counts" });
    const verdict = v.valid ? el("p", { class: "ok", id: "verdict" }, t("data.valid"))
      : el("p", { class: "bad", id: "verdict" }, `${number(v.problems.length + v.omitted)} ${t("data.invalid")}`);
    const problems = v.problems.length ? el("div", { class: "scroll" }, table([t("col.location"), t("col.column"), t("col.value"), t("col.problem")],
      v.problems.map((p) => [p.location, p.column || "", p.value || "", p.problem]), { id: "problems" })) : "";
    box.replaceChildren(verdict, files, problems);
  } catch (e) { box.replaceChildren(el("p", { class: "bad" }, e.message)); }
}

// ---- Scenario form

let form = null;
function fieldRow(key, input, help) {
  return el("div", { class: "field", "data-key": key }, el("span", { class: "key" }, key), input, el("span", { class: "help" }, help));
}

async function loadScenario() {
  const dataset = $("dataset").value;
  $("scenario-message").textContent = "";
  try {
    form = await api(`/api/scenario?dataset=${q(dataset)}&file=${q($("scenario-file").value)}`);
  } catch (e) { $("scenario-message").textContent = e.message; return; }
  const root = $("scenario-form");
  root.replaceChildren();
  if (!form.exists) root.append(el("p", { id: "scenario-new" }, t("scenario.new")));
  const sections = new Map();
  const entries = {};
  for (const f of form.fields) {
    const section = f.key.split(".").length > 1 ? f.key.split(".")[0] : "umum";
    if (!sections.has(section)) sections.set(section, el("fieldset", {}, el("legend", {}, section)));
    const box = sections.get(section);
    const mapping = ["allocation.floors", "allocation.funder_areas", "allocation.funder_budgets"].find((m) => f.key === m || f.key.startsWith(m + "."));
    if (mapping) { if (f.key !== mapping) entries[f.key] = f.value; if (!box.querySelector(`[data-map="${mapping}"]`)) box.append(el("div", { "data-map": mapping })); continue; }
    if (f.kind === "map") {
      // Entries the form does not edit (inputs kept elsewhere, MPI weights) go back as they came.
      const kept = f.value ? el("input", { name: f.key, value: f.value, "data-default": "", readonly: "" }) : el("span", {}, t("scenario.yamlOnly"));
      box.append(fieldRow(f.key, kept, help(f)));
      continue;
    }
    const pickList = { "assignment.opds": form.choices.opds, "allocation.funders": form.choices.funders }[f.key];
    if (pickList) {
      const chosen = f.value === "all" ? [] : f.value.split(",").map((x) => x.trim());
      const select = el("select", { id: "f-" + f.key.replaceAll(".", "-"), name: f.key, multiple: "", "data-list": "1", "data-default": "" },
        pickList.map((c) => el("option", chosen.includes(c.id) ? { value: c.id, selected: "" } : { value: c.id }, `${c.id} ${c.name}`)));
      box.append(fieldRow(f.key, select, `${help(f)} · ${t("scenario.allPicked")}`));
      continue;
    }
    const input = el("input", { id: "f-" + f.key.replaceAll(".", "-"), name: f.key, value: f.value, placeholder: f.default_value, "data-default": f.default_value });
    box.append(fieldRow(f.key, input, `${help(f)}${help(f) ? " · " : ""}${t("scenario.default")}: ${f.default_value || "—"}`));
  }
  root.append(...sections.values());
  const c = form.choices;
  const slot = (m) => root.querySelector(`[data-map="${m}"]`);
  slot("allocation.floors")?.replaceWith(el("div", {}, el("h4", {}, t("scenario.floors")), c.idm_statuses.map((s) =>
    fieldRow("allocation.floors." + s, el("input", { id: "f-floor-" + s, name: "allocation.floors." + s, value: entries["allocation.floors." + s] || "", "data-default": "", inputmode: "numeric" }), s))));
  slot("allocation.funder_areas")?.replaceWith(el("div", {}, el("h4", {}, t("scenario.areas")), c.funders.map((f) => {
    const chosen = (entries["allocation.funder_areas." + f.id] || "").split(",").map((x) => x.trim());
    const select = el("select", { id: "f-area-" + f.id, name: "allocation.funder_areas." + f.id, multiple: "", "data-list": "1" },
      c.kecamatan.map((k) => el("option", chosen.includes(k.id) ? { value: k.id, selected: "" } : { value: k.id }, `${k.id} ${k.name}`)));
    return fieldRow("allocation.funder_areas." + f.id, select, `${f.name} ${t("scenario.allKecamatan")}`);
  })));
  slot("allocation.funder_budgets")?.replaceWith(el("div", {}, el("h4", {}, t("scenario.budgets")), c.funders.map((f) =>
    fieldRow("allocation.funder_budgets." + f.id, el("input", { id: "f-budget-" + f.id, name: "allocation.funder_budgets." + f.id, value: entries["allocation.funder_budgets." + f.id] || "", "data-default": "", inputmode: "numeric" }), f.name))));
}

async function saveScenario() {
  const values = {};
  for (const input of $("scenario-form").querySelectorAll("input[name], select[name]")) {
    const value = input.dataset.list ? [...input.selectedOptions].map((o) => o.value).join(", ") : input.value.trim();
    if (value !== (input.dataset.default || "")) values[input.name] = value;
  }
  for (const e of $("scenario-form").querySelectorAll(".error")) e.remove();
  const message = $("scenario-message");
  try {
    const saved = await api(`/api/scenario?dataset=${q($("dataset").value)}&file=${q($("scenario-file").value)}`, { method: "PUT", body: JSON.stringify({ values }) });
    message.className = "ok";
    message.textContent = `${t("scenario.saved")}: ${saved.dataset}/${saved.file}`;
    $("scenario-new")?.remove();
    await loadDatasets();
  } catch (e) {
    message.className = "bad";
    message.textContent = e.message;
    for (const p of e.body?.problems || []) {
      const row = p.key && [...$("scenario-form").querySelectorAll(".field")].find((r) => p.key === r.dataset.key || p.key.startsWith(r.dataset.key + "."));
      if (row) row.append(el("span", { class: "error" }, p.message));
    }
    // The first field at fault, where the planner can see it.
    ($("scenario-form").querySelector(".error") || message).scrollIntoView({ block: "center" });
  }
}

// ---- Runs

async function startRun() {
  const list = $("run-stages");
  list.replaceChildren(...stages.map((s) => el("li", { "data-stage": s }, s)));
  $("run-message").textContent = "";
  try {
    const scenario = $("run-scenario").value;
    let job = await api("/api/runs", { method: "POST", body: JSON.stringify(scenario ? { dataset: $("run-dataset").value, scenario } : { dataset: $("run-dataset").value }) });
    while (job.state === "queued" || job.state === "running") {
      $("run-message").textContent = t("run." + job.state);
      const at = stages.indexOf(job.stage);
      for (const li of list.children) {
        const i = stages.indexOf(li.dataset.stage);
        li.className = at < 0 ? "" : i < at ? "done" : i === at ? "current" : "";
      }
      await new Promise((r) => setTimeout(r, 400));
      job = await api("/api/runs/" + q(job.id));
    }
    for (const li of list.children) li.className = job.state === "done" ? "done" : "";
    $("run-message").textContent = `${t("run." + job.state)}${job.message ? ": " + job.message : ""}`;
    if (job.problems?.length) $("run-message").append(table([t("col.location"), t("col.problem")], job.problems.map((p) => [p.location, p.message])));
    if (job.state === "done") { await refreshRuns(job.directory); show("results"); }
  } catch (e) { $("run-message").textContent = e.message; }
}

let runDirectories = [];
async function refreshRuns(select) {
  const runs = await api("/api/runs");
  const done = runs.queue.filter((j) => j.state === "done").map((j) => j.directory);
  runDirectories = [...new Set([...done, ...runs.history.map((h) => h.directory)])];
  for (const [id, pick] of [["results-run", select], ["compare-a", runDirectories[1]], ["compare-b", runDirectories[0]]]) {
    const s = $(id), before = s.value;
    s.replaceChildren(...runDirectories.map((d) => el("option", { value: d }, d)));
    s.value = pick || (runDirectories.includes(before) ? before : runDirectories[0] || "");
  }
  renderHistory(runs.history);
  if (select || !$("results-body").childElementCount) loadResults();
}

function renderHistory(history) {
  $("history").replaceChildren(history.length ? table(
    [t("h.created"), t("h.directory"), t("h.dataset"), t("h.villages"), t("h.households"), t("h.p0"), t("h.objective"), t("h.spent"), t("h.seconds")],
    history.map((h) => [h.created_at, h.directory, h.dataset, number(h.villages), number(h.households), (h.p0 * 100).toFixed(2) + "%",
      h.objective === null || h.objective === undefined ? "" : h.objective.toFixed(2), number(h.spent_rp), h.seconds.toFixed(1)]),
    { numeric: (j) => j > 2, id: "history-table" }) : el("p", {}, t("history.none")));
}

// ---- Results

let rankings = null, sortColumn = 0, sortDown = false;
async function loadResults() {
  const run = $("results-run").value, body = $("results-body");
  if (!run) { body.replaceChildren(el("p", {}, t("results.none"))); return; }
  const [files, table_] = await Promise.all([api("/api/results/files?run=" + q(run)), api("/api/results/rankings?run=" + q(run))]);
  rankings = table_;
  const link = (name) => `/api/results/file?run=${q(run)}&name=${q(name)}`;
  const filters = el("div", { class: "filters" }, [["nama_kecamatan", "filter.kecamatan"], ["quality", "filter.quality"], ["idm_status", "filter.idm"]]
    .filter(([c]) => rankings.columns.includes(c)).map(([c, label]) => {
      const j = rankings.columns.indexOf(c);
      const values = [...new Set(rankings.rows.map((r) => r[j]))].filter((v) => v !== "").sort();
      return el("label", {}, t(label) + " ", el("select", { id: "filter-" + c, "data-column": c, onchange: renderRankings },
        el("option", { value: "" }, t("results.all")), values.map((v) => el("option", { value: v }, v))));
    }));
  const villages = rankings.rows.map((r) => [r[rankings.columns.indexOf("kode_desa")], r[rankings.columns.indexOf("nama_desa")]]);
  const hasBeneficiaries = files.files.some((f) => f.name === "beneficiaries.csv");
  body.replaceChildren(
    el("h3", {}, t("results.report")), el("iframe", { src: link("report.html"), title: t("results.report") }),
    el("h3", {}, t("results.rankings")), filters, el("p", { id: "rankings-count" }), el("div", { class: "scroll", id: "rankings-box" }),
    hasBeneficiaries ? el("h3", {}, t("results.beneficiaries")) : "",
    hasBeneficiaries ? el("label", {}, t("results.village") + " ", el("select", { id: "beneficiary-village", onchange: loadBeneficiaries },
      villages.map(([code, name]) => el("option", { value: code }, `${name} (${code})`)))) : "",
    el("div", { id: "beneficiaries" }),
    el("h3", {}, t("results.downloads")),
    el("ul", { id: "downloads" }, files.files.map((f) => el("li", {}, el("a", { href: link(f.name), download: f.name }, f.name), ` (${number(f.bytes)} B)`))));
  renderRankings();
  if (hasBeneficiaries) loadBeneficiaries();
}

function renderRankings() {
  const { columns, rows } = rankings;
  const filters = [...document.querySelectorAll(".filters select")].filter((s) => s.value).map((s) => [columns.indexOf(s.dataset.column), s.value]);
  const numeric = rows.length ? columns.map((_, j) => rows.every((r) => r[j] === "" || !isNaN(Number(r[j])))) : [];
  const kept = rows.filter((r) => filters.every(([j, v]) => r[j] === v)).sort((a, b) => {
    const x = a[sortColumn], y = b[sortColumn];
    const order = numeric[sortColumn] ? (x === "" ? Infinity : Number(x)) - (y === "" ? Infinity : Number(y)) : x.localeCompare(y);
    return sortDown ? -order : order;
  });
  const head = el("tr", {}, columns.map((c, j) => el("th", { class: "sortable", onclick: () => { sortDown = sortColumn === j ? !sortDown : false; sortColumn = j; renderRankings(); } },
    c + (j === sortColumn ? (sortDown ? " ▼" : " ▲") : ""))));
  $("rankings-box").replaceChildren(el("table", { id: "rankings" }, el("thead", {}, head),
    el("tbody", {}, kept.map((r) => el("tr", {}, r.map((v, j) => el("td", numeric[j] ? { class: "num" } : {}, v)))))));
  $("rankings-count").textContent = `${number(kept.length)} / ${number(rows.length)} ${t("results.shown")}`;
}

async function loadBeneficiaries() {
  const v = await api(`/api/results/beneficiaries?run=${q($("results-run").value)}&village=${q($("beneficiary-village").value)}`);
  $("beneficiaries").replaceChildren(v.rows.length ? el("div", { class: "scroll" }, table(v.columns, v.rows, { id: "beneficiaries-table" }))
    : el("p", {}, t("results.noBeneficiaries")));
}

// ---- Compare

async function compare() {
  const box = $("comparison");
  try {
    const c = await api(`/api/compare?a=${q($("compare-a").value)}&b=${q($("compare-b").value)}`);
    box.replaceChildren(
      el("h3", {}, t("compare.changes")),
      c.scenario_changes.length ? el("ul", { id: "scenario-changes" }, c.scenario_changes.map((s) => el("li", {}, s))) : el("p", { id: "scenario-changes" }, t("compare.noChanges")),
      el("h3", {}, t("compare.figures")), table(["", "A", "B"], c.figures.map((f) => [f.name, f.a, f.b]), { id: "figures" }),
      el("h3", {}, t("compare.funders")), table(["", t("f.budget") + " A", t("f.budget") + " B", t("f.allocated") + " A", t("f.allocated") + " B"],
        c.funders.map((f) => [f.id, number(f.budget_a), number(f.budget_b), number(f.allocated_a), number(f.allocated_b)]), { numeric: (j) => j > 0, id: "funders" }),
      el("h3", {}, t("compare.villages")), table(["kode_desa", t("results.village"), "Kecamatan", t("v.rank") + " A", t("v.rank") + " B", t("v.funds") + " A", t("v.funds") + " B"],
        c.villages.map((v) => [v.code, v.name, v.kecamatan, v.rank_a ?? "", v.rank_b ?? "", number(v.funds_a), number(v.funds_b)]), { numeric: (j) => j > 2, id: "villages" }));
  } catch (e) { box.replaceChildren(el("p", { class: "bad" }, e.message)); }
}

// ---- Start

document.addEventListener("DOMContentLoaded", async () => {
  for (const b of document.querySelectorAll("#tabs button")) b.addEventListener("click", () => show(b.dataset.page));
  $("lang").addEventListener("click", () => { lang = lang === "id" ? "en" : "id"; localStorage.setItem("tepat.lang", lang); translate(); });
  $("validate").addEventListener("click", validate);
  $("dataset").addEventListener("change", () => { $("validation").replaceChildren(); $("scenario-form").replaceChildren(); });
  $("scenario-load").addEventListener("click", loadScenario);
  $("scenario-save").addEventListener("click", saveScenario);
  $("run-dataset").addEventListener("change", fillScenarioChoices);
  $("run-start").addEventListener("click", startRun);
  $("results-run").addEventListener("change", loadResults);
  $("compare-go").addEventListener("click", compare);
  translate();
  try { await loadDatasets(); } catch (e) { say(e.message); }
  show(location.hash.slice(1) || "data");
});
