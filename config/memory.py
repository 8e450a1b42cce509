"""How a serving process keeps Python's garbage collector out of the way.

A cold page over a thousand cities allocates tens of thousands of short-lived objects (rows,
chart points), and with the default thresholds the collector ran about a dozen times per
request, re-scanning everything the process loaded at start (the settings, URL patterns,
templates, libraries): 14 ms a request, measured by bench/dashboard.py. Freezing what is
loaded at start moves it out of the collector's sight, and a larger first-generation
threshold lets a request's garbage die young in fewer passes: 3 ms. Memory cost: at most a
few thousand more young objects waiting between passes.
"""

import gc

# Objects allocated before a first-generation pass (CPython's default: 700).
YOUNG_THRESHOLD = 7_000


def tune_garbage_collector() -> None:
    """Call once the application is loaded (config/wsgi.py; the benchmarks, which time the
    application as it is served)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, 20, 20)
