#!/usr/bin/env python3
"""Walkthrough 3: compare two allocation scenarios for Kabupaten Lamandau.

Bappeda and the zakat bodies meet to agree the year's plan. Two questions come
up: "what if Lazismu funds only the poorest kecamatan?" and "what if every
sangat tertinggal village is guaranteed a minimum?". Step by step:

  1. a practice kabupaten: the 88 real villages of Kab. Lamandau (62.09) with
     synthetic households, OPDs, funders and programs;
  2. scenario A, the optimum with every funder's own rules (a scenario file);
  3. scenario B, written as YAML: Lazismu only in the poorest kecamatan, and a
     floor for every sangat tertinggal village;
  4. `tepat compare A B`: what moved, and what the conditions cost in expected
     poverty severity;
  5. what the runs recorded, and a chart of funds per kecamatan in A and B.

Run from the repository root (needs ../shared/data and a built tepat):
    python3 Notebooks-as-scripts/03_compare_two_allocation_scenarios.py [OUT_DIR]
Only the Python standard library is used.
"""
import csv
import json
import os
import sys

import walkthrough
from walkthrough import ROOT, SHARED, require, table

SHARED = os.path.join(SHARED, "seed_regions_desa.csv")
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "out", "notebooks", "03")
STORE = os.path.join(OUT, "runs.sqlite")


def tepat(*args):
    """Run tepat, recording runs in this walkthrough's own store."""
    return walkthrough.tepat(*args, store=STORE)


