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

# Part of the pipeline -> function-name patterns (Rust symbols as callgrind demangles them).
PARTS = [
    ("parse into span trees (source::parse_stream)", r"claimcheck::source::yaml::parse_stream\b"),
    ("  of which the YAML scanner/parser (saphyr)", r"^saphyr_parser::parser::Parser<.*>::next_token|saphyr_parser::scanner::Scanner<.*>::fetch_more_tokens"),
    ("line index (LineIndex::new)", r"claimcheck::source::index::LineIndex::new"),
    ("rules per object (rules::check_object)", r"claimcheck::rules::check_object\b"),
    ("rules across objects (rules::check_bundle)", r"claimcheck::rules::check_bundle\b"),
    ("schema validation (rules::schema::check)", r"claimcheck::rules::schema::check\b"),
    ("  of which span tree -> serde_json::Value", r"claimcheck::source::node::Node::to_json|claimcheck::source::node::Node::to_value"),
    ("  of which jsonschema validation", r"jsonschema::validator::Validator::iter_errors|jsonschema::validator::Validator::is_valid|claimcheck::schema::validate\b"),
    ("Ctx::report (pointer string -> node lookup)", r"claimcheck::engine::Ctx::report\b"),
    ("  of which Node::locate (re-walk from the pointer)", r"claimcheck::source::node::Node::locate\b"),
    ("message and pointer strings (format!)", r"^alloc::fmt::format::format_inner"),
    ("sort + dedup of the findings", r"core::slice::sort::.*Diagnostic|alloc::slice::.*Diagnostic"),
    ("JSON report (output::report_dto + serde_json)", r"claimcheck::output::report_dto|serde_json::ser::to_string|serde_json::ser::to_vec"),
    ("allocator (malloc/free/realloc)", r"^(malloc|free|realloc|calloc|_int_malloc|_int_free|cfree)$"),
]


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
    print("part of the pipeline (inclusive, may nest)".ljust(58), "instructions".rjust(14), "share".rjust(7))
    for label, pattern in PARTS:
        rx = re.compile(pattern)
        # The largest matching function: recursion and callers listed twice must not double.
        matched = [c for c, fn in rows if rx.search(fn)]
        cost = max(matched) if matched and not label.startswith("allocator") and not label.startswith("message") else sum(matched)
        print(label.ljust(58), f"{cost:,}".rjust(14), f"{100 * cost / total:6.1f}%")
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
