/**
 * Render a gate verdict for people and tools: Markdown (job summary, PR comment), plain text
 * (terminal) and JUnit XML (GitLab, Jenkins, Azure). One implementation, shared by the server,
 * the GitHub Action and `yardstick gate`. Pure and deterministic: no clock, no randomness.
 */
import type { GateCheck } from '../engine/types.js';
import type { GateResponse, GateTrackResult } from './types.js';

const levelName = (t: GateTrackResult, id: string | null) => (id === null ? 'no level' : (t.levels.find((l) => l.id === id)?.name ?? id));
const entityLabel = (t: GateTrackResult) => t.entityTitle ?? t.entityRef;
const mdCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const blockingOf = (t: GateTrackResult) => [...t.newlyFailing, ...t.stillFailing].filter((c) => c.blocking);

/** Checks that block the merge, across every entity and track. */
export function blockingChecks(response: GateResponse): { track: GateTrackResult; check: GateCheck }[] {
  return response.tracks.flatMap((track) => blockingOf(track).map((check) => ({ track, check })));
}

/** One-line headline, e.g. `Yardstick gate failed: 2 blocking checks on 1 of 2 tracks`. */
export function headline(response: GateResponse): string {
  if (response.tracks.length === 0) return 'Yardstick gate passed: nothing to gate';
  const failing = response.tracks.filter((t) => !t.passed).length;
  if (response.passed) return `Yardstick gate passed: ${response.tracks.length} track${response.tracks.length === 1 ? '' : 's'} checked`;
  const n = blockingChecks(response).length;
  return `Yardstick gate failed: ${n} blocking check${n === 1 ? '' : 's'} on ${failing} of ${response.tracks.length} track${response.tracks.length === 1 ? '' : 's'}`;
}

function checkLine(c: GateCheck): string {
  const was = c.baseOutcome === c.outcome ? '' : ` (was ${c.baseOutcome} on the default branch)`;
  return `**${c.name}** \`${c.checkId}\` — ${c.outcome}${was}: ${c.message}${c.remediation ? `\n  - Fix: ${c.remediation}` : ''}`;
}

/**
 * Markdown for a GitHub job summary or a merge-request note: a table per verdict (base level →
 * pull request level vs required), then the blocking checks with their remediation.
 */
