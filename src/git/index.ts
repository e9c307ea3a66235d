export { openRepository } from './repository.js';
export type {
  CommitChanges,
  CommitInfo,
  FileChange,
  GitRepository,
  ReadCommitsOptions,
  SizedText,
  SnapshotEntry,
} from './types.js';
