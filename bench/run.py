#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""capmin benchmark driver. Run it through scripts/bench, which builds the
workloads first; `scripts/bench --help` lists the options, bench/README.md
says how to read what it prints.

Every workload is run natively, under strace -f, under strace -f
--seccomp-bpf and under each capmin mode, interleaved: round after round, each
round runs every workload once with every tool, in an order that rotates from
round to round (startup 15 times in each round). The tables give medians over
the runs. Then capmin's memory
is checked on one refused call site at two sizes.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

# Fallback for strace --seccomp-bpf -e trace=... when policies/rules.yaml
# cannot be read (no PyYAML): the calls the benchmark's workloads make that
# rules watch.
FALLBACK_STRACE_SET = ("open,openat,openat2,creat,stat,newfstatat,statx,execve,bind,chown,"
                       "fchown,fchownat,lchown,setuid,setgid,socket,kill,mount,mknod,chroot")

# name, program (in the workload build dir, absolute, or None: find), full size,
# quick size, divisor, what it does. The tools that stop the program at every
# system call (strace -f, capmin --no-seccomp) run the workload at size/divisor:
# at full size they alone would take minutes; their ratios are per unit of work.
WORKLOADS = [
    ("startup", "/bin/true", None, None, 1, "/bin/true: the fixed cost of each tool"),
    ("io-heavy", "io-heavy", 1800000, 50000, 90, "N x (write + read of 1 byte) on a pipe"),
    ("open-heavy", "open-heavy", 30000, 2000, 1, "N x (openat + close + stat) of a temp file"),
    ("spawn-heavy", "spawn-heavy", 800, 30, 1, "N x (fork + exec /bin/true + wait)"),
    ("threaded", "threaded", 10000, 300, 1, "8 threads x N x (openat + close) of a temp file"),
    ("refusal-heavy", "refusal-heavy", 5000, 300, 1,
     "N x (open of a mode-0000 file, chown, setgid): 3N refusals under capmin"),
    ("find", None, None, None, 1, "find /usr/include -type f (quick: /usr/share/doc)"),
]
SLOW_TOOLS = ("strace", "capmin-deny-noseccomp")
# Runs per round: startup takes a few milliseconds, where one run's noise (a
# page-cache miss, the other CPU's load) is as large as the difference to find.
REPEATS = {"startup": 15}

# capmin deny on `refusal-heavy N one` (N refusals of one chown call site).
FLAT_SIZES = (1000, 1000000)
FLAT_SIZES_QUICK = (1000, 20000)

TOOL_IDS = ("native", "seccomp-only", "strace", "strace-bpf", "capmin-deny", "capmin-probe",
            "capmin-deny-noseccomp")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def parse_args():
    ap = argparse.ArgumentParser(prog="scripts/bench", description=(
        "Times capmin against the native run, strace -f and strace -f --seccomp-bpf on the "
        "same workloads, interleaved over several rounds; prints markdown tables of medians "
        "and checks that capmin's memory does not grow with repeated refusals."))
    ap.add_argument("--quick", action="store_true",
                    help="smoke run: 1 round, small sizes (about 10 s)")
    ap.add_argument("--rounds", type=int, default=None, help="rounds (default 3, --quick 1)")
    ap.add_argument("--scale", type=float, default=1.0,
                    help="multiply every workload size by this (default 1)")
    ap.add_argument("--only", default="",
                    help="comma-separated workloads to run (default: all): "
                         + ", ".join(w[0] for w in WORKLOADS))
    ap.add_argument("--tools", default="",
                    help="comma-separated tools to run (default: all; native is always run): "
                         + ", ".join(TOOL_IDS))
    ap.add_argument("--flat-sizes", default=None,
                    help="the two refusal counts of the memory check (default 1000,1000000; "
                         "--quick 1000,20000); 'none' skips it")
    ap.add_argument("--capmin", default="build/capmin", help="capmin binary (default build/capmin)")
    ap.add_argument("--bin-dir", default=None,
                    help="built workloads (default: bench/bin beside the capmin binary)")
    ap.add_argument("--out-dir", default=None,
                    help="where results.md and results.json go (default: bench/ beside the "
                         "capmin binary)")
    ap.add_argument("--strace-set", default=None,
                    help="syscalls for strace --seccomp-bpf -e trace= (default: every system "
                         "call policies/rules.yaml names, the set capmin's filter is built from)")
    ap.add_argument("--keep", action="store_true",
                    help="keep the temporary directory (reports, stderr of every run)")
    args = ap.parse_args()
    if args.rounds is None:
        args.rounds = 1 if args.quick else 3
    if args.rounds < 1 or args.scale <= 0:
        ap.error("--rounds and --scale must be positive")
    build_dir = os.path.dirname(args.capmin) or "."
    args.bin_dir = args.bin_dir or os.path.join(build_dir, "bench", "bin")
    args.out_dir = args.out_dir or os.path.join(build_dir, "bench")
    flat = args.flat_sizes or ",".join(map(str, FLAT_SIZES_QUICK if args.quick else FLAT_SIZES))
    if flat == "none":
        args.flat = ()
    else:
        try:
            args.flat = tuple(int(x) for x in flat.split(","))
        except ValueError:
            args.flat = ()
        if len(args.flat) != 2 or min(args.flat) < 1:
            ap.error("--flat-sizes takes two positive counts, e.g. 1000,1000000")
    return args


