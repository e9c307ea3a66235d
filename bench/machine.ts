import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import pg from 'pg';
import { POSTGRES_SERVER } from './backends.js';

/** The machine a run happened on: what the README table must name. */
export async function describeMachine(): Promise<Record<string, string | number>> {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  let postgres = 'unavailable';
  try {
    const client = new pg.Client({ connectionString: POSTGRES_SERVER });
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    postgres = rows[0]?.server_version ?? 'unknown';
    await client.end();
  } catch {}
  return {
    nproc: Number(execFileSync('nproc', { encoding: 'utf8' }).trim()),
    cpu: model,
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    postgres,
    git: execFileSync('git', ['--version'], { encoding: 'utf8' }).trim(),
    loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}
