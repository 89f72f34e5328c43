"""Export 1,000,000 claims as CSV through the CLI; print rows/s and peak RSS.

    .venv/bin/python bench/export_csv.py [--against DIR]

Builds (once, kept in bench/out/) a database of 100,000 articles and
1,000,000 published claims with a citation each, as bench/highlights_load.py
builds its own, then gives it the states a desk's claims are in: every 10th
claim has a revision waiting for review (its working copy differs from what
readers see), every 50th a correction, every 100th is retracted and every
200th publication was orphaned by a re-import. So the export reads the
publications, their citations and corrections, not just the claims table.

The export runs as `flask --app factcheck export csv` in a child process
under /usr/bin/time -v, which reports its peak resident set size. The
baseline in the same run, also a whole child process, is a bare csv.writer
over the same query (Store.export_csv_cursor: the same rows and cells, the
rationale left as HTML and the citation columns as one): what Python's csv
module alone costs on top of SQLite. The ratio of the two rates is printed;
on a shared machine it is steadier than either rate. ``--against`` runs the
same export with the code of another tree too (for instance
`git archive HEAD | tar -x -C /tmp/head`), on the same database.
"""

import argparse
import csv
import os
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
import csv, sys
sys.path.insert(0, sys.argv[3])
from annotations.exports import ExportFilters
from annotations.store import Store, open_database
store = Store(open_database(sys.argv[1], set_wal=False))
with open(sys.argv[2], "w", newline="", encoding="utf-8") as out:
    csv.writer(out).writerows(store.export_csv_cursor(ExportFilters(), "http://127.0.0.1:8000"))
"""
LATER = "2026-11-15T00:00:00+00:00"


def desk_states(path: Path) -> None:
    """Revisions, corrections, retractions and orphaned publications, once."""
    conn = sqlite3.connect(path)
    try:
        if conn.execute("SELECT count(*) FROM claim_corrections").fetchone()[0]:
            return
        start = time.perf_counter()
        with conn:
            conn.execute("UPDATE claims SET status = 'draft', verdict = 'denied',"
                         " label = 'Revised', version = version + 1 WHERE id % 10 = 0")
            conn.execute(
                "INSERT INTO claim_corrections (claim_id, at, note, previous_verdict, verdict,"
                " previous_label, label, changed) SELECT id, ?, 'The agency revised the figure',"
                " 'denied', 'verified', 'Accurate', 'Accurate', 'verdict'"
                " FROM claims WHERE id % 50 = 1", [LATER])
            conn.execute("UPDATE claim_publications SET published_at = ?"
                         " WHERE claim_id % 50 = 1", [LATER])
            conn.execute("UPDATE claim_publications SET retracted_at = ?,"
                         " retraction_reason = 'The source was withdrawn'"
                         " WHERE claim_id % 100 = 7", [LATER])
            conn.execute("UPDATE claims SET status = 'retracted' WHERE id % 100 = 7")
            conn.execute("UPDATE claim_publications SET anchor_state = 'orphaned',"
                         " passage_id = NULL, start_offset = NULL, end_offset = NULL"
                         " WHERE claim_id % 200 = 3")
        conn.execute("ANALYZE")
        print(f"desk states written in {time.perf_counter() - start:.0f} s")
    finally:
        conn.close()


def timed(command: list[str], env=None, cwd=ROOT) -> tuple[float, int]:
    start = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-v", *command], capture_output=True, text=True,
                            cwd=cwd, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-2000:])
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr).group(1))
    return elapsed, rss_kb


def export(db_path: Path, tmp: str, name: str, tree: Path = ROOT) -> tuple[float, int, int, int]:
    """(seconds, peak RSS in kB, rows, bytes) of one CLI export run with the
    code in ``tree``."""
    env = {**os.environ, "FACTCHECK_DATABASE": str(db_path), "FACTCHECK_INSTANCE_PATH": tmp,
           "FACTCHECK_SECRET_KEY": "bench", "PYTHONPATH": str(tree)}
    out = Path(tmp) / f"{name}.csv"
    flask = str(Path(sys.executable).with_name("flask"))
    elapsed, rss = timed([flask, "--app", "factcheck", "export", "csv", "-o", str(out)], env,
                         cwd=tree)
    with open(out, encoding="utf-8", newline="") as f:
        lines = sum(1 for _ in csv.reader(f)) - 1
    return elapsed, rss, lines, out.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--against", type=Path,
                        help="another source tree to time the same export with")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    db_path = OUT / "export-100000x10.db"
    build(db_path, 100_000, 10)
    desk_states(db_path)
    conn = sqlite3.connect(db_path)
    rows = conn.execute("SELECT count(*) FROM claims").fetchone()[0]
    publications = conn.execute("SELECT count(*) FROM claim_publications").fetchone()[0]
    conn.close()
    with tempfile.TemporaryDirectory() as tmp:
        elapsed, rss, lines, size = export(db_path, tmp, "claims")
        if args.against:
            other = export(db_path, tmp, "against", args.against.resolve())
        base_elapsed, base_rss = timed([sys.executable, "-c", BASELINE, str(db_path),
                                        str(Path(tmp) / "baseline.csv"), str(ROOT)])
    print(f"exported {lines:,} rows of {rows:,} claims ({publications:,} published;"
          f" {size / 1e6:.0f} MB of CSV) in {elapsed:.1f} s (whole process, start-up included)")
    print(f"export rate: {lines / elapsed:,.0f} rows/s (target >= 100,000); "
          f"peak RSS {rss / 1024:.0f} MB (target < 200 MB)")
    if args.against:
        print(f"{args.against}: {other[2]:,} rows ({other[3] / 1e6:.0f} MB) at "
              f"{other[2] / other[0]:,.0f} rows/s, peak RSS {other[1] / 1024:.0f} MB")
    base_rate = rows / base_elapsed
    print(f"baseline, bare csv.writer over the same query: {base_rate:,.0f} rows/s, "
          f"peak RSS {base_rss / 1024:.0f} MB (whole process too)")
    print(f"ratio export / bare csv.writer: {lines / elapsed / base_rate:.2f}")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
