// Readers for the daemon bench, in their own process so their parsing never runs on the daemon's
// event loop: each path is fetched every `interval` ms until SIGTERM; prints what it saw as JSON.
const [url, intervalText, ...paths] = process.argv.slice(2);
const interval = Number(intervalText);
const seen = { requests: 0, failures: 0, bytes: 0, ms: [] };
let stopping = false;
process.on('SIGTERM', () => {
  stopping = true;
});
async function reader(path) {
  while (!stopping) {
    const started = performance.now();
    try {
      const response = await fetch(`${url}${path}`);
      const body = await response.arrayBuffer();
      seen.requests++;
      seen.bytes += body.byteLength;
      if (!response.ok) seen.failures++;
    } catch {
      seen.failures++;
    }
    const took = performance.now() - started;
    seen.ms.push(took);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, interval - took)));
  }
}
process.stdout.write('ready\n');
await Promise.all(paths.map(reader));
const sorted = seen.ms.sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({
    requests: seen.requests,
    failures: seen.failures,
    bytes: seen.bytes,
    medianMs: sorted[Math.floor(sorted.length / 2)] ?? 0,
  })}\n`,
);