# ---------------------------------------------------------------------------
# Running one command


class Run:
    __slots__ = ("seconds", "status", "cpu", "stats", "stderr_tail", "caps", "tracing")


# Every command runs as a child of a small shell, not of this Python process:
# a process's ru_maxrss survives execve and starts from the memory of the image
# it replaced, so capmin spawned straight from Python would report Python's
# peak RSS as its own. (dash forks for a command that is not the last one.)
SPAWN_SCRIPT = '"$@"; exit $?'


def run_once(argv, cwd, env, err_path):
    """Runs argv in cwd with stdin and stdout on /dev/null and stderr to
    err_path; returns a Run with the wall time and capmin's --stats line, if any."""
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
    ]
    old_cwd = os.getcwd()
    os.chdir(cwd)
    try:
        t0 = time.perf_counter()
        pid = os.posix_spawn("/bin/sh", ["sh", "-c", SPAWN_SCRIPT, "sh", *argv], env,
                             file_actions=actions)
    finally:
        os.chdir(old_cwd)
    _, status, ru = os.wait4(pid, 0)
    t1 = time.perf_counter()
    r = Run()
    r.seconds = t1 - t0
    r.status = os.waitstatus_to_exitcode(status)
    r.cpu = ru.ru_utime + ru.ru_stime
    r.stats = None
    r.caps = None
    r.tracing = None
    with open(err_path, errors="replace") as f:
        text = f.read()
    r.stderr_tail = text[-2000:]
    for line in text.splitlines():
        if line.startswith("capmin: stats:"):
            r.stats = parse_stats(line)
    return r


def parse_stats(line):
    """'capmin: stats: 41 ptrace stops, 7 syscall stops, 0 refusals (0 events), 0 retries,
    0 injected calls, 1 tasks, 0.01 s, peak RSS 8584 kB' -> {'ptrace_stops': 41, ...}"""
    out = {"line": line.strip()}
    body = line.split("stats:", 1)[1]
    for num, name in re.findall(r"(\d+(?:\.\d+)?(?:e-?\d+)?) ([a-z][a-z ]*[a-z]|s\b)", body):
        key = name.strip().replace(" ", "_")
        out[key] = float(num) if ("." in num or "e" in num) else int(num)
    m = re.search(r"peak RSS (\d+) kB", body)
    if m:
        out["peak_rss_kb"] = int(m.group(1))
    return out


# ---------------------------------------------------------------------------
# Tools


