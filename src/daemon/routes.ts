import type { Logger } from 'pino';
import type { Config, DaemonConfig } from '../config.js';
import type { RouteFactory } from './startDaemon.js';

/** The daemon's routes beyond health, metrics and webhook: the read API, the page and admin. */
export function buildRoutes(_config: Config, _daemon: DaemonConfig, _logger: Logger): RouteFactory {
  return () => [];
}
