"""Generates clopperPearson.fixture.json (scipy 1.17): the first cases from
scipy.stats.binomtest(k, n).proportion_ci(c, method='exact'); the regression cases (field "via": "beta.ppf") from
scipy.stats.beta.ppf(alpha/2, k, n - k + 1) and beta.ppf(1 - alpha/2, k + 1, n - k) with alpha = 1 - c, the
definition: binomtest finds its bounds with brentq to an absolute tolerance, which is up to 5e-5 relative off
beta.ppf for bounds near 1e-9 and so no reference there.
Run: python3 test/edges/clopperPearson.gen.py > test/edges/clopperPearson.fixture.json"""
import json
import scipy
from scipy.stats import beta, binomtest

cases = [(50, 100, 0.999999), (0, 1, 0.95), (1, 1, 0.95), (3, 7, 0.9), (17, 29, 0.99), (1, 400, 0.95),
         (399, 400, 0.999), (12, 20, 0.5), (5, 10, 0.999999)]
# Lower bounds near 0 (one or two successes, a high confidence): clopperPearsonInterval had a Beta quantile that
# stopped its bisection at an absolute width of 1e-17, 1.0e-9 to 5.3e-7 relative off beta.ppf here; the one kept
# stops on adjacent doubles (6e-12 to 1.8e-11). (1, 200, 0.999999) at 8.9e-10 and (2, 1000000, 0.9999) at 2.8e-10
# were just inside 1e-9 and mark the edges of that range.
regression = [(1, 200, 0.999999), (1, 500, 0.999999), (1, 1000, 0.999999), (1, 10000, 0.999999),
              (1, 100000, 0.999999), (1, 1000000, 0.9999), (1, 1000000, 0.999), (2, 1000000, 0.9999)]
out = []
for k, n, c in cases:
    ci = binomtest(k, n).proportion_ci(c, method='exact')
    out.append({"k": k, "n": n, "confidence": c, "low": ci.low, "high": ci.high})
for k, n, c in regression:
    alpha = 1 - c
    low = 0.0 if k == 0 else float(beta.ppf(alpha / 2, k, n - k + 1))
    high = 1.0 if k == n else float(beta.ppf(1 - alpha / 2, k + 1, n - k))
    out.append({"k": k, "n": n, "confidence": c, "low": low, "high": high, "via": "beta.ppf"})
print(json.dumps({"reference": f"scipy {scipy.__version__}", "cases": out}, indent=1))
