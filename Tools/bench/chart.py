"""Draw a results JSON of Tools/bench/run as a PNG bar chart of the ratios.

    /usr/bin/python3 Tools/bench/chart.py RESULTS.json CHART.png

One horizontal group of bars per benchmark (and one per group geometric
mean), one bar per contender other than the baseline, on a log scale with
the baseline at 1.  Runs with Debian's python3 and python3-matplotlib; it
reads nothing but the JSON file.
"""

import json
import math
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def geomean(xs):
    xs = [x for x in xs if x]
    return math.exp(sum(map(math.log, xs)) / len(xs)) if xs else None


def rows_of(report, names):
    """[(label, {contender: ratio})] in the JSON's order (the table's),
    with a geometric-mean row after each group and one for all."""
    rows, groups = [], {}
    for b in report["benchmarks"]:
        groups.setdefault(b["group"], []).append(b)
    for group, benches in groups.items():
        for b in benches:
            rows.append((b["name"], {n: b["results"].get(n, {}).get("ratio")
                                     for n in names}))
        rows.append(("geomean " + group,
                     {n: geomean([b["results"].get(n, {}).get("ratio")
                                  for b in benches]) for n in names}))
    rows.append(("geomean (all)",
                 {n: geomean([b["results"].get(n, {}).get("ratio")
                              for b in report["benchmarks"]])
                  for n in names}))
    return rows


def main(json_path, png_path):
    with open(json_path) as f:
        report = json.load(f)
    base = report["baseline"]
    names = [c["name"] for c in report["contenders"] if c["name"] != base]
    if not names:
        sys.exit("chart: only the baseline ran; nothing to compare")
    rows = rows_of(report, names)
    height = 0.8 / len(names)
    fig, ax = plt.subplots(figsize=(9, 0.28 * len(rows) * max(1, len(names))
                                    ** 0.5 + 1.5))
    for i, name in enumerate(names):
        ys, xs = [], []
        for j, (_, ratios) in enumerate(rows):
            if ratios.get(name):
                ys.append(len(rows) - 1 - j + (i - (len(names) - 1) / 2)
                          * height)
                xs.append(ratios[name])
        # Bars grow from the baseline's 1.0 to the ratio, either way.
        ax.barh(ys, [x - 1 for x in xs], height=height, left=1, label=name)
    ax.set_xscale("log")
    ax.axvline(1.0, color="black", linewidth=0.8)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([label for label, _ in reversed(rows)], fontsize=7)
    for tick in ax.get_yticklabels():
        if tick.get_text().startswith("geomean"):
            tick.set_fontweight("bold")
    if report["metric"] == "memory":
        ax.set_xlabel("peak RSS relative to %s (lower uses less)" % base)
    else:
        what = "instructions" if report["metric"] == "instructions" \
            else "time"
        ax.set_xlabel("speed relative to %s, by %s (higher is faster)"
                      % (base, what))
    ax.set_title("Ember benchmarks, %s (%s)" % (report["metric"],
                                                 report["date"][:10]))
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(axis="x", which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(png_path, dpi=110)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: chart.py RESULTS.json CHART.png")
    main(sys.argv[1], sys.argv[2])
