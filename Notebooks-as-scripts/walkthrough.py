"""What every walkthrough shares: running tepat, and printing a table.

Each walkthrough imports it (`from walkthrough import ...`); Python finds it
beside the walkthrough when the walkthrough is run as a script.
"""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEPAT = os.path.join(ROOT, ".build", "release", "tepat")
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "data")


def tepat(*args, may_refuse=False, store=None):
    """Run tepat and return what it printed; stop the walkthrough with tepat's
    message if it fails, or, when the step may be refused, return (None, the
    reason) instead ((output, None) when it succeeds). Runs are recorded in the
    run store `store` when given, else in none."""
    extra = ["--no-store"] if args[0] == "run" and store is None else []
    environment = {**os.environ, "TEPAT_STORE": store} if store else None
    result = subprocess.run([TEPAT, *args, *extra], capture_output=True, text=True, env=environment)
    if result.returncode != 0:
        if may_refuse:
            return None, result.stderr.strip().removeprefix("Error: ")
        sys.exit(f"tepat {' '.join(args)} failed:\n{result.stderr}")
    return (result.stdout, None) if may_refuse else result.stdout


def table(rows, columns):
    """Columns as wide as their widest cell; numbers right-aligned."""
    widths = [max(len(str(c)), *(len(str(r[i])) for r in rows)) for i, c in enumerate(columns)]
    line = "  ".join(f"{c:<{w}}" for c, w in zip(columns, widths))
    print(line)
    print("-" * len(line))
    for row in rows:
        print("  ".join(f"{str(v):>{w}}" if isinstance(v, (int, float)) or str(v)[:1].isdigit() else f"{str(v):<{w}}"
                        for v, w in zip(row, widths)))
    print()


def require(*paths):
    """Stop with a clear message when tepat is not built or ../shared is missing."""
    for path in (TEPAT, *paths):
        if not os.path.exists(path):
            sys.exit(f"this walkthrough needs {path} (build tepat: scripts/build-release --product tepat)")
