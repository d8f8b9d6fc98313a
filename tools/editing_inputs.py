#!/usr/bin/env python3
"""Large inputs for timing the editor's tools from the command line (docs/editing.md, "Cost").

    tools/editing_inputs.py article 14e6 > /tmp/article-14mb.txt        # seed articles repeated
    tools/editing_inputs.py article 14e6 --vary > /tmp/article-vary.txt  # each copy a little different
    tools/editing_inputs.py declined 36000 > /tmp/declined.log           # distinct questions, ~10 MiB

Built from the seed articles in tests/fixtures/ with a fixed random seed, so the same command
gives the same file. `cargo bench --bench editing` builds its own inputs the same way.
"""
import json
import pathlib
import random
import sys

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures"
SEEDS = [(FIXTURES / name).read_text() for name in ("000_125b051075eac243.txt", "004_3527bf20e9a7bf09.txt")]


def article(size, vary):
    out, total, copy = [], 0, 0
    while total < size:
        for seed in SEEDS:
            text = seed
            if vary:
                # Other names and years per copy: no sentence repeats an earlier one exactly.
                text = text.replace("India", f"India{copy}" if copy % 2 else "India")
                text = text.replace("2022", str(1990 + copy % 100))
            out.append(text)
            total += len(text.encode()) + 2
            copy += 1
    return "\n\n".join(out)


def declined(lines):
    strip = '.,“”"()’\''
    words = {w.strip(strip).lower() for seed in SEEDS for w in seed.split()}
    vocabulary = sorted(w for w in words if w.isalpha())
    vocabulary += "weather recipe football cricket movie train flight visa hotel price".split()
    rng = random.Random(2)
    out, seen = [], set()
    while len(out) < lines:
        question = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(3, 30)))[:200]
        if question in seen:
            continue
        seen.add(question)
        out.append(json.dumps({
            "question": question, "user": "%016x" % rng.getrandbits(64), "topic": None,
            "confidence": 0.1, "suggestions": [], "fingerprint": "x", "time": "2026-11-20T10:00:00Z",
        }))
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    kind, amount = sys.argv[1], float(sys.argv[2])
    if kind == "article":
        sys.stdout.write(article(int(amount), "--vary" in sys.argv))
    elif kind == "declined":
        sys.stdout.write(declined(int(amount)))
    else:
        sys.exit(__doc__)
