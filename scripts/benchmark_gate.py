#!/usr/bin/env python3
"""Compares the stage times of some `tepat run`s (their timings.json) with a
committed baseline. A stage fails when its median is more than RATIO times the
baseline's and also more than FLOOR seconds slower: loose enough for a noisy
shared machine, tight enough that doubling a stage's cost fails.

The machine's speed is measured with a fixed CPU loop; when this machine is
slower than the one that wrote the baseline (another job on the same cores
halves everything), the ratio is relaxed by that factor, at most 2.5.
"""
import json
import statistics
import sys
import time

RATIO = 1.6
FLOOR = 0.08  # seconds; stages shorter than this are mostly noise
STAGES = ["read", "encode", "context", "pmt", "predict+bootstrap", "aggregate", "verification", "assignment",
          "allocation_setup", "allocation_solve", "allocation_replicates", "allocation_report", "write"]


def calibrate():
    """Seconds for a fixed single-threaded workload (best of three)."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        x = 0
        for i in range(3_000_000):
            x = (x * 1103515245 + i) % 2147483648
        best = min(best, time.perf_counter() - start)
    return best


def main():
    baseline_path, *rest = sys.argv[1:]
    update = "--update" in rest
    files = [f for f in rest if f != "--update"]
    runs = [json.load(open(f)) for f in files]
    medians = {s: statistics.median(r["stages"][s] for r in runs) for s in STAGES if all(s in r["stages"] for r in runs)}
    medians["total"] = statistics.median(r["total"] for r in runs)
    calibration = calibrate()
    if update:
        with open(baseline_path, "w") as f:
            json.dump({"calibration_seconds": round(calibration, 4), "blas_core": runs[0].get("blas_core"),
                       "cores": runs[0].get("cores"), "runs": len(runs),
                       "stages": {k: round(v, 4) for k, v in medians.items()}}, f, indent=2)
            f.write("\n")
        print(f"wrote {baseline_path}")
        return 0
    baseline = json.load(open(baseline_path))
    slower = min(2.5, max(1.0, calibration / baseline["calibration_seconds"]))
    limit = RATIO * slower
    print(f"machine speed: calibration {calibration:.3f} s against {baseline['calibration_seconds']:.3f} s; "
          f"a stage fails above {limit:.2f}× its baseline and {FLOOR * 1000:.0f} ms slower")
    print(f"{'stage':<20}{'baseline s':>12}{'now s':>10}{'ratio':>8}")
    failed = []
    for stage, now in medians.items():
        base = baseline["stages"].get(stage)
        if base is None:
            print(f"{stage:<20}{'—':>12}{now:>10.3f}")
            continue
        ratio = now / base if base > 0 else float("inf")
        bad = ratio > limit and now - base > FLOOR
        print(f"{stage:<20}{base:>12.3f}{now:>10.3f}{ratio:>8.2f}{'  REGRESSION' if bad else ''}")
        if bad:
            failed.append(stage)
    if failed:
        print(f"benchmark gate failed: {', '.join(failed)} slower than {limit:.2f}× the baseline", file=sys.stderr)
        return 1
    print("benchmark gate passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
