// The admission webhook host: `claimcheck webhook --tls-cert F --tls-key F [--port 8443]`.
// (Placeholder until the host lands: it reports that it is not available yet.)
export async function webhookMain() {
  process.stderr.write('claimcheck: the webhook host is not available in this build\n');
  return 2;
}
