// Structured logs: one JSON object per line on standard output (synchronous on Linux pipes
// and files, so lines from several processes never interleave within a line).

export function log(level, msg, fields = {}) {
  process.stdout.write(
    `${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`,
  );
}