def rule_syscalls(repo):
    """Every system call a syscall-delivered rule of policies/rules.yaml names:
    the set capmin's seccomp filter is built from (capmin narrows some by their
    register arguments; strace can only filter by number)."""
    try:
        import yaml  # Debian: python3-yaml
        with open(os.path.join(repo, "policies", "rules.yaml")) as f:
            doc = yaml.safe_load(f)
    except (ImportError, OSError, ValueError):
        return None
    names = set()
    for rule in doc.get("rules", []):
        if rule.get("delivery", "syscall") != "syscall":
            continue
        v = rule.get("syscalls") or []
        names.update([v] if isinstance(v, str) else v)
    return sorted(names) or None


def make_tools(args, capmin, strace_set, bin_dir):
    """Returns [(id, label, argv-builder, is_capmin)] in TOOL_IDS order."""
    def capmin_tool(extra):
        def build(cmd, report):
            # The tracer's cost alone: the proven minimal set's re-runs are not timed.
            return [capmin, "profile", "--no-minimal", *extra, "--stats", "-o", report, "--", *cmd]
        return build

    tools = [
        ("native", "native", lambda cmd, report: list(cmd), False),
        # No tracer, a seccomp filter that allows everything: the floor.
        ("seccomp-only", "seccomp only",
         lambda cmd, report: [os.path.join(bin_dir, "seccomp-only"), *cmd], False),
        ("strace", "strace -f", lambda cmd, report: ["strace", "-f", "-o", "/dev/null", *cmd],
         False),
        # '?' before a name: strace skips a name it does not know instead of failing.
        ("strace-bpf", "strace --seccomp-bpf",
         lambda cmd, report: ["strace", "-f", "--seccomp-bpf", "-e",
                              "trace=" + ",".join("?" + s for s in strace_set.split(",")),
                              "-o", "/dev/null", *cmd], False),
        ("capmin-deny", "capmin deny", capmin_tool(["--mode", "deny"]), True),
        ("capmin-probe", "capmin probe", capmin_tool(["--mode", "probe"]), True),
        ("capmin-deny-noseccomp", "capmin deny --no-seccomp",
         capmin_tool(["--mode", "deny", "--no-seccomp"]), True),
    ]
    if args.tools:
        wanted = {t.strip() for t in args.tools.split(",") if t.strip()}
        unknown = wanted - set(TOOL_IDS)
        if unknown:
            sys.exit(f"bench: unknown tool(s): {', '.join(sorted(unknown))} "
                     f"(known: {', '.join(TOOL_IDS)})")
        wanted.add("native")  # every ratio is to native
        tools = [t for t in tools if t[0] in wanted]
    return tools


# ---------------------------------------------------------------------------
# Machine description


def sh(argv, cwd=None):
    try:
        return subprocess.run(argv, capture_output=True, text=True, cwd=cwd,
                              timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def machine_info(repo, capmin_src):
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) // 1024} MiB"
    commit = sh(["git", "rev-parse", "--short", "HEAD"], cwd=repo)
    dirty = sh(["git", "status", "--porcelain", "--untracked-files=no"], cwd=repo)
    build_type = ""
    cache = os.path.join(os.path.dirname(os.path.abspath(capmin_src)), "CMakeCache.txt")
    if os.path.exists(cache):
        with open(cache) as f:
            for line in f:
                if line.startswith("CMAKE_BUILD_TYPE:"):
                    build_type = line.split("=", 1)[1].strip() or "default"
                if line.startswith("CAPMIN_SANITIZE:") and line.split("=", 1)[1].strip():
                    build_type += ", sanitizers " + line.split("=", 1)[1].strip()
    built = datetime.datetime.fromtimestamp(os.path.getmtime(capmin_src), datetime.timezone.utc)
    strace_v = sh(["strace", "-V"])
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": cpu,
        "memory": mem,
        "kernel": platform.release(),
        "loadavg_start": loadavg(),
        # The tree may have moved since the build: say when the binary was built.
        "capmin": f"{capmin_src} built {built.strftime('%Y-%m-%d %H:%M UTC')}"
                  f"{' (CMAKE_BUILD_TYPE ' + build_type + ')' if build_type else ''}, "
                  f"tree at {commit}{' + local changes' if dirty else ''} when the run began",
        "strace": strace_v.splitlines()[0] if strace_v else "",
        "gcc": sh(["gcc", "-dumpfullversion"]),
        "python": platform.python_version(),
    }


