#!/usr/bin/env python3
"""Prints the criterion results of `cargo bench -p skyrocket --bench peers` as
markdown tables (median time per workload per format, and the ratio of each
format to Skyrocket). Usage: report.py [CARGO_TARGET_DIR]"""
import json
import os
import sys

target = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("CARGO_TARGET_DIR", "target")
root = os.path.join(target, "criterion")
WORKLOADS = ["entities", "bools", "arena", "mk48", "log"]
FORMATS = ["skyrocket", "bitcode", "postcard", "rmp-serde", "prost", "serde_json"]


def median_ns(workload, op, fmt):
    # criterion replaces '/' in group names with '_' on disk
    path = os.path.join(root, f"{workload}_{op}", fmt, "new", "estimates.json")
    try:
        with open(path) as f:
            return json.load(f)["median"]["point_estimate"]
    except FileNotFoundError:
        return None


def show(ns):
    if ns is None:
        return "-"
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns:.0f} ns"


for op in ["encode", "decode"]:
    print(f"\n{op.capitalize()} time (median)\n")
    print("| workload | " + " | ".join(FORMATS) + " |")
    print("|---|" + "---:|" * len(FORMATS))
    for w in WORKLOADS:
        times = [median_ns(w, op, f) for f in FORMATS]
        cells = []
        for t in times:
            cell = show(t)
            if t is not None and times[0] and t is not times[0]:
                cell += f" ({t / times[0]:.1f}×)"
            cells.append(cell)
        print(f"| {w} | " + " | ".join(cells) + " |")
