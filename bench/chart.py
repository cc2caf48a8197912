#!/usr/bin/env python3
"""Turns one run of bench/run.sh into a Markdown report and a chart.

    python3 bench/chart.py bench/results/<date>

Reads, from that directory:
  jmh-<openssl>-t<N>.json   JMH results (-rf json), <openssl> being openssl-3.0 or openssl-3.5
  jmh-<openssl>-t<N>.log    JMH output: why a benchmark failed (unavailable provider, suite it cannot run)
  c-<openssl>.txt           tls_bench output: "name value unit" lines, '#' comments
  machine.txt               what run.sh recorded about the machine
and writes results.md (tables: NativeTLS as a ratio of the C ceiling and of each peer, allocation
per operation, notes) and results-<openssl>.png (needs matplotlib; skipped with a note if missing).

Only the standard library is needed for the tables.
"""
import glob
import json
import os
import re
import sys

PROVIDERS = ["NativeTLS", "SunJSSE", "Conscrypt", "Netty-OpenSSL", "BCJSSE"]
PEERS = PROVIDERS[1:]
FAMILIES = [
    ("full_handshake", "Full handshakes", "handshakes/s"),
    ("resumed_handshake", "Resumed handshakes", "handshakes/s"),
    ("bulk", "Bulk throughput (one write wrapped by the client, unwrapped by the server)", "MB/s"),
]
HANDSHAKE_ORDER = ["TLS13_ECDSA_P256", "TLS13_RSA_2048", "TLS12_ECDHE_ECDSA_AES128_GCM", "tls13Ticket",
                   "tls12SessionId"]
SUITE_ORDER = ["TLS13_AES_128_GCM", "TLS13_AES_256_GCM", "TLS13_CHACHA20_POLY1305", "TLS12_ECDHE_ECDSA_AES128_GCM"]


class Result:
    def __init__(self, value, error=None, alloc=None, resumed=None):
        self.value = value
        self.error = error
        self.alloc = alloc
        self.resumed = resumed  # fraction of handshakes resumed, for resumed_handshake


def config_sort_key(config):
    """Handshake configs in their fixed order; bulk as suite, size, buffers."""
    parts = config.split("/")
    if len(parts) == 1:
        return (HANDSHAKE_ORDER.index(parts[0]) if parts[0] in HANDSHAKE_ORDER else 99,)
    suite = SUITE_ORDER.index(parts[0]) if parts[0] in SUITE_ORDER else 99
    size = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    buffers = parts[2] if len(parts) > 2 else ""
    return (100, buffers != "heap", size, suite)


def read_jmh(path):
    """{(family, config, threads): {provider: Result}} from one JMH JSON file."""
    out = {}
    try:
        with open(path) as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        print(f"chart.py: cannot read {path}: {e}", file=sys.stderr)
        return out
    for b in data:
        name = b["benchmark"].rsplit(".", 2)
        cls, method = name[-2], name[-1]
        params = b.get("params", {})
        provider = params.get("provider")
        threads = b.get("threads", 1)
        pm = b["primaryMetric"]
        score, err = pm["score"], pm.get("scoreError")
        err = err if isinstance(err, (int, float)) and err == err else None  # NaN when one iteration
        sec = b.get("secondaryMetrics", {})
        alloc = sec.get("gc.alloc.rate.norm", {}).get("score")
        resumed = None
        if cls == "HandshakeBenchmark":
            key = ("full_handshake", params["config"], threads)
        elif cls == "ResumptionBenchmark":
            key = ("resumed_handshake", method, threads)
            r = sec.get("resumed", {}).get("score", 0.0)
            full = sec.get("full", {}).get("score", 0.0)
            resumed = r / (r + full) if r + full > 0 else None
        elif cls == "BulkBenchmark":
            size = int(params["size"])
            key = ("bulk", f"{params['suite']}/{size}/{params['buffers']}", threads)
            score = score * size / 1e6
            err = err * size / 1e6 if err is not None else None
        else:
            continue
        out.setdefault(key, {})[provider] = Result(score, err, alloc, resumed)
    return out


