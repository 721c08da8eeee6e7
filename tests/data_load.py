#!/usr/bin/python3
"""Loads every table gsim wrote into the directories given, as a user's
tools would, and checks each reads as gsim meant it: Python's csv module
and pandas (read_csv with sep='\\t', comment='#', nothing else) on every
.tsv, pandas on every .csv and .json beside it, and R's read.delim (with
comment.char='#') when Rscript is installed. Prints one line per problem;
exits 0 when there is none, 1 when there are, 77 when pandas is missing
(the test is then skipped)."""
import csv
import json
import math
import os
import shutil
import subprocess
import sys

try:
    import pandas as pd
except ImportError:
    print("skip: pandas is not installed (Debian: apt-get install python3-pandas)")
    sys.exit(77)

problems = []


def problem(path, what):
    problems.append(f"{path}: {what}")


def parts(path):
    """The column names and rows of a gsim TSV, read by hand."""
    header, rows = None, []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            if header is None:
                header = line.split("\t")
            else:
                rows.append(line.split("\t"))
    return header, rows


def is_number(s):
    try:
        float(s)
        return True
    except ValueError:
        return False


def unescape(s):
    """A TSV field as gsim escaped it (backslash, \\n, \\t, \\r, \\xHH), back to its
    text: CSV and JSON hold the text itself."""
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            if n in "ntr\\":
                out.append({"n": "\n", "t": "\t", "r": "\r", "\\": "\\"}[n])
                i += 2
                continue
            if n == "x" and i + 3 < len(s) + 0:
                out.append(chr(int(s[i + 2:i + 4], 16)))
                i += 4
                continue
        out.append(c)
        i += 1
    return "".join(out)


def same_frames(path, a, b):
    """Whether frames A and B hold the same table (numbers within 1e-12), the
    TSV's A with its text unescaped."""
    a = a.rename(columns=unescape)
    for c in a.columns:
        if a[c].dtype == object:
            a[c] = a[c].map(lambda v: unescape(v) if isinstance(v, str) else v)
    if list(a.columns) != list(b.columns) or a.shape != b.shape:
        problem(path, f"columns or shape {list(b.columns)[:4]} {b.shape} differ from the "
                      f"TSV's {list(a.columns)[:4]} {a.shape}")
        return
    for c in a.columns:
        x, y = a[c].tolist(), b[c].tolist()
        for i, (u, v) in enumerate(zip(x, y)):
            fu = isinstance(u, float) and math.isnan(u)
            fv = v is None or (isinstance(v, float) and math.isnan(v))
            if fu and fv:
                continue
            if isinstance(u, (int, float)) and isinstance(v, (int, float)):
                if abs(u - v) <= 1e-12 * (1 + abs(u)):
                    continue
            elif str(u) == str(v):
                continue
            problem(path, f"row {i + 1}, column {c}: {v!r} where the TSV has {u!r}")
            return


def check_tsv(path):
    header, rows = parts(path)
    if header is None:
        problem(path, "no column line")
        return None
    for name in header:
        if is_number(name):
            problem(path, f"a column is named '{name}': the column line is missing "
                          "or is a row")
    for i, r in enumerate(rows):
        if len(r) != len(header):
            problem(path, f"data row {i + 1} has {len(r)} fields, the header {len(header)}")
            return None
    with open(path, encoding="utf-8", newline="") as f:
        lines = [l for l in f if l.strip() and not l.startswith("#")]
    got = list(csv.reader(lines, delimiter="\t"))
    if got[0] != header or len(got) != len(rows) + 1:
        problem(path, f"csv module: header {got[0][:4]}, {len(got) - 1} rows; expected "
                      f"{header[:4]}, {len(rows)} rows")
    df = pd.read_csv(path, sep="\t", comment="#")
    if list(df.columns) != header or df.shape != (len(rows), len(header)):
        problem(path, f"pandas: columns {list(df.columns)[:4]}, shape {df.shape}; expected "
                      f"{header[:4]}, ({len(rows)}, {len(header)})")
    return df


def check_r(path, header, nrows):
    code = ('d <- read.delim(commandArgs(TRUE)[1], comment.char="#", check.names=FALSE); '
            'cat(nrow(d), ncol(d), "\\n"); cat(names(d), sep="\\t")')
    r = subprocess.run(["Rscript", "-e", code, path], capture_output=True, text=True,
                       timeout=60)
    if r.returncode != 0:
        problem(path, f"R read.delim failed: {r.stderr.strip()[:200]}")
        return
    dims, names = (r.stdout.split("\n", 1) + [""])[:2]
    if dims.split() != [str(nrows), str(len(header))] or names.split("\t") != header:
        problem(path, f"R read.delim: {dims.strip()} and names {names.split(chr(9))[:4]}; "
                      f"expected {nrows} {len(header)} and {header[:4]}")


def main(dirs):
    have_r = shutil.which("Rscript") is not None
    n = 0
    for d in dirs:
        for name in sorted(os.listdir(d)):
            path = os.path.join(d, name)
            if not name.endswith(".tsv"):
                continue
            n += 1
            df = check_tsv(path)
            if df is None:
                continue
            header, rows = parts(path)
            if have_r:
                check_r(path, header, len(rows))
            base = path[:-4]
            if os.path.exists(base + ".csv"):
                same_frames(base + ".csv", df, pd.read_csv(base + ".csv", comment="#"))
            if os.path.exists(base + ".json"):
                with open(base + ".json", encoding="utf-8") as f:
                    j = json.load(f)
                if not j.get("provenance"):
                    problem(base + ".json", "no provenance")
                same_frames(base + ".json", df, pd.DataFrame(j["data"], columns=j["columns"]))
    if n == 0:
        problem(" ".join(dirs), "no .tsv file")
    for p in problems:
        print(p)
    print(f"{n} tables read by csv, pandas{', R' if have_r else ''}: "
          f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
