#!/usr/bin/env python3
"""Baseline for bench/stats.ts: times scipy.stats.bootstrap (BCa, 9999 resamples, the mean) on the data file given
as argv[1] (little-endian float64), timing inside Python, and prints one JSON line."""
import json
import resource
import sys
import time

import numpy as np
import scipy
from scipy import stats

x = np.fromfile(sys.argv[1], dtype="<f8")
t0 = time.perf_counter()
res = stats.bootstrap((x,), np.mean, n_resamples=9999, method="BCa", rng=np.random.default_rng(1))
seconds = time.perf_counter() - t0
print(json.dumps({
    "scipy": scipy.__version__,
    "n": int(x.size),
    "seconds": seconds,
    "low": float(res.confidence_interval.low),
    "high": float(res.confidence_interval.high),
    "maxRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
