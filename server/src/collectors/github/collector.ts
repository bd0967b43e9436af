import type { Collector } from '../collector.js';
import { githubFactSchemas } from './schemas.js';

/**
 * GitHub: repository settings, branch protection, files, security alerts and Actions runs,
 * mapped through the `github.com/project-slug` annotation. (Collection lands with the
 * collectors issue; until then these facts arrive pushed.)
 */
export const githubCollector: Collector = {
  id: 'github',
  version: 1,
  factSchemas: { ...githubFactSchemas },
  maxAgeSeconds: {
    'github.repository': 2 * 86_400,
    'github.branch-protection': 2 * 86_400,
    'github.files': 2 * 86_400,
    'github.security': 2 * 86_400,
    'github.actions': 2 * 86_400,
  },
  appliesTo: (entity) => Boolean(entity.metadata.annotations?.['github.com/project-slug']),
  async collect() {
    return { facts: [], errors: [] };
  },
};
