#!/usr/bin/env python3
"""Turns the rounds of bench/load/run.sh into results.md and one SVG chart per figure.

    python3 bench/load/summarize.py OUT_DIR

Reads OUT_DIR/results.tsv (one row per round, server, provider and run) and machine.txt; writes
OUT_DIR/results.md: per figure the median over the rounds with its range, the ratios between
providers in the same framework (NativeTLS / SunJSSE, NativeTLS / Netty's BoringSSL engine), the
server's CPU per 10,000 requests, latency, memory per idle connection; and OUT_DIR/chart-<run>.svg.
Standard library only (the charts are plain SVG).
"""
import collections
import csv
import os
import statistics
import sys

FRAMEWORKS = ["netty", "jetty", "tomcat"]
PROVIDERS = ["SunJSSE", "NativeTLS", "netty-openssl"]
PROVIDER_LABEL = {"SunJSSE": "SunJSSE", "NativeTLS": "NativeTLS", "netty-openssl": "Netty BoringSSL"}
COLOURS = {"SunJSSE": "#8c8c8c", "NativeTLS": "#1f77b4", "netty-openssl": "#ff7f0e"}
# run -> (title, column, unit, higher is better)
FIGURES = [
    ("keepalive-1k", "Keep-alive, 1 KiB responses", "requests_per_s", "requests/s", True),
    ("keepalive-64k", "Keep-alive, 64 KiB responses", "mb_per_s", "MB/s", True),
    ("close-1k", "Connection: close, 1 KiB (wrk resumes TLS: resumed connections)", "requests_per_s", "requests/s", True),
    ("s_time-new", "New full TLS 1.3 connections (openssl s_time -new)", "requests_per_s", "connections/s", True),
    ("s_time-reuse", "Resumed connections (openssl s_time -reuse)", "requests_per_s", "connections/s", True),
    ("h2-1k", "h2, 1 KiB responses (h2load, 16 streams per connection)", "requests_per_s", "requests/s", True),
    ("h2-64k", "h2, 64 KiB responses (h2load)", "mb_per_s", "MB/s", True),
    ("rate-1k", "p99 latency at a fixed moderate rate (50 connections, one request per 10 ms each)", "p99_ms", "ms", False),
    ("idle-memory", "Memory per idle TLS connection (heap + native)", "total_b_per_conn", "bytes", False),
]


def number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def load(path):
    rows = collections.defaultdict(list)
    with open(path) as f:
        for r in csv.DictReader(f, delimiter="\t"):
            heap, native = number(r.get("heap_b_per_conn")), number(r.get("native_b_per_conn"))
            if heap is not None and native is not None:
                r["total_b_per_conn"] = str(heap + native)
            rows[(r["server"], r["tls"], r["run"])].append(r)
    return rows


def values(rows, key, column):
    vs = [number(r.get(column)) for r in rows.get(key, [])]
    return [v for v in vs if v is not None and (v > 0 or column.endswith("per_conn"))]


def median(rows, key, column):
    vs = values(rows, key, column)
    return statistics.median(vs) if vs else None


def fmt(v, column):
    if v is None:
        return "-"
    if column in ("p50_ms", "p99_ms", "server_cpu_s_per_10k"):
        return f"{v:.2f}"
    if column == "mb_per_s" or v < 100:
        return f"{v:,.1f}"
    return f"{v:,.0f}"


def cell(rows, key, column):
    vs = values(rows, key, column)
    if not vs:
        return "-"
    m = statistics.median(vs)
    if len(vs) == 1:
        return fmt(m, column)
    return f"{fmt(m, column)} ({fmt(min(vs), column)}–{fmt(max(vs), column)})"


def ratio(a, b):
    return f"{a / b:.2f}" if a is not None and b else "-"


def columns(rows):
    present = {(s, t) for (s, t, _) in rows}
    return [(s, t) for s in FRAMEWORKS for t in PROVIDERS if (s, t) in present]


def label(server, tls):
    return PROVIDER_LABEL[tls] if tls == "netty-openssl" else f"{server.capitalize()} {PROVIDER_LABEL.get(tls, tls)}"


def ratios(rows, run, column, higher):
    """NativeTLS against SunJSSE per framework, and against Netty's engine: 'better' > 1."""
    out = []
    for s in FRAMEWORKS:
        n, j = median(rows, (s, "NativeTLS", run), column), median(rows, (s, "SunJSSE", run), column)
        if n is not None and j is not None:
            out.append(f"{s}: {ratio(n, j) if higher else ratio(j, n)}")
    n, b = median(rows, ("netty", "NativeTLS", run), column), median(rows, ("netty", "netty-openssl", run), column)
    if n is not None and b is not None:
        out.append(f"netty vs BoringSSL: {ratio(n, b) if higher else ratio(b, n)}")
    return "; ".join(out) if out else "-"


