#!/usr/bin/env python3
"""Prints the medians of the last `cargo bench --bench search` run (criterion's
target/criterion/*/*/new/estimates.json) as a Markdown table, with engine-vs-tantivy ratios (tantivy: plain BM25 + fuzzy over the same facts)."""
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


print("| knowledge base | engine build | tantivy build | engine, per question | tantivy, per question | engine ÷ tantivy |")
print("|---|---|---|---|---|---|")
rows = [("shipped (knowledge.toml)", median("shipped", "build"), None, median("shipped", "engine"), median("shipped", "tantivy"))]
for n in ("1000", "10000", "100000"):
    rows.append((f"synthetic, {int(n):,} facts", median("build", n), median("tantivy-build", n), median("ask", n), median("tantivy", n)))
for name, build, peer_build, engine, peer in rows:
    ratio = f"{engine / peer:.2f}" if engine and peer else "-"
    print(f"| {name} | {show(build)} | {show(peer_build)} | {show(engine)} | {show(peer)} | {ratio} |")
hostile = median("hostile", "100000")
if hostile:
    print(f"\n100 KB hostile question at 100,000 facts: median {show(hostile)}")
