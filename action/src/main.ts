/**
 * The Yardstick gate as a GitHub Action: gather the pull request's facts, ask the server (or
 * judge the checkout standalone), then report through the job summary, annotations and outputs.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { parseReports } from '../../server/src/collectors/ci/parse-reports.js';
import { ReportError } from '../../server/src/collectors/ci/report-error.js';
import { explainRefusal, requestGate } from '../../server/src/gate/client.js';
import { blockingChecks, headline, renderMarkdown } from '../../server/src/gate/render.js';
import { localFilesFact } from '../../server/src/gate/repo-files.js';
import { runStandaloneGate, StandaloneError } from '../../server/src/gate/standalone.js';
import type { GateFactInput, GateRequest, GateResponse } from '../../server/src/gate/types.js';
import { readTarget, type GateTarget } from './event.js';
import { InputError, OUTPUTS, parseSettings, type Settings } from './settings.js';

/** `{ "<entityRef>": { "<trackId>": { base, head, required, passed } } }` — the `levels` output. */
export function levelsOutput(response: GateResponse): Record<string, Record<string, { base: string | null; head: string | null; required: string; passed: boolean }>> {
  const out: ReturnType<typeof levelsOutput> = {};
  for (const t of response.tracks) {
    (out[t.entityRef] ??= {})[t.trackId] = { base: t.baseLevel, head: t.headLevel, required: t.requiredLevel, passed: t.passed };
  }
  return out;
}

async function gatherFacts(settings: Settings, workspace: string): Promise<GateFactInput[]> {
  const facts: GateFactInput[] = [];
  const { lcov, cobertura, junit } = settings.reports;
  const at = (f?: string) => (f ? path.resolve(workspace, f) : undefined);
  if (lcov || cobertura || junit) {
    for (const f of (await parseReports({ lcov: at(lcov), cobertura: at(cobertura), junit: at(junit) })).facts) facts.push({ id: f.id, data: f.data });
  }
  // Only a real checkout says which files the pull request has; an empty workspace would read as "all deleted".
  if (existsSync(path.join(workspace, '.git'))) facts.push({ id: 'github.files', data: await localFilesFact(workspace) });
  if (settings.entities.length === 1) return facts.map((f) => ({ ...f, entityRef: settings.entities[0] }));
  return facts;
}

async function publish(response: GateResponse): Promise<void> {
  core.setOutput(OUTPUTS.verdict, response.verdict);
  core.setOutput(OUTPUTS.levels, JSON.stringify(levelsOutput(response)));
  core.setOutput(OUTPUTS.reportUrl, response.reportUrl);
  await core.summary.addRaw(renderMarkdown(response)).write();
  for (const { track, check } of blockingChecks(response)) {
    const fix = check.remediation ? ` Fix: ${check.remediation}` : '';
    core.error(`${check.message}.${fix}`.replace(/\.\./g, '.'), { title: `${check.name} (${track.trackName}, ${track.entityRef})` });
  }
  for (const t of response.tracks) {
    for (const check of t.newlyFailing.filter((c) => !c.blocking)) {
      core.warning(`${check.message} (above the required level; not blocking)`, { title: `${check.name} (${t.trackName}, ${t.entityRef})` });
    }
  }
  if (response.passed) {
    core.info(headline(response));
  } else {
    const first = blockingChecks(response)[0];
    const detail = first ? ` First: "${first.check.name}" — ${(first.check.remediation || first.check.message).replace(/\.$/, '')}.` : '';
    core.setFailed(`${headline(response)}.${detail} Details in the job summary and at ${response.reportUrl}`);
  }
}

async function serverUnavailable(settings: Settings, target: GateTarget, message: string): Promise<void> {
  if (settings.onServerError === 'pass') {
    core.warning(`Yardstick could not decide (${message}); passing because on-server-error is "pass".`, { title: 'Yardstick gate skipped' });
    core.setOutput(OUTPUTS.verdict, 'skipped');
    core.setOutput(OUTPUTS.levels, '{}');
    core.setOutput(OUTPUTS.reportUrl, '');
    await core.summary
      .addRaw(`## ⚠️ Yardstick gate skipped\n\nThe server could not decide on \`${target.repo}\` at \`${target.sha.slice(0, 12)}\`: ${message}\n\nPassing because \`on-server-error: pass\`.\n`)
      .write();
    return;
  }
  core.setOutput(OUTPUTS.verdict, 'error');
  core.setFailed(`Yardstick could not decide: ${message}. Retry the job; if the server is down on purpose, set on-server-error: pass to let pull requests through.`);
}

/** Entry point: never throws; every failure ends in `core.setFailed` with what to do about it. */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    const settings = parseSettings();
    const target = readTarget(env);
    const workspace = env.GITHUB_WORKSPACE || process.cwd();
    let response: GateResponse;
    if (settings.serverUrl) {
      const request: GateRequest = {
        repo: target.repo,
        sha: target.sha,
        ...(target.pullRequest ? { pullRequest: target.pullRequest } : {}),
        ...(target.baseRef ? { baseRef: target.baseRef } : {}),
        ...(settings.entities.length ? { entities: settings.entities } : {}),
        ...(settings.tracks.length ? { tracks: settings.tracks } : {}),
        ...(settings.mode ? { mode: settings.mode } : {}),
        facts: await gatherFacts(settings, workspace),
      };
      const result = await requestGate({ serverUrl: settings.serverUrl, token: settings.token, timeoutMs: settings.timeoutMs, userAgent: 'yardstick-action' }, request);
      if (result.kind === 'unavailable') return await serverUnavailable(settings, target, result.message);
      if (result.kind === 'refused') {
        core.setOutput(OUTPUTS.verdict, 'error');
        return core.setFailed(explainRefusal(result));
      }
      response = result.response;
    } else {
      const at = (f?: string) => (f ? path.resolve(workspace, f) : undefined);
      response = await runStandaloneGate({
        workspace,
        standardsPath: settings.standardsPath,
        repo: target.repo,
        sha: target.sha,
        pullRequest: target.pullRequest,
        baseRef: target.baseRef,
        entities: settings.entities,
        tracks: settings.tracks,
        mode: settings.mode,
        reports: { lcov: at(settings.reports.lcov), cobertura: at(settings.reports.cobertura), junit: at(settings.reports.junit) },
      });
    }
    await publish(response);
  } catch (err) {
    core.setOutput(OUTPUTS.verdict, 'error');
    if (err instanceof InputError) return core.setFailed(err.message);
    if (err instanceof ReportError) return core.setFailed(`Cannot use a CI report: ${err.message}`);
    if (err instanceof StandaloneError) return core.setFailed(`Standalone gate: ${err.message}`);
    core.setFailed(`Yardstick gate failed to run: ${(err as Error).message}`);
  }
}