def rows_of(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def rupiah(x):
    return f"Rp {x / 1e6:,.0f} jt"


require(SHARED)
os.makedirs(OUT, exist_ok=True)
if os.path.exists(STORE):
    os.remove(STORE)

print("Step 1. A practice kabupaten: Kab. Lamandau's 88 real villages, 30,000 synthetic households.\n")
data = os.path.join(OUT, "data")
tepat("generate", "--out", data, "--region", "62.09", "--villages-file", SHARED, "--households", "30000", "--seed", "5", "--quiet")
funders = rows_of(os.path.join(data, "funders.csv"))
table([(f["funder_id"], f["name"], rupiah(int(f["budget_rp"])), f["pillars"].replace("|", ", ")) for f in funders],
      ["funder", "name", "budget", "pillars"])

print("Step 2. Scenario A: every funder under its own rules.\n")
scenario_a = os.path.join(OUT, "scenario_a.yaml")
with open(scenario_a, "w") as f:
    f.write("# Scenario A: the optimum under each funder's own rules.\nseed: 5\nscoring:\n  bootstrap: 100\n")
run_a = os.path.join(OUT, "run_a")
print(tepat("run", data, "--scenario", scenario_a, "--out", run_a, "--quiet") or "   done.\n")
ranking = rows_of(os.path.join(run_a, "rankings.csv"))
persons, poor = {}, {}
for r in ranking:
    k = r["nama_kecamatan"]
    persons[k] = persons.get(k, 0) + float(r["persons"])
    poor[k] = poor.get(k, 0) + float(r["poor_persons"])
poorest = max(persons, key=lambda k: (poor[k] / persons[k], k))
code = next(r["kode_desa"][:8] for r in ranking if r["nama_kecamatan"] == poorest)
print(f"   The poorest kecamatan by expected P0 is {poorest} ({code}): {100 * poor[poorest] / persons[poorest]:.1f}%.\n")

print("Step 3. Scenario B, as a planner writes it:\n")
scenario_b = os.path.join(OUT, "scenario_b.yaml")
text = f"""# Scenario B: Lazismu only in Kecamatan {poorest}; a floor for sangat tertinggal villages.
seed: 5
scoring:
  bootstrap: 100
allocation:
  floors:
    sangat_tertinggal: 25000000
  funder_areas:
    LAZISMU: ["{code}"]
"""
with open(scenario_b, "w") as f:
    f.write(text)
print("   " + text.replace("\n", "\n   "))
run_b = os.path.join(OUT, "run_b")
tepat("run", data, "--scenario", scenario_b, "--out", run_b, "--quiet")

print("Step 4. Compare the two runs.\n")
print(tepat("compare", run_a, run_b, "--out", os.path.join(OUT, "comparison"), "--top", "8"))
sa, sb = (json.load(open(os.path.join(r, "summary.json"))) for r in (run_a, run_b))
cost = sa["allocation"]["objective"] - sb["allocation"]["objective"]
print(f"   The two conditions cost {cost:.2f} persons × P2 of expected severity reduction "
      f"({100 * cost / sa['allocation']['objective']:.1f}% of scenario A's). Both plans are optimal for their rules,")
print("   so this is the price of the rules, not of a worse plan; the TKPK can weigh it against their reasons.\n")
if cost < -1e-6:
    sys.exit("scenario B adds constraints, so its optimum cannot exceed A's")
lazismu = [r for r in rows_of(os.path.join(run_b, "allocation.csv")) if r["funder_id"] == "LAZISMU"]
outside = [r for r in lazismu if not r["kode_desa"].startswith(code + ".")]
print(f"   Lazismu lines in B: {len(lazismu)}, all in {poorest}: {'yes' if not outside else 'NO'}.")
fa = {r["funder_id"]: r for r in rows_of(os.path.join(run_b, "funders_summary.csv"))}["LAZISMU"]
unspent = int(fa["budget_rp"]) - int(fa["allocated_rp"])
if unspent > 0:
    print(f"   Lazismu leaves {rupiah(unspent)} unspent in B: one kecamatan cannot absorb its budget under its")
    print("   per-village share cap and the programs' eligible households. Worth saying at the meeting.")
print()
if outside:
    sys.exit("Lazismu funds a village outside its area")

print("Step 5. What the run store recorded, and funds per kecamatan.\n")
print(tepat("runs", "list"))
funds = {}
for label, run in (("A", run_a), ("B", run_b)):
    names = {r["kode_desa"]: r["nama_kecamatan"] for r in rows_of(os.path.join(run, "rankings.csv"))}
    for r in rows_of(os.path.join(run, "villages_after.csv")):
        k = names[r["kode_desa"]]
        funds.setdefault(k, {"A": 0, "B": 0})[label] += int(r["funds_rp"])
kecamatan = sorted(funds, key=lambda k: -max(funds[k]["A"], funds[k]["B"]))
table([(k, rupiah(funds[k]["A"]), rupiah(funds[k]["B"]), rupiah(funds[k]["B"] - funds[k]["A"])) for k in kecamatan],
      ["kecamatan", "A", "B", "B - A"])
top = max(max(v.values()) for v in funds.values()) or 1
W, row, left = 640, 26, 150
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{len(kecamatan) * row + 60}" font-family="sans-serif" font-size="11">',
       f'<rect width="100%" height="100%" fill="white"/>',
       f'<text x="{W / 2}" y="16" text-anchor="middle" font-size="13">Kab. Lamandau: funds per kecamatan, scenario A (grey) and B (blue)</text>']
for i, k in enumerate(kecamatan):
    y = 30 + i * row
    svg.append(f'<text x="{left - 6}" y="{y + 14}" text-anchor="end">{k}</text>')
    svg.append(f'<rect x="{left}" y="{y + 2}" width="{(W - left - 110) * funds[k]["A"] / top:.1f}" height="9" fill="#9aa5b1"/>')
    svg.append(f'<rect x="{left}" y="{y + 12}" width="{(W - left - 110) * funds[k]["B"] / top:.1f}" height="9" fill="#1f77b4"/>')
    svg.append(f'<text x="{W - 104}" y="{y + 14}">{rupiah(funds[k]["B"] - funds[k]["A"])}</text>')
svg.append("</svg>")
chart = os.path.join(OUT, "funds_by_kecamatan.svg")
with open(chart, "w") as f:
    f.write("\n".join(svg) + "\n")
print(f"   Chart: {chart}")
print(f"   Reports for the meeting: {run_a}/report.html and {run_b}/report.html")
