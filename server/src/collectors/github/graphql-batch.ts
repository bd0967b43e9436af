/**
 * One GraphQL query reads a batch of repositories (aliases `r0…rN`): settings, default branch
 * and its protection rule, licence, topics, open pull requests, and the file names the files fact
 * needs (root, `.github`, `.github/workflows`, `docs` trees). One request instead of ~10 REST calls.
 */

export interface TreeEntries {
  entries: { name: string; type: string }[];
}

export interface GraphqlProtectionRule {
  requiresApprovingReviews: boolean;
  requiredApprovingReviewCount: number | null;
  dismissesStaleReviews: boolean;
  requiresCodeOwnerReviews: boolean;
  requiresStatusChecks: boolean;
  requiredStatusCheckContexts: (string | null)[] | null;
  requiresStrictStatusChecks: boolean;
  isAdminEnforced: boolean;
  allowsForcePushes: boolean;
  allowsDeletions: boolean;
  requiresLinearHistory: boolean;
  requiresCommitSignatures: boolean;
}

export interface GraphqlRepository {
  nameWithOwner: string;
  visibility: 'PUBLIC' | 'PRIVATE' | 'INTERNAL';
  isArchived: boolean;
  description: string | null;
  pushedAt: string | null;
  licenseInfo: { spdxId: string | null; key: string } | null;
  repositoryTopics: { nodes: { topic: { name: string } }[] };
  pullRequests: { totalCount: number; nodes: { createdAt: string }[] };
  defaultBranchRef: { name: string; branchProtectionRule: GraphqlProtectionRule | null } | null;
  root: TreeEntries | null;
  dotGithub: TreeEntries | null;
  workflowsDir: TreeEntries | null;
  docsDir: TreeEntries | null;
}

const TREE = '... on Tree { entries { name type } }';

const FRAGMENT = `fragment YardstickRepo on Repository {
  nameWithOwner visibility isArchived description pushedAt
  licenseInfo { spdxId key }
  repositoryTopics(first: 20) { nodes { topic { name } } }
  pullRequests(states: OPEN, first: 1, orderBy: { field: CREATED_AT, direction: ASC }) { totalCount nodes { createdAt } }
  defaultBranchRef { name branchProtectionRule {
    requiresApprovingReviews requiredApprovingReviewCount dismissesStaleReviews requiresCodeOwnerReviews
    requiresStatusChecks requiredStatusCheckContexts requiresStrictStatusChecks isAdminEnforced
    allowsForcePushes allowsDeletions requiresLinearHistory requiresCommitSignatures } }
  root: object(expression: "HEAD:") { ${TREE} }
  dotGithub: object(expression: "HEAD:.github") { ${TREE} }
  workflowsDir: object(expression: "HEAD:.github/workflows") { ${TREE} }
  docsDir: object(expression: "HEAD:docs") { ${TREE} }
}`;

/** The query and variables for a batch of `owner/name` slugs; alias `r<i>` is the i-th slug. */
export function buildRepositoriesQuery(slugs: string[]): { query: string; variables: Record<string, string> } {
  const variables: Record<string, string> = {};
  const decls: string[] = [];
  const fields: string[] = [];
  slugs.forEach((slug, i) => {
    const [owner, name] = slug.split('/');
    variables[`o${i}`] = owner;
    variables[`n${i}`] = name;
    decls.push(`$o${i}: String!, $n${i}: String!`);
    fields.push(`  r${i}: repository(owner: $o${i}, name: $n${i}) { ...YardstickRepo }`);
  });
  const query = `query YardstickRepositories(${decls.join(', ')}) {\n  rateLimit { cost remaining resetAt }\n${fields.join('\n')}\n}\n${FRAGMENT}`;
  return { query, variables };
}

/** A GraphQL error as GitHub reports it. */
export interface GraphqlError {
  type?: string;
  message: string;
  path?: (string | number)[];
}

export interface BatchResult {
  /** By slug: the repository, or why it could not be read. */
  repositories: Map<string, { repo: GraphqlRepository; partialErrors: GraphqlError[] } | { error: string }>;
}

/** Split a (possibly partial) GraphQL answer by alias. */
export function splitBatch(slugs: string[], data: Record<string, unknown> | null | undefined, errors: GraphqlError[] = []): BatchResult {
  const repositories: BatchResult['repositories'] = new Map();
  slugs.forEach((slug, i) => {
    const alias = `r${i}`;
    const own = errors.filter((e) => e.path?.[0] === alias);
    const repo = data?.[alias] as GraphqlRepository | null | undefined;
    if (repo && typeof repo === 'object') {
      repositories.set(slug, { repo, partialErrors: own.filter((e) => (e.path?.length ?? 0) > 1) });
    } else {
      const notFound = own.find((e) => e.type === 'NOT_FOUND');
      const message = notFound
        ? `GitHub repository ${slug} not found, or not visible to the token`
        : `GitHub GraphQL gave no data for ${slug}: ${own.map((e) => e.message).join('; ') || errors.map((e) => e.message).join('; ') || 'empty answer'}`;
      repositories.set(slug, { error: message });
    }
  });
  return { repositories };
}
