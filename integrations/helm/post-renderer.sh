#!/bin/sh
# The Helm 4 post-renderer plugin's command: Helm writes the rendered manifests to standard
# input and installs what comes out on standard output. All the work is done by
# `claimcheck helm-post-renderer`, which gets the arguments given with --post-renderer-args.
#
# Helm 4 keeps a post-renderer plugin's standard error to itself and reports only that the
# plugin exited with an error, so the findings are also copied to $CLAIMCHECK_REPORT when it is
# set, and to the terminal when the check fails and there is one.
set -u
bin="${CLAIMCHECK_BIN:-claimcheck}"
report="$(mktemp "${TMPDIR:-/tmp}/claimcheck-helm.XXXXXX")" || exit 2
"$bin" helm-post-renderer "$@" 2>"$report"
status=$?
if [ -n "${CLAIMCHECK_REPORT:-}" ]; then
  cp "$report" "$CLAIMCHECK_REPORT"
fi
if [ "$status" -ne 0 ] && (: >/dev/tty) 2>/dev/null; then
  cat "$report" >/dev/tty
fi
cat "$report" >&2
rm -f "$report"
exit "$status"
