#!/usr/bin/env python3
"""Grid search of the confidence weights and decline threshold, with a 5-fold
cross-validated estimate of how the chosen setting does on questions it was not tuned on.

Usage:
  cargo run --release -- eval tests/eval/tune.toml --dump /tmp/dump.jsonl
  python3 tools/tune.py /tmp/dump.jsonl

It re-ranks each question's five dumped candidates under each setting, so it is exact for
weights near the current ones and approximate far from them (a candidate outside the top
five cannot come back).
"""
import json, random, sys

# The mismatch factors of src/search/score.rs (kept in step by hand).
ENTITY_MISMATCH, INTENT_MISMATCH, EXPANSION_MISMATCH = 0.55, 0.5, 0.25
UNKNOWN_FOCUS, EVENT_MISMATCH, COUNTED = 0.9, 0.6, 4
SIDE_MISMATCH = 0.5
WEIGHTS = [0.1, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.6]
THRESHOLDS = [x / 100 for x in range(30, 61)]


def confidence(c, w):
    blend = w[0] * c["coverage"] + w[1] * c["question"] + w[2] * c["bm25"]
    blend *= ENTITY_MISMATCH ** min(c["entity_mismatches"], COUNTED)
    blend *= UNKNOWN_FOCUS ** min(c.get("unknown_words", 0), COUNTED)
    blend *= INTENT_MISMATCH if c.get("intent_mismatch") else 1.0
    blend *= EXPANSION_MISMATCH if c.get("expansion_mismatch") else 1.0
    blend *= SIDE_MISMATCH if c.get("side_mismatch") else 1.0
    blend *= EVENT_MISMATCH if c.get("actor_of_other_event") else 1.0
    return blend * (EVENT_MISMATCH if c.get("event_mismatch") else 1.0)


def score(rows, w, t):
    right = answerable = declined = out_of_scope = 0
    for r in rows:
        ranked = sorted(r["top"], key=lambda c: (-confidence(c, w), c["fact_id"]))
        best = ranked[0] if ranked else None
        no = best is None or confidence(best, w) < t
        if r["expect"] == ["no_match"]:
            out_of_scope += 1
            declined += no
        else:
            answerable += 1
            right += (not no) and best["fact_id"] in r["expect"]
    return right / answerable, declined / out_of_scope


def settings():
    for wc in WEIGHTS:
        for wq in WEIGHTS:
            for wb in WEIGHTS:
                if abs(wc + wq + wb - 1) < 1e-6:
                    yield (wc, wq, wb)


def best_setting(rows):
    best = None
    for w in settings():
        for t in THRESHOLDS:
            top1, declined = score(rows, w, t)
            key = (min(top1, declined), top1 + declined)
            if best is None or key > best[0]:
                best = (key, w, t)
    return best[1], best[2]


rows = [json.loads(line) for line in open(sys.argv[1])]
w, t = best_setting(rows)
print("best on all questions: weights", w, "threshold", t, "->", score(rows, w, t))
random.seed(7)
order = list(range(len(rows)))
random.shuffle(order)
folds = [order[i::5] for i in range(5)]
totals = [0, 0, 0, 0]
for k, fold in enumerate(folds):
    held = set(fold)
    train = [rows[i] for i in order if i not in held]
    test = [rows[i] for i in fold]
    w, t = best_setting(train)
    top1, declined = score(test, w, t)
    n_ans = sum(r["expect"] != ["no_match"] for r in test)
    n_oos = len(test) - n_ans
    totals[0] += top1 * n_ans; totals[1] += n_ans; totals[2] += declined * n_oos; totals[3] += n_oos
    print(f"fold {k}: tuned {w} t={t} -> held-out top-1 {top1:.3f} declined {declined:.3f}")
print(f"cross-validated: top-1 {totals[0]/totals[1]:.3f}, declined {totals[2]/totals[3]:.3f}")
