#!/usr/bin/env python3
"""Draws the hit-rate simulation's results as one panel per workload shape: hit rate against cache size, one line
per policy. Needs matplotlib (Debian: python3-matplotlib).

    java -cp benchmarks/target/benchmarks.jar dev.quiver.benchmarks.HitRateSimulation hit-rates.tsv
    python3 benchmarks/hit-rate-chart.py hit-rates.tsv benchmarks/hit-rates.png
"""
import csv
import sys
from collections import defaultdict

import matplotlib
import matplotlib.ticker

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

POLICIES = [("OPT", "#999999", ":"), ("LRU", "#d62728", "--"), ("Caffeine", "#1f77b4", "-"),
            ("ArrowCache", "#2ca02c", "-")]


def main(source, target):
    rates = defaultdict(lambda: defaultdict(dict))
    shapes = []
    with open(source, newline="") as tsv:
        for row in csv.DictReader(tsv, delimiter="\t"):
            if row["shape"] not in shapes:
                shapes.append(row["shape"])
            rates[row["shape"]][row["policy"]][int(row["size"])] = float(row["hit_rate"])
    columns = 4
    rows = (len(shapes) + columns - 1) // columns
    figure, axes = plt.subplots(rows, columns, figsize=(4 * columns, 3.4 * rows), squeeze=False)
    for index, shape in enumerate(shapes):
        axis = axes[index // columns][index % columns]
        for policy, colour, style in POLICIES:
            points = sorted(rates[shape][policy].items())
            axis.plot([size for size, _ in points], [rate for _, rate in points], style, color=colour,
                      marker="o", markersize=4, linewidth=2 if policy == "ArrowCache" else 1.5, label=policy)
        axis.set_title(shape.replace("_", " "))
        axis.set_xscale("log")
        sizes = sorted(rates[shape]["ArrowCache"])
        axis.set_xticks(sizes, [f"{size:,}" for size in sizes])
        axis.xaxis.set_minor_locator(matplotlib.ticker.NullLocator())
        axis.set_xlabel("cache size (entries)")
        axis.set_ylabel("hit rate (%)")
        axis.set_ylim(bottom=0)
        axis.grid(True, which="both", alpha=0.3)
    for index in range(len(shapes), rows * columns):
        axes[index // columns][index % columns].axis("off")
    handles, labels = axes[0][0].get_legend_handles_labels()
    figure.suptitle("Hit rate against cache size, per workload shape (one thread, get with a loader)")
    if len(shapes) < rows * columns:
        # an empty panel is left: the legend goes there
        figure.legend(handles, labels, loc="lower right", bbox_to_anchor=(0.97, 0.12), fontsize="large")
        figure.tight_layout()
    else:
        figure.legend(handles, labels, loc="lower center", ncol=len(POLICIES), fontsize="large")
        figure.tight_layout(rect=(0, 0.06, 1, 1))
    figure.savefig(target, dpi=110)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
