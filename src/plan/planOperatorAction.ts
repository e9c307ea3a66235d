import semver from 'semver';
import { newestUnyanked, pinHolds } from './holds.js';
import type {
  OperatorPlan,
  OperatorRefusal,
  OperatorRefusalCode,
  OperatorRequest,
  OperatorState,
  OperatorVerdict,
} from './operatorTypes.js';

type Version = OperatorState['versions'][number];

const refuse = (code: OperatorRefusalCode, message: string): OperatorVerdict => ({
  ok: false,
  refusal: { code, message },
});

/** Finds `1.2.3` or `slug@1.2.3` among the connector's versions, or says why not. */
function findVersion(state: OperatorState, ref: string): Version | OperatorRefusal {
  const at = ref.lastIndexOf('@');
  const slug = at < 0 ? state.slug : ref.slice(0, at);
  const number = at < 0 ? ref : ref.slice(at + 1);
  if (slug !== state.slug)
    return {
      code: 'wrong-target',
      message: `${ref} is not a version of ${state.slug}: an operator action stays within one connector`,
    };
  const found = state.versions.find((v) => v.version === number);
  return (
    found ?? {
      code: 'unknown-version',
      message: `${state.slug} has no version ${number}: see \`manifest-sync history ${state.slug}\``,
    }
  );
}

/** Ordered by semver when both are versions, else neither is earlier. */
function earlier(a: string, b: string): boolean {
  return semver.valid(a) !== null && semver.valid(b) !== null && semver.lt(a, b);
}

/** A deleted file leaves its connector deprecated while its last manifest says otherwise. */
function deleted(state: OperatorState): boolean {
  return state.status === 'deprecated' && state.latestManifestStatus !== 'deprecated';
}

function base(state: OperatorState, request: OperatorRequest): OperatorPlan {
  const current = state.versions.find((v) => v.id === state.latestVersionId)?.version ?? null;
  return {
    connectorId: state.id,
    slug: state.slug,
    pointer: null,
    pin: null,
    yank: null,
    audit: {
      action: request.action,
      slug: state.slug,
      version: null,
      fromVersion: current,
      toVersion: current,
      until: null,
      reason: request.reason,
      detail: null,
    },
  };
}

function moveTo(plan: OperatorPlan, target: Version | null): void {
  if (!target) return;
  plan.audit.toVersion = target.version;
  plan.pointer = { versionId: target.id, version: target.version };
}

/** rollback (to an earlier version) and pin (any version): move the pointer there and pin it. */
function planPin(
  state: OperatorState,
  request: Extract<OperatorRequest, { action: 'rollback' | 'pin' }>,
  now: Date,
): OperatorVerdict {
  if (deleted(state))
    return refuse(
      'connector-gone',
      `${state.slug} is deleted (its manifest was removed and the connector deprecated): there is nothing to ${request.action}`,
    );
  if (request.until && request.until.getTime() <= now.getTime())
    return refuse('wrong-target', `--until ${request.until.toISOString()} is not in the future`);
  const current = state.versions.find((v) => v.id === state.latestVersionId) ?? null;
  const ref = request.action === 'rollback' ? request.to : request.version;
  let target: Version | null;
  if (ref !== null) {
    const found = findVersion(state, ref);
    if ('code' in found) return { ok: false, refusal: found };
    target = found;
  } else if (request.action === 'pin') {
    target = current;
  } else {
    const before = state.versions.filter(
      (v) => current !== null && earlier(v.version, current.version),
    );
    target = newestUnyanked(before);
    if (!target && current)
      return refuse(
        'nowhere-to-go',
        `${state.slug} has no version before ${current.version} that is not yanked: nothing to roll back to`,
      );
  }
  if (!current || !target)
    return refuse('nowhere-to-go', `${state.slug} has no latest version to ${request.action}`);
  if (request.action === 'rollback' && !earlier(target.version, current.version))
    return refuse(
      'wrong-target',
      `${state.slug}@${target.version} is not earlier than the latest, ${current.version}: a rollback goes back (\`pin\` holds any version)`,
    );
  if (target.yanked)
    return refuse(
      'yank-state',
      `${state.slug}@${target.version} is yanked: \`unyank\` it first, or choose another version`,
    );
  const plan = base(state, request);
  moveTo(plan, target);
  plan.pin = { versionId: target.id, until: request.until, reason: request.reason };
  plan.audit.version = target.version;
  plan.audit.until = request.until;
  if (state.pin)
    plan.audit.detail = `replaces the pin on ${state.versions.find((v) => v.id === state.pin?.versionId)?.version ?? '?'} by ${state.pin.by}`;
  return { ok: true, plan };
}

function planUnpin(state: OperatorState, request: OperatorRequest): OperatorVerdict {
  if (!state.pin) return refuse('yank-state', `${state.slug} is not pinned: nothing to unpin`);
  const plan = base(state, request);
  plan.pin = 'clear';
  moveTo(plan, newestUnyanked(state.versions));
  return { ok: true, plan };
}

function planYank(
  state: OperatorState,
  request: Extract<OperatorRequest, { action: 'yank' | 'unyank' }>,
  now: Date,
): OperatorVerdict {
  const found = findVersion(state, request.version);
  if ('code' in found) return { ok: false, refusal: found };
  const yank = request.action === 'yank';
  if (found.yanked === yank)
    return refuse(
      'yank-state',
      `${state.slug}@${found.version} is ${yank ? 'already' : 'not'} yanked: nothing to do`,
    );
  const after = state.versions.map((v) => (v.id === found.id ? { ...v, yanked: yank } : v));
  const rest = newestUnyanked(after);
  if (!rest)
    return refuse(
      'nowhere-to-go',
      `yanking ${state.slug}@${found.version} would leave no version the latest pointer could rest on`,
    );
  if (yank && state.pin?.versionId === found.id)
    return refuse(
      'yank-state',
      `${state.slug}@${found.version} is pinned by ${state.pin.by}: \`unpin\` it (or pin another version) first`,
    );
  const plan = base(state, request);
  plan.yank = { versionId: found.id, yanked: yank, reason: request.reason };
  plan.audit.version = found.version;
  const held = pinHolds(state.pin, now);
  // The pointer leaves a version being yanked; an unyank restores the newest when no pin holds.
  if (!held && (yank ? state.latestVersionId === found.id : rest.id !== state.latestVersionId))
    moveTo(plan, rest);
  return { ok: true, plan };
}

/**
 * Decides an operator action on one connector from its state read under the lock: what the
 * pointer, the pin and the yanks become, and the audit row that records it; or a refusal that
 * says why, writing nothing. `state` null: no connector has the slug. Pure.
 */
export function planOperatorAction(
  request: OperatorRequest,
  state: OperatorState | null,
  now: Date,
): OperatorVerdict {
  if (!state)
    return refuse(
      'unknown-connector',
      request.slug === ''
        ? 'name a connector by its slug'
        : `no connector has the slug \`${request.slug}\``,
    );
  if (!state.isPlatform)
    return refuse(
      'connector-gone',
      `${state.slug} is a user's connector (is_platform = false): manifest-sync never changes it`,
    );
  switch (request.action) {
    case 'rollback':
    case 'pin':
      return planPin(state, request, now);
    case 'unpin':
      return planUnpin(state, request);
    default:
      return planYank(state, request, now);
  }
}