def svg_chart(path, title, unit, rows, run, column):
    groups = [s for s in FRAMEWORKS if any(median(rows, (s, t, run), column) is not None for t in PROVIDERS)]
    if not groups:
        return False
    bars = {(s, t): median(rows, (s, t, run), column) for s in groups for t in PROVIDERS}
    top = max(v for v in bars.values() if v is not None) or 1
    width, height, left, bottom, plot_h = 640, 300, 70, 50, 200
    group_w = (width - left - 20) / len(groups)
    bar_w = group_w / (len(PROVIDERS) + 1)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           f'<text x="{width / 2}" y="18" text-anchor="middle" font-size="13">{title}</text>',
           f'<line x1="{left}" y1="{30 + plot_h}" x2="{width - 10}" y2="{30 + plot_h}" stroke="black"/>',
           f'<text x="14" y="{30 + plot_h / 2}" transform="rotate(-90 14 {30 + plot_h / 2})" text-anchor="middle">{unit} (median)</text>']
    for gi, s in enumerate(groups):
        x0 = left + gi * group_w + bar_w / 2
        for ti, t in enumerate(PROVIDERS):
            v = bars[(s, t)]
            if v is None:
                continue
            h = plot_h * v / top
            x = x0 + ti * bar_w
            out.append(f'<rect x="{x:.1f}" y="{30 + plot_h - h:.1f}" width="{bar_w * 0.9:.1f}" height="{h:.1f}" fill="{COLOURS[t]}"/>')
            out.append(f'<text x="{x + bar_w * 0.45:.1f}" y="{26 + plot_h - h:.1f}" text-anchor="middle" font-size="10">{fmt(v, column)}</text>')
        out.append(f'<text x="{left + gi * group_w + group_w / 2:.1f}" y="{48 + plot_h}" text-anchor="middle">{s.capitalize()}</text>')
    for ti, t in enumerate(PROVIDERS):
        x = left + ti * 150
        out.append(f'<rect x="{x}" y="{height - 22}" width="12" height="12" fill="{COLOURS[t]}"/>')
        out.append(f'<text x="{x + 16}" y="{height - 12}">{PROVIDER_LABEL[t]}</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    return True


def main(out_dir):
    rows = load(os.path.join(out_dir, "results.tsv"))
    cols = columns(rows)
    rounds = sorted({r["round"] for rs in rows.values() for r in rs})
    md = [f"# Real servers under load ({os.path.basename(os.path.normpath(out_dir))})", "",
          "`bench/load/run.sh`; medians over the rounds (range in brackets); ratios are NativeTLS's",
          "figure over the other's in the same framework (for latency and memory: the other's over",
          "NativeTLS's), so above 1 is NativeTLS ahead. Raw rows: `results.tsv`; client output:",
          "`wrk.log`, `h2load.log`, `s_time.log`.", ""]
    machine = os.path.join(out_dir, "machine.txt")
    if os.path.exists(machine):
        md += ["```", open(machine).read().strip(), f"rounds in this file: {len(rounds)}", "```", ""]
    head = "| figure | " + " | ".join(label(s, t) for s, t in cols) + " | ratios |"
    sep = "| --- | " + " | ".join("---:" for _ in cols) + " | --- |"
    md += ["## Figures", "", head, sep]
    charts = []
    for run, title, column, unit, higher in FIGURES:
        if not any(values(rows, (s, t, run), column) for s, t in cols):
            continue
        md.append(f"| {title}, {unit} | " + " | ".join(cell(rows, (s, t, run), column) for s, t in cols)
                  + f" | {ratios(rows, run, column, higher)} |")
        if svg_chart(os.path.join(out_dir, f"chart-{run}.svg"), title, unit, rows, run, column):
            charts.append((run, title))
    md += ["", "## Server CPU seconds per 10,000 requests (connections for s_time)", "",
           "| run | " + " | ".join(label(s, t) for s, t in cols) + " | SunJSSE's over NativeTLS's |",
           "| --- | " + " | ".join("---:" for _ in cols) + " | --- |"]
    for run, _, _, _, _ in FIGURES:
        if any(values(rows, (s, t, run), "server_cpu_s_per_10k") for s, t in cols):
            md.append(f"| {run} | " + " | ".join(cell(rows, (s, t, run), "server_cpu_s_per_10k") for s, t in cols)
                      + f" | {ratios(rows, run, 'server_cpu_s_per_10k', False)} |")
    md += ["", "## Latency p50 / p99 (ms)", "", "| run | " + " | ".join(label(s, t) for s, t in cols) + " |",
           "| --- | " + " | ".join("---:" for _ in cols) + " |"]
    for run in ("keepalive-1k", "keepalive-64k", "close-1k", "rate-1k"):
        if any(values(rows, (s, t, run), "p99_ms") for s, t in cols):
            md.append(f"| {run} | " + " | ".join(
                f"{fmt(median(rows, (s, t, run), 'p50_ms'), 'p50_ms')} / {fmt(median(rows, (s, t, run), 'p99_ms'), 'p99_ms')}"
                for s, t in cols) + " |")
    if any(values(rows, (s, t, "idle-memory"), "heap_b_per_conn") for s, t in cols):
        md += ["", "## Memory per idle connection (bytes)", "",
               "| | " + " | ".join(label(s, t) for s, t in cols) + " |", "| --- | " + " | ".join("---:" for _ in cols) + " |"]
        for column, name in (("heap_b_per_conn", "Java heap (live, after full GC)"),
                             ("native_b_per_conn", "native (resident beyond the pre-touched heap)"),
                             ("total_b_per_conn", "total")):
            md.append(f"| {name} | " + " | ".join(cell(rows, (s, t, "idle-memory"), column) for s, t in cols) + " |")
    if charts:
        md += ["", "## Charts", ""] + [f"![{title}](chart-{run}.svg)" for run, title in charts]
    with open(os.path.join(out_dir, "results.md"), "w") as f:
        f.write("\n".join(md) + "\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
