import { checkManifest, resolveWheelUrl } from '../manifest/index.js';
import type { ConnectorState, ManifestFile } from './types.js';

/** The version assumed for a base manifest that names none: what its first sync would number. */
export const ASSUMED_VERSION = '1.0.0';

/**
 * The state a database would hold if it had synced exactly the base's manifests: one platform
 * connector per valid file, its latest version the file's own `version` (or 1.0.0). Lets `check`
 * plan with the same planner as `sync` and no database. An invalid or missing base file gives no
 * state (the head's file is then planned as new). Pure.
 */
export function computeBaseStates(
  files: readonly (ManifestFile & { text: string })[],
): Map<string, ConnectorState> {
  const states = new Map<string, ConnectorState>();
  for (const file of files) {
    const checked = checkManifest(file.text, { file: file.path, expectedSlug: file.slug });
    if (!checked.ok) continue;
    const { manifest, hash } = checked;
    const number = manifest.version ?? ASSUMED_VERSION;
    const version = { id: `base:${file.slug}`, version: number, hash };
    // The row's wheel_url as sync would have written it: the template resolved with that version.
    const wheelUrl = resolveWheelUrl(manifest.wheel_url, { slug: file.slug, version: number });
    states.set(file.slug, {
      id: `base:${file.slug}`,
      slug: file.slug,
      name: manifest.name,
      status: manifest.status,
      isPlatform: true,
      latest: { ...version, manifest, blobOid: file.oid, wheelUrl },
      versions: [version],
    });
  }
  return states;
}
