"""Baseline for bench/metrics.ts: NLTK's sentence_bleu on the same pre-tokenized pairs.

Reads a JSON file written by bench/metrics.ts: {"pairs": [{"hyp": [tokens], "refs": [[tokens], ...]}], "repeat": R}.
Tokenization (sacrebleu 13a) was done once in Node, so only the scoring is timed here. Smoothing is NLTK's
method3 (NIST geometric sequence smoothing, the same idea as sacrebleu's 'exp'). Timing is the best of 5 rounds. Prints one JSON line:
{"nltk": version, "pairs_per_second": ..., "seconds": ..., "scored": ..., "mean_bleu": ...}.
"""
import json
import sys
import time

import nltk
from nltk.translate.bleu_score import SmoothingFunction, sentence_bleu


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    pairs = [(p["refs"], p["hyp"]) for p in spec["pairs"]]
    repeat = int(spec["repeat"])
    smooth = SmoothingFunction().method3
    scores = [sentence_bleu(refs, hyp, smoothing_function=smooth) for refs, hyp in pairs]  # warm-up
    # Best of 5 rounds (timeit's convention): the least disturbed by other processes on a shared machine.
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(repeat):
            for refs, hyp in pairs:
                sentence_bleu(refs, hyp, smoothing_function=smooth)
        best = min(best, time.perf_counter() - start)
    seconds = best
    scored = repeat * len(pairs)
    print(json.dumps({
        "nltk": nltk.__version__,
        "python": sys.version.split()[0],
        "pairs_per_second": scored / seconds,
        "seconds": seconds,
        "scored": scored,
        "mean_bleu": 100 * sum(scores) / len(scores),
    }))


if __name__ == "__main__":
    main()
