import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Random } from './prng.js';

/** A manifest as plain JSON: the generator edits it freely. */
export type Json = Record<string, unknown>;

/** One edit a generated commit makes to one manifest; replayed in order on the derived manifest. */
export type Edit =
  | { kind: 'add-input'; action: number; name: string }
  | { kind: 'describe'; text: string }
  | { kind: 'add-scope'; scope: string }
  | { kind: 'remove-action'; action: number };

/** Aim for a pretty-printed file of about this size, as the floor assumes (~4 KB). */
const TARGET_BYTES = 4096;
const STATUSES = ['draft', 'beta', 'stable'] as const;

/** The bundled manifests, parsed once, in file-name order. */
export function loadBundledManifests(dir: string): Json[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as Json);
}

function actionsOf(manifest: Json): Json {
  return manifest.actions as Json;
}

/** Drops actions (then triggers) from the end until the file is about TARGET_BYTES; keeps one action. */
function trim(manifest: Json): void {
  const actions = actionsOf(manifest);
  const size = () => JSON.stringify(manifest, null, 2).length;
  for (const key of Object.keys(actions).reverse()) {
    if (Object.keys(actions).length === 1 || size() <= TARGET_BYTES) break;
    delete actions[key];
  }
  const triggers = manifest.triggers as Json;
  for (const key of Object.keys(triggers)) {
    if (size() <= TARGET_BYTES) break;
    delete triggers[key];
  }
}

/** Bundled manifests trimmed once to ~4 KB, as JSON text: parsing one is cheaper than cloning. */
export function trimBases(bundled: readonly Json[]): string[] {
  return bundled.map((base) => {
    const manifest = structuredClone(base);
    delete manifest.version; // optional in a file; manifest-sync numbers versions itself
    trim(manifest);
    return JSON.stringify(manifest);
  });
}

/**
 * The n-th generated manifest: derived from trimmed base `n % count` with a new slug
 * (`<base>-<n>`), name, description and status, then the edits applied in order.
 */
export function deriveManifest(bases: readonly string[], n: number, edits: readonly Edit[]): Json {
  const manifest = JSON.parse(bases[n % bases.length] as string) as Json;
  const slug = `${String(manifest.slug)}-${n}`;
  manifest.slug = slug;
  manifest.name = `${String(manifest.name)} ${n}`;
  manifest.description = `${String(manifest.description)} Variant ${n}.`;
  manifest.status = STATUSES[n % STATUSES.length];
  const nango = manifest.nango as Json;
  nango.provider_config_key = slug;
  for (const edit of edits) applyEdit(manifest, edit);
  return manifest;
}

function applyEdit(manifest: Json, edit: Edit): void {
  const actions = actionsOf(manifest);
  const keys = Object.keys(actions);
  switch (edit.kind) {
    case 'describe':
      manifest.description = edit.text;
      return;
    case 'add-scope': {
      // Not every connector is OAuth (an API-key connector has no scopes): describe it instead.
      const oauth = manifest.oauth as { scopes?: string[] } | undefined;
      if (oauth?.scopes === undefined) {
        manifest.description = `Connector description, revision ${edit.scope}.`;
        return;
      }
      if (!oauth.scopes.includes(edit.scope)) oauth.scopes.push(edit.scope);
      return;
    }
    case 'add-input': {
      const key = keys[edit.action % keys.length];
      if (key === undefined) return;
      const action = actions[key] as { input: { properties?: Json } };
      action.input.properties ??= {};
      action.input.properties[edit.name] = {
        type: 'string',
        description: `Optional ${edit.name.replaceAll('_', ' ')}.`,
      };
      return;
    }
    case 'remove-action': {
      const key = keys[edit.action % keys.length];
      if (key !== undefined && keys.length > 1) delete actions[key];
      return;
    }
  }
}

/** A realistic edit: mostly descriptions and new optional inputs, some scopes, rarely a removed action. */
export function randomEdit(random: Random, serial: number): Edit {
  const roll = random.next();
  if (roll < 0.4)
    return { kind: 'add-input', action: random.int(0, 7), name: `opt_field_${serial}` };
  if (roll < 0.75) return { kind: 'describe', text: `Connector description, revision ${serial}.` };
  if (roll < 0.95) return { kind: 'add-scope', scope: `scope.extra.${serial}` };
  return { kind: 'remove-action', action: random.int(0, 7) };
}

/** The file text git stores: two-space JSON with a final newline. */
export function manifestText(manifest: Json): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** The 99 bundled manifests (`manifests/` at the repository's root), trimmed as generated ones are. */
export function bundledBases(): ReturnType<typeof trimBases> {
  return trimBases(loadBundledManifests(new URL('../manifests/', import.meta.url).pathname));
}
