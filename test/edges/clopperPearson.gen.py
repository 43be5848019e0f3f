"""Generates clopperPearson.fixture.json: scipy.stats.binomtest(k, n).proportion_ci(c, method='exact').
Run: python3 test/edges/clopperPearson.gen.py > test/edges/clopperPearson.fixture.json"""
import json
import scipy
from scipy.stats import binomtest

cases = [(50, 100, 0.999999), (0, 1, 0.95), (1, 1, 0.95), (3, 7, 0.9), (17, 29, 0.99), (1, 400, 0.95),
         (399, 400, 0.999), (12, 20, 0.5), (5, 10, 0.999999)]
out = []
for k, n, c in cases:
    ci = binomtest(k, n).proportion_ci(c, method='exact')
    out.append({"k": k, "n": n, "confidence": c, "low": ci.low, "high": ci.high})
print(json.dumps({"reference": f"scipy {scipy.__version__}", "cases": out}, indent=1))