def read_c(path):
    """{(family, config, threads): value} from tls_bench output; bulk keys lack the buffer kind."""
    out = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split()
            if len(parts) < 3:
                continue
            name, value = parts[0], float(parts[1])
            fields = name.split("/")
            threads = int(fields[-1][1:]) if fields[-1].startswith("t") else 1
            out[(fields[0], "/".join(fields[1:-1]), threads)] = value
    return out


def read_failures(paths):
    """Why benchmarks are missing: the lines the harness prints when a provider can't run.

    Returns [(provider, kind, config or None, text)], kind being "unavailable", "cannot run" or
    "cannot set up"."""
    reasons = []
    pattern = re.compile(r"(provider (\S+) (unavailable|cannot run|cannot set up)( ([A-Za-z0-9_]+))?.*)$")
    for path in paths:
        try:
            with open(path, errors="replace") as f:
                for line in f:
                    m = pattern.search(line.strip())
                    if m:
                        config = m.group(5) if m.group(3) != "unavailable" else None
                        entry = (m.group(2), m.group(3), config, m.group(1))
                        if entry not in reasons:
                            reasons.append(entry)
        except OSError:
            pass
    return reasons


def missing_cell(failures, provider, config):
    """What to show for a provider with no result for config: why, if the logs say."""
    for p, kind, cfg, _ in failures:
        if p != provider:
            continue
        if kind == "unavailable":
            return "unavailable"
        if cfg is not None and config.split("/")[0] == cfg:
            return kind
    return "n/a"


def fmt(v, unit=""):
    if v is None:
        return "n/a"
    if v >= 1000:
        s = f"{v:,.0f}"
    elif v >= 100:
        s = f"{v:.0f}"
    elif v >= 10:
        s = f"{v:.1f}"
    else:
        s = f"{v:.2f}"
    return s + unit


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "n/a"
    return f"{a / b:.2f}"


def c_value(cdata, family, config, threads):
    if family == "bulk":
        config = "/".join(config.split("/")[:2])  # the C program has no heap/direct distinction
    return cdata.get((family, config, threads))


def tables(tag, jmh, cdata, peer_jmh, peer_tag, failures, peer_failures):
    """Markdown for one OpenSSL variant."""
    lines = [f"## {tag}", ""]
    if peer_tag != tag:
        lines += [f"NativeTLS and the C ceiling on {tag}; the peers' numbers are those of the {peer_tag} run "
                  "(they do not use the system OpenSSL).", ""]
    keys = set(jmh) | set(peer_jmh) | {k for k in cdata if k[0] != "bulk"}
    for k in cdata:
        if k[0] == "bulk":
            for buffers in ("heap", "direct"):
                keys.add((k[0], f"{k[1]}/{buffers}", k[2]))
    for family, title, unit in FAMILIES:
        fkeys = sorted((k for k in keys if k[0] == family), key=lambda k: (k[2], config_sort_key(k[1])))
        if not fkeys:
            continue
        lines += [f"### {title} ({unit})", ""]
        measured = [k for k in fkeys if jmh.get(k) or any(p in peer_jmh.get(k, {}) for p in PEERS)]
        if not measured:
            lines += [f"No JMH results in this run; the C ceiling's numbers are in c-{tag}.txt.", ""]
            continue
        fkeys = measured
        head = ["config", "threads", "C ceiling", "NativeTLS"] + PEERS
        head += ["NativeTLS / C"] + [f"NativeTLS / {p}" for p in PEERS]
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|" + "|".join(["---"] * 2 + ["---:"] * (len(head) - 2)) + "|")
        for key in fkeys:
            _, config, threads = key
            row = [config, str(threads)]
            c = c_value(cdata, family, config, threads)
            values = {}
            for p in PROVIDERS:
                src = jmh if p == "NativeTLS" else peer_jmh
                r = src.get(key, {}).get(p)
                values[p] = r
            nt = values["NativeTLS"].value if values["NativeTLS"] else None
            row.append(fmt(c))
            for p in PROVIDERS:
                r = values[p]
                cell = fmt(r.value) if r else missing_cell(failures if p == "NativeTLS" else peer_failures, p,
                                                           config)
                if r and r.error:
                    cell += f" ± {fmt(r.error)}"
                if r and r.resumed is not None:
                    cell += f" ({r.resumed:.0%} resumed)"
                row.append(cell)
            row.append(ratio(nt, c))
            for p in PEERS:
                row.append(ratio(nt, values[p].value if values[p] else None))
            lines.append("| " + " | ".join(row) + " |")
        lines.append("")
    # Allocation
    alloc_rows = []
    for key in sorted(set(jmh) | set(peer_jmh), key=lambda k: ([f[0] for f in FAMILIES].index(k[0]), k[2],
                                                                  config_sort_key(k[1]))):
        cells = []
        any_alloc = False
        for p in PROVIDERS:
            src = jmh if p == "NativeTLS" else peer_jmh
            r = src.get(key, {}).get(p)
            a = r.alloc if r else None
            any_alloc = any_alloc or a is not None
            cells.append(fmt(a))
        if any_alloc:
            alloc_rows.append("| " + " | ".join([key[0], key[1], str(key[2])] + cells) + " |")
    if alloc_rows:
        lines += ["### Allocation per operation (bytes, JMH -prof gc: gc.alloc.rate.norm)", ""]
        lines.append("| benchmark | config | threads | " + " | ".join(PROVIDERS) + " |")
        lines.append("|---|---|---|" + "|".join(["---:"] * len(PROVIDERS)) + "|")
        lines += alloc_rows
        lines.append("")
    return lines


