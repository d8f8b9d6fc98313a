#!/usr/bin/env python3
"""Prints the medians of the last `cargo bench --bench search` run (criterion's
target/criterion/*/*/new/estimates.json) as a Markdown table, with engine-vs-naive ratios."""
import json, pathlib

root = pathlib.Path(__file__).resolve().parent.parent / "target" / "criterion"


def median(group, name):
    path = root / group / name / "new" / "estimates.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())["median"]["point_estimate"]  # nanoseconds


def show(ns):
    if ns is None:
        return "-"
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


print("| knowledge base | build | engine, per question | naive strsim, per question | naive ÷ engine |")
print("|---|---|---|---|---|")
rows = [("shipped (knowledge.toml)", median("shipped", "build"), median("shipped", "engine"), median("shipped", "naive"))]
for n in ("1000", "10000", "100000"):
    rows.append((f"synthetic, {int(n):,} facts", median("build", n), median("ask", n), median("naive", n)))
for name, build, engine, naive in rows:
    ratio = f"{naive / engine:,.0f}×" if engine and naive else "-"
    print(f"| {name} | {show(build)} | {show(engine)} | {show(naive)} | {ratio} |")
hostile = median("hostile", "100000")
if hostile:
    print(f"\n100 KB hostile question at 100,000 facts: median {show(hostile)}")
