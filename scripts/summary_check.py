#!/usr/bin/env python3
"""Checks a headless run's summary JSON (--summary-json): every count adds up and no thread is left.

The soak run (scripts/soak.py) imports it; the signals smoke test (tests/smoke/signals.sh) runs it:

    python3 scripts/summary_check.py SUMMARY.json   # prints what is wrong; exits 1 if anything is, 2 on bad use
"""

import json
import sys


def balanced(counts):
    """The engine's invariant: submitted == queued + running + completed + failed + cancelled."""
    return counts["submitted"] == (counts["queued"] + counts["running"] + counts["completed"] +
                                   counts["failed"] + counts["cancelled"])


def problems(summary):
    """What is wrong with a parsed summary, as sentences; empty when nothing is."""
    found = []
    every = [("the pool's events", summary["pool"]["events"]), ("the tasks", summary["tasks"]["counts"])]
    if "processes" in summary:
        every.append(("the process jobs", summary["processes"]["jobs"]))
    every += [(f"session {s['id']}'s {kind}", s[kind]) for s in summary["sessions"] for kind in ("tasks", "events")]
    unbalanced = [(what, counts) for what, counts in every if not balanced(counts)]
    if unbalanced:
        what, counts = unbalanced[0]
        found.append(f"the accounting of {what} does not add up: {counts} ({len(unbalanced)} such)")
    if summary["threads_left"] != 0:
        found.append(f"{summary['threads_left']} threads left after the run")
    return found


def main():
    if len(sys.argv) != 2:
        print("usage: summary_check.py SUMMARY.json", file=sys.stderr)
        sys.exit(2)
    try:
        with open(sys.argv[1]) as file:
            summary = json.load(file)
        found = problems(summary)
    except (OSError, ValueError, KeyError, TypeError) as error:
        sys.exit(f"{sys.argv[1]}: not a readable summary: {error!r}")
    if found:
        sys.exit(f"{sys.argv[1]}: " + "; ".join(found))


if __name__ == "__main__":
    main()
