#!/usr/bin/env python3
"""Walkthrough 4: benchmark the village estimates of Kabupaten Pasuruan to BPS's P0.

BPS publishes one poverty headcount (P0) per kabupaten/kota; the village
estimates of a small-area model, summed over the kabupaten, will not match it
exactly. A TKPK that reports village figures beside the official one wants
them to agree. Step by step:

  1. a practice kabupaten: the 365 real villages of Kab. Pasuruan (35.14), with
     synthetic households and a SUSENAS-sized survey (10 households in each of
     about 60 villages);
  2. run Tepat as it is: the model's own member-weighted P0;
  3. run it again with --benchmark-p0 set to the P0 BPS publishes for Pasuruan
     (shared/data/kabkota_indikator_kemiskinan_bps.csv): every village's P0 is
     scaled by one factor, so the villages add up to the official figure;
  4. see what changed and what did not: the ranking stays, P0 and poor persons
     move, and so do the intervals, which are benchmarked replicate by replicate;
  5. check the intervals against the truth the generator keeps, once
     benchmarked to the true P0 (the intervals stay calibrated) and once to
     BPS's figure (a benchmark is only as good as the figure it uses: this
     practice kabupaten's true P0 is not Pasuruan's).

Run from the repository root (needs ../shared/data and a built tepat):
    python3 Notebooks-as-scripts/04_benchmark_villages_to_the_bps_headcount.py [OUT_DIR]
Only the Python standard library is used.
"""
import csv
import json
import os
import sys

from walkthrough import ROOT, SHARED, require, table, tepat

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "out", "notebooks", "04")
REGION = "35.14"


def run(name, *extra):
    out = os.path.join(OUT, name)
    tepat("run", data, "--out", out, "--scoring-only", "--no-households-output", "--quiet", *extra)
    with open(os.path.join(out, "summary.json")) as f:
        summary = json.load(f)
    with open(os.path.join(out, "rankings.csv")) as f:
        villages = {r["kode_desa"]: r for r in csv.DictReader(f)}
    return summary, villages


def weighted_p0(villages):
    persons = sum(float(v["persons"]) for v in villages.values())
    return sum(float(v["p0"]) * float(v["persons"]) for v in villages.values()) / persons


require(os.path.join(SHARED, "seed_regions_desa.csv"), os.path.join(SHARED, "kabkota_indikator_kemiskinan_bps.csv"))
os.makedirs(OUT, exist_ok=True)

print("Step 1. A practice kabupaten: Kab. Pasuruan's 365 real villages, 150,000 synthetic households.\n")
data = os.path.join(OUT, "data")
print("  ", tepat("generate", "--out", data, "--region", REGION, "--villages-file", os.path.join(SHARED, "seed_regions_desa.csv"),
                  "--households", "150000", "--seed", "4").strip(), "\n")
with open(os.path.join(data, "survey.csv")) as f:
    survey = list(csv.DictReader(f))
print(f"   survey.csv: {len(survey)} households in {len({r['kode_desa'] for r in survey})} villages.\n")

with open(os.path.join(SHARED, "kabkota_indikator_kemiskinan_bps.csv")) as f:
    bps = next(r for r in csv.DictReader(f) if r["kode_kabkota"] == REGION)
official = float(bps["p0_persen"]) / 100

print("Step 2. The model as it is.\n")
plain, plain_villages = run("plain")
print(f"   Member-weighted P0 of the villages: {100 * weighted_p0(plain_villages):.2f}% "
      f"(summary.json overall.p0 {100 * plain['overall']['p0']:.2f}%).\n")

print(f"Step 3. Benchmarked to BPS's P0 for {bps['nama_kabkota']}: {bps['p0_persen']}%.\n")
benchmarked, bench_villages = run("benchmarked", "--benchmark-p0", bps["p0_persen"] + "%")
b = benchmarked["benchmark"]
table([(f"{100 * b['model_p0']:.2f}%", f"{100 * b['official_p0']:.2f}%", f"{b['factor']:.4f}",
        f"{100 * weighted_p0(bench_villages):.4f}%")],
      ["model P0", "official P0", "factor", "villages' weighted P0 after"])
if abs(weighted_p0(bench_villages) - official) > 1e-5:
    sys.exit("the benchmarked villages do not add up to the official P0 (beyond the 6 decimals of rankings.csv)")

print("Step 4. What moved. The ten villages most in need, before and after:\n")
top = sorted(plain_villages.values(), key=lambda v: int(v["rank"]))[:10]
rows = []
for v in top:
    after = bench_villages[v["kode_desa"]]
    rows.append((v["rank"], after["rank"], v["nama_desa"][:18],
                 f"{100 * float(v['p0']):.1f}% [{100 * float(v['p0_lo']):.1f}, {100 * float(v['p0_hi']):.1f}]",
                 f"{100 * float(after['p0']):.1f}% [{100 * float(after['p0_lo']):.1f}, {100 * float(after['p0_hi']):.1f}]",
                 f"{float(v['poor_persons']):.0f} → {float(after['poor_persons']):.0f}"))
table(rows, ["rank", "after", "village", "P0 [90%] model", "P0 [90%] benchmarked", "poor persons"])
moved = sum(plain_villages[k]["rank"] != bench_villages[k]["rank"] for k in plain_villages)
print(f"   Villages whose rank changed: {moved} of {len(plain_villages)} (one factor moves no z-score of the composite).\n")
if moved:
    sys.exit("benchmarking changed the ranking")

print("Step 5. The intervals against the truth.\n")
true_p0 = plain["accuracy"]["true_p0"]
to_truth, _ = run("benchmarked-to-truth", "--benchmark-p0", f"{true_p0:.6f}")
rows = []
for label, s in [("model's own level", plain), (f"benchmarked to the true {100 * true_p0:.2f}%", to_truth),
                 (f"benchmarked to BPS's {bps['p0_persen']}%", benchmarked)]:
    a = s["accuracy"]
    rows.append((label, f"{100 * a['rank_interval_coverage']:.1f}%", f"{100 * a['p0_interval_coverage']:.1f}%",
                 f"{a['median_p0_interval_width']:.3f}"))
table(rows, ["P0 of the villages", "rank in 90% interval", "P0 in 90% interval", "median P0 width"])
before, right, wrong = (s["accuracy"] for s in (plain, to_truth, benchmarked))
print(f"   Benchmarked to the right figure, P0 intervals stay calibrated "
      f"({100 * before['p0_interval_coverage']:.1f}% → {100 * right['p0_interval_coverage']:.1f}% of villages; one kabupaten's\n"
      f"   villages share their model's errors, so one run moves by a few points either way) and are narrower\n"
      f"   (median {before['median_p0_interval_width']:.3f} → {right['median_p0_interval_width']:.3f}): "
      f"the kabupaten's level no longer has to be estimated.\n"
      f"   Benchmarked to a figure that is not this kabupaten's, fewer hold it ({100 * wrong['p0_interval_coverage']:.1f}%).\n")
# The band the calibration test asks of 90% intervals (Tests/TepatPipelineTests/CalibrationTests.swift).
if not 0.85 <= right["p0_interval_coverage"] <= 0.96:
    sys.exit("benchmarked to the true P0, the P0 intervals are not calibrated")
