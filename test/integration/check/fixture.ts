import type { Action } from '../../../src/manifest/types.js';
import { createTempRepo, type TempRepo } from '../../helpers/gitRepo.js';
import { buildAction, buildManifest, manifestText } from '../../helpers/manifestBuilder.js';

/** A manifests repository with a pull request's history, as `check` meets it in CI. */
export interface CheckRepo {
  repo: TempRepo;
  /** main's first commit: gmail, slack, hubspot at 1.0.0. */
  base: string;
  /** feature: gmail gains an action (minor), slack's description changes (patch). */
  minorCommit: string;
  /**
   * feature: gmail loses send_email (major), slack's description changes again (patch),
   * hubspot.json renamed to hubspot-crm.json (slug too), bad.json added with an unknown status.
   */
  head: string;
  /** main moved on after the fork: not an ancestor of feature's head. */
  mainAfter: string;
}

/** The line and column of `"status": "nope"` in bad.json, where the refusal must point. */
export const BAD_STATUS_AT = { line: 4, column: 3 };

const BAD = '{\n  "name": "Bad",\n  "slug": "bad",\n  "status": "nope"\n}\n';

/** Builds the repository: main at `mainAfter`, branch `feature` checked out at `head`. */
export function createCheckRepo(): CheckRepo {
  const repo = createTempRepo();
  const gmail = buildManifest();
  const slack = buildManifest({ slug: 'slack', name: 'Slack' });
  const hubspot = buildManifest({ slug: 'hubspot', name: 'HubSpot' });
  repo.write('manifests/gmail.json', manifestText(gmail));
  repo.write('manifests/slack.json', manifestText(slack));
  repo.write('manifests/hubspot.json', manifestText(hubspot));
  repo.write('README.md', 'manifests\n');
  const base = repo.commit('three connectors');
  repo.branch('feature');
  repo.write('README.md', 'manifests, moved on\n');
  const mainAfter = repo.commit('main moves on');
  repo.checkout('feature');

  const actions: Record<string, Action> = {
    ...gmail.actions,
    list_labels: buildAction({ name: 'List labels' }),
  };
  const withAction = { ...gmail, actions };
  repo.write('manifests/gmail.json', manifestText(withAction));
  repo.write(
    'manifests/slack.json',
    manifestText({ ...slack, description: 'Post messages to Slack channels.' }),
  );
  const minorCommit = repo.commit('gmail: list labels; slack: description');

  const { send_email: _removed, ...rest } = withAction.actions;
  repo.write('manifests/gmail.json', manifestText({ ...withAction, actions: rest }));
  repo.write(
    'manifests/slack.json',
    manifestText({ ...slack, description: 'Post and read messages in Slack channels.' }),
  );
  repo.remove('manifests/hubspot.json');
  repo.write(
    'manifests/hubspot-crm.json',
    manifestText({ ...hubspot, slug: 'hubspot-crm', name: 'HubSpot CRM' }),
  );
  repo.write('manifests/bad.json', BAD);
  const head = repo.commit('gmail drops send_email; hubspot renamed; bad added');
  return { repo, base, minorCommit, head, mainAfter };
}
