"""Export 1,000,000 claims as CSV through the CLI; print rows/s and peak RSS.

    .venv/bin/python bench/export_csv.py

Uses the database bench/highlights_load.py builds (100,000 articles, 1,000,000
published claims with a citation each; built here when missing). The export
runs as `flask --app factcheck export csv` in a child process under
/usr/bin/time -v, which reports its peak resident set size. The baseline in
the same run is Python's csv module writing the same number of plain rows
from a bare SQLite cursor over the claims table.
"""

import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.highlights_load import OUT, build  # noqa: E402

BASELINE = """
import csv, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
with open(sys.argv[2], "w", newline="") as out:
    writer = csv.writer(out)
    for row in conn.execute("SELECT id, exact, verdict, label, rationale, status, created_at FROM claims"):
        writer.writerow(row)
"""


def timed(command: list[str], env=None) -> tuple[float, int]:
    start = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-v", *command], capture_output=True, text=True,
                            cwd=ROOT, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-2000:])
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr).group(1))
    return elapsed, rss_kb


def main() -> None:
    import os

    OUT.mkdir(exist_ok=True)
    db_path = OUT / "highlights-100000x10.db"
    build(db_path, 100_000, 10)
    rows = sqlite3.connect(db_path).execute("SELECT count(*) FROM claims").fetchone()[0]
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "FACTCHECK_DATABASE": str(db_path), "FACTCHECK_INSTANCE_PATH": tmp,
               "FACTCHECK_SECRET_KEY": "bench"}
        out = Path(tmp) / "claims.csv"
        flask = str(Path(sys.executable).with_name("flask"))
        elapsed, rss = timed([flask, "--app", "factcheck", "export", "csv", "-o", str(out)], env)
        lines = sum(1 for _ in open(out, encoding="utf-8")) - 1
        size = out.stat().st_size
        base_elapsed, base_rss = timed([sys.executable, "-c", BASELINE, str(db_path),
                                        str(Path(tmp) / "baseline.csv")])
    print(f"exported {lines:,} rows of {rows:,} claims ({size / 1e6:.0f} MB of CSV) "
          f"in {elapsed:.1f} s (whole process, start-up included)")
    print(f"export rate: {lines / elapsed:,.0f} rows/s (target >= 100,000); "
          f"peak RSS {rss / 1024:.0f} MB (target < 200 MB)")
    print(f"baseline, bare cursor to csv.writer, fewer columns: {rows / base_elapsed:,.0f} rows/s, "
          f"peak RSS {base_rss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
