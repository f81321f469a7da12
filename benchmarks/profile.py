#!/usr/bin/env python3
"""Where the instructions of one icount workload go, by part of the engine.

    benchmarks/icount.sh sts_lint            # writes target/icount/sts_lint.callgrind.out
    python3 benchmarks/profile.py sts_lint [--top 40]

Reads callgrind_annotate's inclusive costs (a function's own instructions plus those of
everything it calls) and prints (1) the parts of the pipeline, each the inclusive cost of the
functions that do it, as a share of the workload, and (2) the top functions. Inclusive costs
nest (a rule formats a message inside the rule), so the parts are not meant to add up to 100%.
"""
import re
import subprocess
import sys

# Stages of the pipeline: the inclusive cost of the function that does each (they may nest).
STAGES = [
    ("parse into span trees (source::parse_stream)", r"^claimcheck::source::yaml::parse_stream$"),
    ("span tree -> serde_json::Value for the schema (Node::to_json)", r"^claimcheck::source::node::Node::to_json('\d+)?$"),
    ("dropping those serde_json::Values", r"^core::ptr::drop_in_place<serde_json::value::Value>('\d+)?$"),
    ("pointer strings built while walking (engine::join)", r"^claimcheck::engine::join$"),
    ("all format! calls (messages, pointers, labels)", r"^alloc::fmt::format::format_inner$"),
    ("Ctx::report", r"^claimcheck::engine::Ctx::report$"),
    ("  of which Node::locate (re-walk from the pointer)", r"^claimcheck::source::node::Node::locate$"),
    ("JSON report (output::report_dto)", r"^claimcheck::output::report_dto$"),
]

# Every instruction once: the function's own (exclusive) cost, grouped by where it lives.
GROUPS = [
    ("YAML scanner and parser (saphyr_parser)", r"^saphyr_parser::"),
    ("span trees, line index (claimcheck::source)", r"^claimcheck::source::"),
    ("allocator (malloc, free, realloc)", r"^(malloc|free|realloc|calloc|cfree|_int_\w+|malloc_consolidate|unlink_chunk.*|tcache.*)$"),
    ("string formatting (core::fmt, alloc::fmt)", r"^(core::fmt|alloc::fmt|<alloc::string::String as core::fmt::Write>|<core::fmt|<&T as core::fmt)"),
    ("memcpy, memmove, memcmp, strlen", r"^__(mem|str)\w*"),
    ("Vec and String growth (alloc::raw_vec)", r"raw_vec|RawVec"),
    ("drops (drop_in_place)", r"drop_in_place"),
    ("BTreeMap (serde_json objects)", r"btree"),
    ("serde_json", r"serde_json"),
    ("jsonschema (validation)", r"^jsonschema|^<jsonschema"),
    ("rules (claimcheck::rules)", r"^claimcheck::rules::"),
    ("engine, output, schema glue (claimcheck::engine/output/schema/model)", r"^claimcheck::(engine|output|schema|model|diagnostic|patch)"),
    ("string search and replace (core::str)", r"core::str|alloc::str"),
    ("sorting (core::slice::sort)", r"slice::sort"),
]


def annotate_self(name):
    path = f"target/icount/{name}.callgrind.out"
    out = subprocess.run(
        ["callgrind_annotate", "--threshold=100", path], check=True, capture_output=True, text=True
    ).stdout
    rows = []
    for line in out.splitlines():
        m = re.match(r"^\s*([\d,]+)\s+(?:\([\s\d.]+%\)\s+)?(\S.*?)\s*$", line)
        if m and ":" in m.group(2) and "PROGRAM TOTALS" not in line:
            fn = re.sub(r"^[^:]*?:(?!:)", "", m.group(2), count=1)
            fn = re.sub(r"\s+\[[^\]]*\]$", "", fn)
            rows.append((int(m.group(1).replace(",", "")), fn))
    return rows


def annotate(name):
    path = f"target/icount/{name}.callgrind.out"
    out = subprocess.run(
        ["callgrind_annotate", "--inclusive=yes", "--threshold=100", path],
        check=True, capture_output=True, text=True,
    ).stdout
    total = None
    rows = []
    for line in out.splitlines():
        m = re.match(r"^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+PROGRAM TOTALS", line) or re.match(r"^\s*([\d,]+)\s+PROGRAM TOTALS", line)
        if m:
            total = int(m.group(1).replace(",", ""))
            continue
        m = re.match(r"^\s*([\d,]+)\s+(?:\([\s\d.]+%\)\s+)?(?:\*\s+)?(\S.*?)\s*$", line)
        if m and ":" in m.group(2):
            cost = int(m.group(1).replace(",", ""))
            fn = m.group(2)
            # "file:function [object]" -> function
            fn = re.sub(r"^[^:]*?:(?!:)", "", fn, count=1)
            fn = re.sub(r"\s+\[[^\]]*\]$", "", fn)
            rows.append((cost, fn))
    return total, rows


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__)
        sys.exit(2)
    name = args[0]
    top = int(args[args.index("--top") + 1]) if "--top" in args else 30
    total, rows = annotate(name)
    if not total:
        total = max(c for c, _ in rows)
    print(f"{name}: {total:,} instructions\n")
    print("stage (inclusive; stages may nest)".ljust(66), "instructions".rjust(14), "share".rjust(7))
    for label, pattern in STAGES:
        rx = re.compile(pattern)
        matched = [c for c, fn in rows if rx.search(fn)]
        cost = max(matched) if matched else 0
        print(label.ljust(66), f"{cost:,}".rjust(14), f"{100 * cost / total:6.1f}%")
    print()
    print("where the instructions are (exclusive; adds up)".ljust(66), "instructions".rjust(14), "share".rjust(7))
    own = annotate_self(name)
    left = sum(c for c, _ in own)
    used = set()
    for label, pattern in GROUPS:
        rx = re.compile(pattern)
        cost = 0
        for i, (c, fn) in enumerate(own):
            if i not in used and rx.search(fn):
                used.add(i)
                cost += c
        left -= cost
        print(label.ljust(66), f"{cost:,}".rjust(14), f"{100 * cost / total:6.1f}%")
    print("everything else".ljust(66), f"{left:,}".rjust(14), f"{100 * left / total:6.1f}%")
    print(f"\ntop {top} functions by inclusive instructions")
    seen = set()
    n = 0
    for cost, fn in sorted(rows, reverse=True):
        if fn in seen:
            continue
        seen.add(fn)
        print(f"{cost:>14,} {100 * cost / total:6.1f}%  {fn[:150]}")
        n += 1
        if n >= top:
            break


if __name__ == "__main__":
    main()
