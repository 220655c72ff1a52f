"""Draw a results JSON of Tools/bench/run as a PNG bar chart of the ratios.

    /usr/bin/python3 Tools/bench/chart.py RESULTS.json CHART.png

One horizontal group of bars per benchmark (and one per group geometric
mean), one bar per contender other than the baseline, on a log scale with
the baseline at 1.  The headline contender (the JSON's "headline",
ember-jit by default) is drawn first (the top bar of each group), in a
strong colour with its ratio written at the end of its bars, first in the
legend, and its overall geometric mean is in the title.  Runs with Debian's python3 and python3-matplotlib; it
reads nothing but the JSON file.
"""

import json
import math
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402


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
    headline = report.get("headline")
    if headline not in names:
        headline = names[0]
    names.remove(headline)
    names.insert(0, headline)
    rows = rows_of(report, names)
    height = 0.8 / len(names)
    fig, ax = plt.subplots(figsize=(9, 0.28 * len(rows) * max(1, len(names))
                                    ** 0.5 + 1.5))
    # The headline in a strong colour; the others in lighter ones.
    others = ["#9ecae1", "#a1d99b", "#fdae6b", "#bcbddc", "#d9d9d9"]
    for i, name in enumerate(names):
        ys, xs = [], []
        for j, (_, ratios) in enumerate(rows):
            if ratios.get(name):
                # The first contender is the top bar of each group.
                ys.append(len(rows) - 1 - j + ((len(names) - 1) / 2 - i)
                          * height)
                xs.append(ratios[name])
        # Bars grow from the baseline's 1.0 to the ratio, either way.
        if name == headline:
            ax.barh(ys, [x - 1 for x in xs], height=height, left=1,
                    color="#d62728", edgecolor="black", linewidth=0.5,
                    label="%s (headline)" % name, zorder=3)
            for y, x in zip(ys, xs):
                ax.annotate("%.2fx" % x, (x, y), xytext=(3 if x >= 1 else -3, 0),
                            textcoords="offset points", va="center",
                            ha="left" if x >= 1 else "right", fontsize=6,
                            color="#d62728", fontweight="bold")
        else:
            ax.barh(ys, [x - 1 for x in xs], height=height, left=1,
                    color=others[(i - 1) % len(others)], label=name,
                    zorder=2)
    ax.set_xscale("log")
    # Ratios as 0.5x, 2x rather than powers of ten.
    ratio_fmt = matplotlib.ticker.FuncFormatter(lambda x, _: "%gx" % x)
    ax.xaxis.set_major_formatter(ratio_fmt)
    ax.xaxis.set_minor_formatter(ratio_fmt)
    ax.tick_params(axis="x", which="minor", labelsize=6)
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
    overall = rows[-1][1].get(headline)
    if overall and report["metric"] == "memory":
        title = "headline %s: peak RSS %.2fx of %s (geometric mean)" % (
            headline, overall, base)
    elif overall:
        title = "headline %s: %.2fx vs %s (geometric mean)" % (
            headline, overall, base)
    else:
        title = "headline %s: no ratio" % headline
    ax.set_title("Ember benchmarks, %s (%s)\n%s"
                 % (report["metric"], report["date"][:10], title),
                 fontsize=10)
    ax.title.set_fontweight("bold")
    ax.legend(fontsize=8, loc="best")
    ax.grid(axis="x", which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(png_path, dpi=110)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: chart.py RESULTS.json CHART.png")
    main(sys.argv[1], sys.argv[2])