export function renderMarkdown(response: GateResponse): string {
  const out: string[] = [];
  out.push(`## ${response.passed ? '✅' : '❌'} ${headline(response)}`, '');
  const pr = response.pullRequest ? ` · pull request #${response.pullRequest}` : '';
  out.push(`\`${response.repo}\` at \`${response.sha.slice(0, 12)}\`${pr} · definitions \`${response.definitionsVersion}\`${response.source === 'standalone' ? ' · standalone' : ''}`, '');
  for (const note of response.notes ?? []) out.push(`> ${note}`, '');
  if (response.tracks.length > 0) {
    out.push('| Entity | Track | Default branch | This pull request | Required | Mode | Result |', '|---|---|---|---|---|---|---|');
    for (const t of response.tracks) {
      out.push(
        `| [${mdCell(entityLabel(t))}](${t.reportUrl}) | ${mdCell(t.trackName)} | ${levelName(t, t.baseLevel)} | ${levelName(t, t.headLevel)} | ${levelName(t, t.requiredLevel)} | ${t.mode} | ${t.passed ? '✅ pass' : '❌ fail'} |`,
      );
    }
    out.push('');
  }
  for (const t of response.tracks) {
    const blocking = blockingOf(t);
    const debt = t.stillFailing.filter((c) => !c.blocking);
    const warn = t.newlyFailing.filter((c) => !c.blocking);
    if (blocking.length === 0 && debt.length === 0 && warn.length === 0 && t.fixed.length === 0) continue;
    out.push(`### ${t.passed ? '✅' : '❌'} ${mdCell(entityLabel(t))} — ${mdCell(t.trackName)}`, '', t.reason, '');
    if (blocking.length > 0) {
      out.push('Blocking checks:', '');
      for (const c of blocking) out.push(`- ${checkLine(c)}`);
      out.push('');
    }
    if (warn.length > 0) {
      out.push('Newly failing above the required level (not blocking):', '');
      for (const c of warn) out.push(`- ${checkLine(c)}`);
      out.push('');
    }
    if (t.fixed.length > 0) out.push(`Fixed by this pull request: ${t.fixed.map((id) => `\`${id}\``).join(', ')}`, '');
    if (debt.length > 0) {
      out.push(`<details><summary>${debt.length} check${debt.length === 1 ? '' : 's'} not passing that do${debt.length === 1 ? 'es' : ''} not block</summary>`, '');
      for (const c of debt) out.push(`- ${checkLine(c)}`);
      out.push('', '</details>', '');
    }
  }
  out.push(`[Open the report](${response.reportUrl})`, '');
  return out.join('\n');
}

/** Plain text for a terminal. */
export function renderText(response: GateResponse): string {
  const out: string[] = [headline(response), `${response.repo} @ ${response.sha.slice(0, 12)} (definitions ${response.definitionsVersion})`];
  for (const note of response.notes ?? []) out.push(`note: ${note}`);
  for (const t of response.tracks) {
    out.push('', `${t.passed ? 'PASS' : 'FAIL'}  ${t.entityRef} — ${t.trackName} [${t.mode}]: default branch ${levelName(t, t.baseLevel)} → PR ${levelName(t, t.headLevel)} (required ${levelName(t, t.requiredLevel)})`);
    for (const c of [...t.newlyFailing, ...t.stillFailing]) {
      out.push(`  ${c.blocking ? '✗ blocking' : '· not blocking'}  ${c.checkId}: ${c.outcome} — ${c.message}`);
      if (c.blocking && c.remediation) out.push(`      fix: ${c.remediation}`);
    }
  }
  out.push('', `Report: ${response.reportUrl}`);
  return `${out.join('\n')}\n`;
}

const xml = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // XML 1.0 has no representation for most control characters.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');

/**
 * JUnit XML: one `<testsuite>` per entity × track, one `<testcase>` per check of the track.
 * Blocking checks carry a `<failure>`; checks not passing that do not block are `<skipped>`.
 */
export function renderJunit(response: GateResponse): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const t of response.tracks) {
    const notPassing = new Map([...t.newlyFailing, ...t.stillFailing].map((c) => [c.checkId, c]));
    const cases: string[] = [];
    let suiteFailures = 0;
    let skipped = 0;
    for (const level of t.levels) {
      for (const checkId of level.checks) {
        const c = notPassing.get(checkId);
        const open = `    <testcase classname="${xml(`${t.entityRef}.${t.trackId}.${level.id}`)}" name="${xml(c?.name ? `${checkId}: ${c.name}` : checkId)}" time="0"`;
        if (!c) {
          cases.push(`${open}/>`);
        } else if (c.blocking) {
          suiteFailures++;
          const body = `${c.message}${c.remediation ? `\nFix: ${c.remediation}` : ''}\nDefault branch: ${c.baseOutcome}; this pull request: ${c.outcome}.`;
          cases.push(`${open}>\n      <failure message="${xml(`${c.outcome}: ${c.message}`)}" type="${c.outcome}">${xml(body)}</failure>\n    </testcase>`);
        } else {
          skipped++;
          cases.push(`${open}>\n      <skipped message="${xml(`${c.outcome}, not blocking: ${c.message}`)}"/>\n    </testcase>`);
        }
      }
    }
    const count = t.levels.reduce((n, l) => n + l.checks.length, 0);
    tests += count;
    failures += suiteFailures;
    suites.push(
      `  <testsuite name="${xml(`${t.entityRef} / ${t.trackName}`)}" tests="${count}" failures="${suiteFailures}" errors="0" skipped="${skipped}">\n` +
        `    <properties>\n      <property name="mode" value="${t.mode}"/>\n      <property name="requiredLevel" value="${xml(t.requiredLevel)}"/>\n` +
        `      <property name="baseLevel" value="${xml(t.baseLevel ?? '')}"/>\n      <property name="headLevel" value="${xml(t.headLevel ?? '')}"/>\n    </properties>\n` +
        `${cases.join('\n')}${cases.length ? '\n' : ''}  </testsuite>`,
    );
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="yardstick gate" tests="${tests}" failures="${failures}" errors="0">\n` +
    `${suites.join('\n')}${suites.length ? '\n' : ''}</testsuites>\n`
  );
}