# ---------------------------------------------------------------------------
# Formatting


def fmt_s(x):
    if x is None:
        return "—"
    return f"{x:.3f}" if x < 10 else f"{x:.2f}" if x < 100 else f"{x:.1f}"


def fmt_ratio(x):
    if x is None:
        return "—"
    return (f"{x:.2f}×" if x < 10 else f"{x:.1f}×" if x < 100 else f"{x:.0f}×")


def fmt_int(x):
    return "—" if x is None else f"{int(round(x)):,}"


def fmt_mb(kb):
    return "—" if kb is None else f"{kb / 1024:.1f}"


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def div(a, b):
    return a / b if a is not None and b else None


def table(head, rows):
    out = ["| " + " | ".join(head) + " |",
           "|" + "|".join("---" if i == 0 else "--:" for i in range(len(head))) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def stat(runs, key):
    return med([r.stats.get(key) for r in runs if r.stats])


def peak_rss(runs):
    vals = [r.stats["peak_rss_kb"] for r in runs if r.stats and "peak_rss_kb" in r.stats]
    return max(vals) if vals else None


def render(info, notes, tools, names, results, args, sizes, elapsed, flat):
    tmap = {t[0]: t for t in tools}
    ctools = [t for t in tools if t[3]]
    short = {"capmin-deny": "deny", "capmin-probe": "probe", "capmin-deny-noseccomp": "no-seccomp"}

    def runs(w, tool):
        return results[w].get(tool, [])

    def scale(w, tool):
        """How many times the full size is the size this tool ran."""
        if sizes[w] is None or tool not in SLOW_TOOLS:
            return 1.0
        return sizes[w][0] / sizes[w][1]

    def m(w, tool):
        """Median seconds, at full size (a reduced-size run scaled up)."""
        v = med([r.seconds for r in runs(w, tool)])
        return v * scale(w, tool) if v is not None else None

    def wname(w):
        if sizes[w] is None:
            return w
        n, slow_n = sizes[w]
        if slow_n == n or not any(t[0] in SLOW_TOOLS for t in tools):
            return f"{w} ({n:,})"
        return f"{w} ({n:,}; {slow_n:,}†)"

    L = [f"## capmin benchmark — {info['date']}", ""]
    L.append(f"- machine: {info['nproc']} CPUs ({info['cpu']}), {info['memory']}, "
             f"kernel {info['kernel']}")
    L.append(f"- load average (1, 5, 15 min): {info['loadavg_start']} at the start, "
             f"{info['loadavg_end']} at the end")
    L.append(f"- capmin: {info['capmin']}; {info['strace']}; gcc {info['gcc']}; "
             f"python {info['python']}")
    L.append(f"- {args.rounds} round(s), interleaved, medians; "
             f"{'quick sizes' if args.quick else 'full sizes'}"
             f"{f' x{args.scale:g}' if args.scale != 1 else ''}; the run took {elapsed:.0f} s")
    for n in notes:
        L.append(f"- {n}")
    L.append("")

    # Ratios.
    L.append("Time as a multiple of the native run (×native); capmin's also as a multiple of "
             "strace --seccomp-bpf (÷bpf), and probe mode's as a multiple of deny mode's "
             "(probe ÷deny); capmin's own peak RSS in MB (its --stats line: capmin alone, "
             "largest over the rounds). \"seccomp only\" is the program under an allow-all "
             "seccomp filter and no tracer. † strace -f and --no-seccomp ran that smaller size: "
             "their ratios are per unit of work.")
    L.append("")
    head = ["workload (N)", "native s"] + [f"{t[1]} ×native" for t in tools[1:]]
    if "strace-bpf" in tmap:
        head += [f"{short[t[0]]} ÷bpf" for t in ctools]
    if "capmin-deny" in tmap and "capmin-probe" in tmap:
        head.append("probe ÷deny")
    if ctools:
        head.append("capmin RSS MB (" + " / ".join(short[t[0]] for t in ctools) + ")")
    rows = []
    for w in names:
        nat = m(w, "native")
        row = [wname(w), fmt_s(nat)]
        row += [fmt_ratio(div(m(w, t[0]), nat)) for t in tools[1:]]
        if "strace-bpf" in tmap:
            row += [fmt_ratio(div(m(w, t[0]), m(w, "strace-bpf"))) for t in ctools]
        if "capmin-deny" in tmap and "capmin-probe" in tmap:
            row.append(fmt_ratio(div(m(w, "capmin-probe"), m(w, "capmin-deny"))))
        if ctools:
            row.append(" / ".join(fmt_mb(peak_rss(runs(w, t[0]))) for t in ctools))
        rows.append(row)
    L += table(head, rows)
    L.append("")

    # Seconds.
    L.append("Seconds as run: median (fastest–slowest) over the runs (startup: "
             f"{REPEATS['startup']} in each round); † at the smaller size.")
    L.append("")
    head = ["workload"] + [t[1] for t in tools]
    rows = []
    for w in names:
        row = [w]
        for t in tools:
            xs = [r.seconds for r in runs(w, t[0])]
            mark = "†" if scale(w, t[0]) != 1 else ""
            if not xs:
                row.append("—")
            elif len(xs) == 1:
                row.append(fmt_s(xs[0]) + mark)
            else:
                row.append(f"{fmt_s(med(xs))}{mark} ({fmt_s(min(xs))}–{fmt_s(max(xs))})")
        rows.append(row)
    L += table(head, rows)
    L.append("")

    # capmin's counts.
    if ctools:
        L.append("capmin's `--stats` (medians, as run): ptrace stops, refusals, and the time "
                 "each stop adds: (capmin s − native s) / stops, where stops ≥ 1,000. Under "
                 "--no-seccomp every system call stops twice.")
        L.append("")
        head = ["workload"]
        for t in ctools:
            head += [f"{short[t[0]]}: stops", "refusals", "µs/stop"]
        rows = []
        for w in names:
            row = [w]
            nat = m(w, "native")
            for t in ctools:
                rs = runs(w, t[0])
                stops = stat(rs, "ptrace_stops")
                v = m(w, t[0])
                us = (f"{(v - nat) / (stops * scale(w, t[0])) * 1e6:.1f}"
                      if stops and stops >= 1000 and v is not None and nat is not None else "—")
                row += [fmt_int(stops), fmt_int(stat(rs, "refusals")), us]
            rows.append(row)
        L += table(head, rows)
        L.append("")

        L.append("What capmin reported (each mode's JSON report), and exit statuses that "
                 "differ from the native run:")
        L.append("")
        for w in names:
            bits = []
            for t in ctools:
                rs = runs(w, t[0])
                caps = rs[-1].caps if rs else None
                bits.append(f"{short[t[0]]}: {', '.join(caps) if caps else 'none'}"
                            if caps is not None else f"{short[t[0]]}: no report")
            nat_st = {r.status for r in runs(w, "native")}
            for t in tools[1:]:
                st = {r.status for r in runs(w, t[0])}
                if st and st != nat_st:
                    bits.append(f"{t[1]} exit {'/'.join(map(str, sorted(st)))} "
                                f"(native {'/'.join(map(str, sorted(nat_st)))})")
            L.append(f"- {w}: " + "; ".join(bits))
        L.append("")

    if flat:
        L.append("Memory against refusals: capmin deny on `refusal-heavy N one`, N refusals of "
                 "one chown call site.")
        L.append("")
        head = ["refusals", "capmin deny s", "µs/refusal", "ptrace stops", "peak RSS kB"]
        rows = []
        for n, r in flat:
            st = r.stats or {}
            rows.append([f"{n:,}", fmt_s(r.seconds), f"{r.seconds / n * 1e6:.0f}",
                         fmt_int(st.get("ptrace_stops")), fmt_int(st.get("peak_rss_kb"))])
        L += table(head, rows)
        a, b = ((r.stats or {}).get("peak_rss_kb") for _, r in flat)
        if a and b:
            L.append("")
            L.append(f"Peak RSS {a:,} kB at {flat[0][0]:,} refusals, {b:,} kB at "
                     f"{flat[1][0]:,}: {b - a:+,} kB ({(b - a) / a * 100:+.1f}%).")
        L.append("")
    return "\n".join(L)


# ---------------------------------------------------------------------------


def main():
    args = parse_args()
    repo = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
    os.chdir(repo)
    if os.geteuid() != 0:
        sys.exit("bench: capmin must run as root (it drops every capability of the program)")
    if not os.access(args.capmin, os.X_OK):
        sys.exit(f"bench: {args.capmin} not found: build it first (scripts/build)")
    if not shutil.which("strace"):
        sys.exit("bench: strace not found (apt-get install strace)")

    tmp = tempfile.mkdtemp(prefix="capmin-bench.")  # 0700, owned by root
    try:
        bench(args, repo, tmp)
    finally:
        if args.keep:
            log(f"bench: kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def run_tool(tool, cmd, work, env, tmp, tag, keep):
    name, label, build, is_capmin = tool
    report = os.path.join(tmp, f"report-{tag}-{name}.json")
    err = os.path.join(tmp, f"stderr-{tag}-{name}.txt")
    r = run_once(build(cmd, report), work, env, err)
    if is_capmin:
        try:
            with open(report) as f:
                rep = json.load(f)
            r.caps = rep.get("capabilities", [])
            r.tracing = rep.get("tracing")
        except (OSError, ValueError):
            r.caps = None
        if not keep and os.path.exists(report):
            os.unlink(report)
        if r.status in (125, 126, 127) or r.stats is None:
            log(f"bench: warning: {label} on {tag} exited {r.status}: "
                f"{r.stderr_tail.strip()[-500:]}")
    return r


def bench(args, repo, tmp):
    # A private copy, so that a rebuild during the run cannot swap the binary
    # under test (the policy files are still read from the tree).
    capmin = os.path.join(tmp, "capmin")
    shutil.copy2(args.capmin, capmin)
    work = os.path.join(tmp, "work")
    os.mkdir(work, 0o700)
    env = dict(os.environ)
    env["TMPDIR"] = work  # the workloads make their temporary directories here
    env["LC_ALL"] = "C"

    notes = []
    if args.strace_set:
        strace_set = args.strace_set
        notes.append(f"strace --seccomp-bpf traces the {len(strace_set.split(','))} system "
                     "calls given with --strace-set.")
    else:
        names = rule_syscalls(repo)
        if names:
            strace_set = ",".join(names)
            notes.append(f"strace --seccomp-bpf traces the {len(names)} system calls "
                         "policies/rules.yaml names (the set capmin's filter starts from; "
                         "strace filters by number only, capmin also by register arguments).")
        else:
            strace_set = FALLBACK_STRACE_SET
            notes.append("policies/rules.yaml could not be read (python3-yaml?): strace "
                         f"--seccomp-bpf traces a fixed set of {len(strace_set.split(','))} "
                         "system calls.")
    bin_dir = os.path.abspath(args.bin_dir)
    tools = make_tools(args, capmin, strace_set, bin_dir)
    info = machine_info(repo, args.capmin)

    only = {w.strip() for w in args.only.split(",") if w.strip()}
    unknown = only - {w[0] for w in WORKLOADS}
    if unknown:
        sys.exit(f"bench: unknown workload(s): {', '.join(sorted(unknown))}")
    # cmds[w]: the command at full size; slow_cmds[w]: at size/divisor (SLOW_TOOLS);
    # sizes[w] = (N, N/divisor), or None for a workload without a size.
    cmds, slow_cmds, sizes, names = {}, {}, {}, []
    for name, prog, full, quick, divisor, _ in WORKLOADS:
        if only and name not in only:
            continue
        if prog is None:
            cmds[name] = ["find", "/usr/share/doc" if args.quick else "/usr/include", "-type", "f"]
            slow_cmds[name] = cmds[name]
            sizes[name] = None
        elif full is None:
            cmds[name] = slow_cmds[name] = [prog]
            sizes[name] = None
        else:
            n = max(1, int(round((quick if args.quick else full) * args.scale)))
            slow_n = max(1, n // divisor)
            path = os.path.join(bin_dir, prog)
            cmds[name] = [path, str(n)]
            slow_cmds[name] = [path, str(slow_n)]
            sizes[name] = (n, slow_n)
        names.append(name)

    log(f"bench: {len(names)} workloads x {len(tools)} tools x {args.rounds} round(s); "
        f"tools: {', '.join(t[0] for t in tools)}; load average {info['loadavg_start']}")

    start = time.perf_counter()
    # One native run first: checks that every workload works, warms the page cache.
    for w in names:
        r = run_once(cmds[w], work, env, os.path.join(tmp, "warmup.err"))
        if r.status != 0:
            sys.exit(f"bench: workload {w} failed natively (exit {r.status}): "
                     f"{' '.join(cmds[w])}\n{r.stderr_tail}")
        log(f"bench: warm-up {w}: {r.seconds:.2f} s natively")

    results = {w: {} for w in names}
    for rnd in range(args.rounds):
        t_round = time.perf_counter()
        for wi, w in enumerate(names):
            k = (rnd + wi) % len(tools)
            for tool in tools[k:] + tools[:k]:
                cmd = slow_cmds[w] if tool[0] in SLOW_TOOLS else cmds[w]
                for _ in range(REPEATS.get(w, 1)):
                    r = run_tool(tool, cmd, work, env, tmp, w, args.keep)
                    if tool[0] == "native" and r.status != 0:
                        sys.exit(f"bench: workload {w} failed natively (exit {r.status})\n"
                                 f"{r.stderr_tail}")
                    results[w].setdefault(tool[0], []).append(r)
        log(f"bench: round {rnd + 1}/{args.rounds} done in {time.perf_counter() - t_round:.0f} s")

    tracing = []
    for t in ("capmin-deny", "capmin-probe"):
        seen = sorted({r.tracing for w in names for r in results[w].get(t, []) if r.tracing})
        if seen:
            tracing.append(f"{t.split('-')[1]}: \"{'; '.join(seen)}\"")
    if tracing:
        notes.append("tracing, as capmin's report gives it: " + ", ".join(tracing) + ".")

    flat = []
    if args.flat:
        all_tools = make_tools(args, capmin, strace_set, bin_dir) if args.tools else tools
        deny = next(t for t in all_tools if t[0] == "capmin-deny")
        for n in args.flat:
            t0 = time.perf_counter()
            cmd = [os.path.join(bin_dir, "refusal-heavy"), str(n), "one"]
            r = run_tool(deny, cmd, work, env, tmp, f"flat-{n}", args.keep)
            flat.append((n, r))
            log(f"bench: memory check, {n:,} refusals: {time.perf_counter() - t0:.0f} s, "
                f"peak RSS {(r.stats or {}).get('peak_rss_kb')} kB")

    elapsed = time.perf_counter() - start
    info["loadavg_end"] = loadavg()

    text = render(info, notes, tools, names, results, args, sizes, elapsed, flat)
    print(text)
    os.makedirs(args.out_dir, exist_ok=True)
    suffix = "-quick" if args.quick else ""
    with open(os.path.join(args.out_dir, f"results{suffix}.md"), "w") as f:
        f.write(text + "\n")
    raw = {"info": info, "notes": notes, "args": {k: v for k, v in vars(args).items()},
           "commands": cmds, "strace_set": strace_set,
           "runs": {w: {t: [{k: getattr(r, k) for k in Run.__slots__} for r in rs]
                        for t, rs in results[w].items()} for w in names},
           "memory_check": [{"refusals": n, **{k: getattr(r, k) for k in Run.__slots__}}
                            for n, r in flat]}
    with open(os.path.join(args.out_dir, f"results{suffix}.json"), "w") as f:
        json.dump(raw, f, indent=1)
    log(f"bench: wrote {args.out_dir}/results{suffix}.md and .json")


if __name__ == "__main__":
    main()
