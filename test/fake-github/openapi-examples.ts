/**
 * Response bodies for the fake GitHub, taken from the examples in GitHub's published OpenAPI
 * description (`@octokit/openapi`). The 13 MB file is read once, on first use, and only the
 * few examples the fake serves are kept.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const NAMES = {
  workflowRuns: 'workflow-run-paginated',
  dependabotAlerts: 'dependabot-alerts-for-repository',
  codeScanningAlerts: 'code-scanning-alert-items',
  secretScanningAlerts: 'secret-scanning-alert-list',
  ruleItems: 'repository-rule-items',
  codeownersErrors: 'codeowners-errors',
  rateLimit: 'rate-limit-overview',
} as const;

export type ExampleName = keyof typeof NAMES;

/** One object per example: a single item for list examples, the whole value otherwise. */
export interface OpenApiExamples {
  workflowRun: Record<string, any>;
  dependabotAlert: Record<string, any>;
  codeScanningAlert: Record<string, any>;
  secretScanningAlert: Record<string, any>;
  ruleItem: Record<string, any>;
  codeownersError: Record<string, any>;
  rateLimit: Record<string, any>;
}

let loaded: OpenApiExamples | undefined;

/** The examples the fake needs (read lazily, cached for the process). */
export function openApiExamples(): OpenApiExamples {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
  const spec = JSON.parse(readFileSync(file, 'utf8')) as { components: { examples: Record<string, { value: any }> } };
  const value = (name: ExampleName) => {
    const example = spec.components.examples[NAMES[name]];
    if (!example) throw new Error(`OpenAPI example ${NAMES[name]} is missing from @octokit/openapi`);
    return structuredClone(example.value);
  };
  loaded = {
    workflowRun: value('workflowRuns').workflow_runs[0],
    dependabotAlert: value('dependabotAlerts')[0],
    codeScanningAlert: value('codeScanningAlerts')[0],
    secretScanningAlert: value('secretScanningAlerts')[0],
    ruleItem: value('ruleItems')[0],
    codeownersError: value('codeownersErrors').errors[0],
    rateLimit: value('rateLimit'),
  };
  return loaded;
}
