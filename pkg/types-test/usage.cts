// CommonJS consumers get the same declarations through require().
import cc = require('claimcheck');

export async function check(source: string): Promise<number> {
  await cc.init();
  const r: cc.LintResult = cc.lint(source, { positionEncoding: 'utf8' });
  return r.summary.errors;
}