SHORT = {"TLS13_ECDSA_P256": "1.3 ECDSA P-256", "TLS13_RSA_2048": "1.3 RSA-2048",
         "TLS12_ECDHE_ECDSA_AES128_GCM": "1.2 ECDHE-ECDSA\nAES128-GCM", "tls13Ticket": "1.3 ticket",
         "tls12SessionId": "1.2 session id", "TLS13_AES_128_GCM": "1.3\nAES128-GCM",
         "TLS13_AES_256_GCM": "1.3\nAES256-GCM", "TLS13_CHACHA20_POLY1305": "1.3\nChaCha20"}


def short_label(config):
    parts = config.split("/")
    if len(parts) == 1:
        return SHORT.get(parts[0], parts[0])
    suite = "1.2\nAES128-GCM" if parts[0] == "TLS12_ECDHE_ECDSA_AES128_GCM" else SHORT.get(parts[0], parts[0])
    size = parts[1]
    size = f"{int(size) // 1024} KiB" if size.isdigit() and int(size) % 1024 == 0 else size
    return f"{suite}\n{size}"


def chart(tag, jmh, cdata, peer_jmh, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "matplotlib is not installed: no chart (apt-get install python3-matplotlib)"
    threads = sorted({k[2] for k in list(jmh) + list(peer_jmh) + list(cdata)}) or [1]
    panels = [("full_handshake", None, "full handshakes/s"), ("resumed_handshake", None, "resumed handshakes/s"),
              ("bulk", "heap", "bulk MB/s, heap buffers"), ("bulk", "direct", "bulk MB/s, direct buffers")]
    series = ["C ceiling"] + PROVIDERS
    colors = ["#444444", "#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e"]

    def panel_configs(family, buffers, t):
        """The configurations with a JMH result in this panel."""
        configs = set()
        for src in (jmh, peer_jmh):
            for k in src:
                if k[0] == family and k[2] == t and (buffers is None or k[1].endswith("/" + buffers)):
                    configs.add(k[1])
        return sorted(configs, key=config_sort_key)

    panels = [p for p in panels if any(panel_configs(p[0], p[1], t) for t in threads)]
    if not panels:
        return "no JMH results to chart"
    fig, axes = plt.subplots(len(panels), len(threads), figsize=(10 * len(threads), 4.2 * len(panels)), squeeze=False)
    for col, t in enumerate(threads):
        for row, (family, buffers, title) in enumerate(panels):
            ax = axes[row][col]
            configs = panel_configs(family, buffers, t)
            if not configs:
                ax.set_visible(False)
                continue
            width = 0.8 / len(series)
            for i, s in enumerate(series):
                vals = []
                for cfg in configs:
                    if s == "C ceiling":
                        vals.append(c_value(cdata, family, cfg, t) or 0)
                    else:
                        src = jmh if s == "NativeTLS" else peer_jmh
                        r = src.get((family, cfg, t), {}).get(s)
                        vals.append(r.value if r else 0)
                xs = [j + (i - (len(series) - 1) / 2) * width for j in range(len(configs))]
                ax.bar(xs, vals, width, label=s, color=colors[i])
            ax.set_xticks(range(len(configs)))
            ax.set_xticklabels([short_label(c) for c in configs], fontsize=8)
            ax.set_yscale("log")
            ax.set_title(f"{tag}: {title}, {t} thread{'s' if t > 1 else ''}", fontsize=10)
            ax.grid(axis="y", which="both", alpha=0.3)
    handles, labels = next(((a.get_legend_handles_labels()) for r in axes for a in r if a.get_visible()), ([], []))
    fig.legend(handles, labels, loc="upper center", ncol=len(series), fontsize=9)
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return None


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    d = sys.argv[1]
    tags = sorted({re.sub(r"^(jmh|c)-(.*?)(-t\d+)?\.(json|txt)$", r"\2", os.path.basename(p))
                   for p in glob.glob(os.path.join(d, "jmh-*.json")) + glob.glob(os.path.join(d, "c-*.txt"))})
    if not tags:
        print(f"chart.py: no jmh-*.json or c-*.txt in {d}", file=sys.stderr)
        return 1
    data = {}
    for tag in tags:
        jmh = {}
        for p in sorted(glob.glob(os.path.join(d, f"jmh-{tag}-t*.json"))):
            for k, v in read_jmh(p).items():
                jmh.setdefault(k, {}).update(v)
        cpath = os.path.join(d, f"c-{tag}.txt")
        cdata = read_c(cpath) if os.path.exists(cpath) else {}
        data[tag] = (jmh, cdata)

    def has_peers(jmh):
        return any(p in v for v in jmh.values() for p in PEERS)

    md = ["# NativeTLS benchmark results", ""]
    mpath = os.path.join(d, "machine.txt")
    if os.path.exists(mpath):
        with open(mpath) as f:
            md += ["```", f.read().rstrip(), "```", ""]
    if "quick=1" in open(mpath).read() if os.path.exists(mpath) else False:
        md += ["**Quick run (1 s iterations): a smoke test of the harness, not a measurement.**", ""]
    md += ["Ratios are NativeTLS divided by the other: above 1 NativeTLS is faster. The C ceiling is "
           "tls_bench, the same exchange written directly against the same OpenSSL. ± is JMH's 99.9% "
           "confidence interval where there were enough iterations.", ""]
    notes = []
    for tag in tags:
        jmh, cdata = data[tag]
        peer_tag = tag
        if not has_peers(jmh):
            for other in tags:
                if has_peers(data[other][0]):
                    peer_tag = other
                    break
        peer_jmh = data[peer_tag][0]
        failures = read_failures(sorted(glob.glob(os.path.join(d, f"jmh-{tag}-t*.log"))))
        peer_failures = read_failures(sorted(glob.glob(os.path.join(d, f"jmh-{peer_tag}-t*.log"))))
        md += tables(tag, jmh, cdata, peer_jmh, peer_tag, failures, peer_failures)
        png = os.path.join(d, f"results-{tag}.png")
        note = chart(tag, jmh, cdata, peer_jmh, png)
        if note:
            notes.append(note)
        else:
            md += [f"![{tag}](results-{tag}.png)", ""]
    failures = read_failures(sorted(glob.glob(os.path.join(d, "jmh-*.log"))))
    md += ["## What could not be measured", ""]
    md += sorted({f"- {text}" for _, _, _, text in failures}) or ["- nothing: every benchmark ran"]
    md.append("")
    out = os.path.join(d, "results.md")
    with open(out, "w") as f:
        f.write("\n".join(md))
    print(f"wrote {out}")
    for n in notes:
        print(f"chart.py: {n}")
    for tag in tags:
        if os.path.exists(os.path.join(d, f"results-{tag}.png")):
            print(f"wrote {os.path.join(d, f'results-{tag}.png')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
