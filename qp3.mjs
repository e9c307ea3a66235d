const { PGlite } = await import('@electric-sql/pglite');
const extra = process.argv.slice(2);
const t0 = performance.now(); const c0 = process.cpuUsage();
const opts = extra.length ? { startParams: [...PGlite.defaultStartParams ?? [], ...extra] } : {};
const pg = await PGlite.create('/tmp/qtime/.manifest-sync/db', opts);
const c = process.cpuUsage(c0);
console.error((extra.join(' ')||'default').padEnd(50), 'create', (performance.now()-t0).toFixed(0), 'ms wall', ((c.user+c.system)/1000).toFixed(0), 'ms cpu');
const r = await pg.query("show shared_buffers"); console.error('  ', JSON.stringify(r.rows));
await pg.close();
