#!/usr/bin/env python3
"""Walkthrough 1: rank the villages of Kabupaten Pasuruan and read the intervals.

A TKPK analyst's first look at Tepat, step by step:

  1. make a kabupaten to practise on: the 365 real desa and kelurahan of
     Kab. Pasuruan (35.14) from the Kemendagri list, with synthetic households;
  2. run Tepat: PMT, small-area model, 200 bootstrap replicates;
  3. read the top of the ranking, with the 90% rank intervals;
  4. see which "top 20" villages are really distinguishable from the rest;
  5. check the model against the truth the generator keeps;
  6. draw the rank intervals (SVG) for the TKPK meeting; the report draws the
     villages on their real boundaries and the TKPK quadrant, and
     rankings.geojson opens in QGIS.

Run from the repository root (needs ../shared/data, and a built tepat):
    python3 Notebooks-as-scripts/01_rank_villages_and_read_the_intervals.py [OUT_DIR]
Only the Python standard library is used.
"""
import csv
import json
import os
import sys

from walkthrough import ROOT, SHARED, require, table, tepat

BOUNDARIES = os.path.join(SHARED, "boundaries", "desa_35_14.geojson")
SHARED = os.path.join(SHARED, "seed_regions_desa.csv")
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "out", "notebooks", "01")


require(SHARED, BOUNDARIES)
os.makedirs(OUT, exist_ok=True)

print("Step 1. A practice kabupaten: Kab. Pasuruan's real villages, 60,000 synthetic households.\n")
data = os.path.join(OUT, "data")
print(tepat("generate", "--out", data, "--region", "35.14", "--villages-file", SHARED,
            "--households", "60000", "--seed", "7", "--quiet") or "   generated.\n")

print("Step 2. Score every household and rank the villages (B = 200 replicates).\n")
run = os.path.join(OUT, "run")
tepat("run", data, "--out", run, "--quiet", "--scoring-only", "--boundaries", BOUNDARIES)
summary = json.load(open(os.path.join(run, "summary.json")))
pmt = summary["pmt"]
print(f"   PMT on {pmt['n']} survey households: R² = {pmt['r2']:.3f}, σ = {pmt['sigma']:.3f}, "
      f"{pmt['rank']} of {pmt['p']} terms estimated (dropped as collinear: {', '.join(pmt['dropped']) or 'none'}).")
sa = pmt["small_area"]
print(f"   Village effects: σ²_η = {sa['sigma2_eta']:.4f} against household σ²_ε = {sa['sigma2_eps']:.4f}, "
      f"from {sa['survey_villages']} surveyed villages.\n")

rankings = list(csv.DictReader(open(os.path.join(run, "rankings.csv"))))
print("Step 3. The twenty villages most in need, with their 90% rank intervals.\n")
table([(r["rank"], r["nama_desa"][:18], r["nama_kecamatan"][:14], f"{float(r['p0']):.3f}",
        f"[{r['rank_lo']}, {r['rank_hi']}]", r["top_deprivations"][:44]) for r in rankings[:20]],
      ["rank", "desa", "kecamatan", "P0", "rank 90%", "why (deprivations of its poor)"])

print("Step 4. Which of them are surely in the top 20?\n")
sure = [r for r in rankings[:20] if int(r["rank_hi"]) <= 20]
maybe = [r for r in rankings[20:] if int(r["rank_lo"]) <= 20]
print(f"   {len(sure)} of the top 20 rank within the top 20 in at least 90% of replicates:")
print("   " + ", ".join(r["nama_desa"] for r in sure) if sure else "   none: the data cannot single any out.")
print(f"   {len(maybe)} villages ranked below 20 could also be in the top 20 (their interval reaches it).")
print("   Read an interval as: the village's rank is as uncertain as this; two villages whose")
print("   intervals overlap widely should not be told apart by their point ranks.\n")

print("Step 5. How good is it? (the generator kept every household's true consumption)\n")
a = summary["accuracy"]
table([("exclusion error (eligible poorest 40% not selected)", f"{a['exclusion_error']:.3f}"),
       ("inclusion error (selected but not eligible)", f"{a['inclusion_error']:.3f}"),
       ("Spearman of village P0 with the true P0", f"{a['spearman_p0']:.3f}"),
       ("villages whose true rank is inside the interval", f"{a['rank_interval_coverage']:.3f}"),
       ("villages whose true P0 is inside the interval", f"{a['p0_interval_coverage']:.3f}")],
      ["measure", "value"])

print("Step 6. The chart for the meeting: rank intervals of the top 40 villages.\n")
top = rankings[:40]
width, row_height, left = 760, 16, 190
height = 40 + row_height * len(top)
scale = (width - left - 30) / max(int(r["rank_hi"]) for r in top)
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="11">',
       f'<text x="{left}" y="16" font-size="13">Rank and 90% interval (1 = most in need), Kab. Pasuruan practice data</text>']
for k, r in enumerate(top):
    y = 30 + k * row_height
    lo, hi, rank = int(r["rank_lo"]), int(r["rank_hi"]), int(r["rank"])
    svg.append(f'<text x="{left - 6}" y="{y + 4}" text-anchor="end">{r["rank"]}. {r["nama_desa"]}</text>')
    svg.append(f'<line x1="{left + lo * scale:.1f}" x2="{left + hi * scale:.1f}" y1="{y}" y2="{y}" stroke="#7a9cc6" stroke-width="6"/>')
    svg.append(f'<circle cx="{left + rank * scale:.1f}" cy="{y}" r="3.5" fill="#1b3a61"/>')
svg.append("</svg>")
chart = os.path.join(OUT, "rank_intervals.svg")
open(chart, "w").write("\n".join(svg) + "\n")
print(f"   wrote {chart}")

geo = json.load(open(os.path.join(run, "rankings.geojson")))
polygons = sum(f["geometry"] is not None and f["geometry"]["type"] == "MultiPolygon" for f in geo["features"])
quadrants = {}
for r in rankings:
    quadrants[r["quadrant"]] = quadrants.get(r["quadrant"], 0) + 1
print(f"   report.html maps the {polygons} villages on their boundaries (desa_35_14.geojson);")
print(f"   rankings.geojson holds them for QGIS. TKPK quadrants: " +
      ", ".join(f"{q or 'no data'} {n}" for q, n in sorted(quadrants.items())) + ".")
