/**
 * The gate's two store statements against what they replace: `gates.context` reads the same rows
 * as `entities.list` + `facts.latest` (two scopes) + `exemptions.active`, and `gates.record` with
 * facts leaves `facts` and `fact_history` exactly as `facts.write` does — and is all or nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, openTestStore, type TestStore } from '../../../test/support/services.js';
import type { Exemption } from '../engine/types.js';
import type { Store, StoredEntity } from '../store/index.js';
import type { FactWrite } from '../store/fact-repository.js';

const entity = (name: string, slug: string, kind = 'Component'): StoredEntity => ({
  ref: `${kind.toLowerCase()}:default/${name}`,
  entity: { apiVersion: 'backstage.io/v1alpha1', kind, metadata: { name, title: `T ${name}`, annotations: { 'github.com/project-slug': slug } }, spec: { type: 'service', owner: 'group:default/team-a' } },
  owner: 'group:default/team-a',
  system: null,
});

const NOW = new Date('2026-11-25T12:00:00.000Z');
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
const verdict = (sha: string) => ({ repo: 'Acme/Pay', sha, pullRequest: 4, passed: true, definitionsVersion: 'v1', verdict: { verdict: 'pass', sha } });

const factRows = (store: Store) =>
  store.db.selectFrom('facts')
    .select(['entity_ref', 'fact_id', 'scope', 'data', 'hash', 'source', 'collected_at', 'changed_at', 'last_error', 'last_error_at'])
    .orderBy('entity_ref').orderBy('fact_id').orderBy('scope').execute();
const historyRows = (store: Store) =>
  store.db.selectFrom('fact_history').select(['entity_ref', 'fact_id', 'scope', 'data', 'hash', 'source', 'collected_at']).orderBy('id').execute();

describe.each(dialects)('gate store statements on %s', (dialect) => {
  let a: TestStore | null;
  let b: TestStore | null;
  beforeAll(async () => {
    a = await openTestStore(dialect);
    b = await openTestStore(dialect);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('context() reads what entities.list, facts.latest (two scopes) and exemptions.active read', async (ctx) => {
    if (!a) return ctx.skip();
    const store = a.store;
    const pay = entity('pay', 'Acme/Pay');
    const payApi = entity('pay-api', 'acme/pay', 'API');
    const payTeam = entity('pay-team', 'acme/pay', 'Group');
    const other = entity('other', 'acme/other');
    await store.entities.sync([pay, payApi, payTeam, other]);
    const refs = [pay.ref, payApi.ref, payTeam.ref];
    await store.facts.write([
      { entityRef: pay.ref, id: 'ci.coverage', data: { line: 80 }, source: 's', collectedAt: at(-600) },
      { entityRef: pay.ref, id: 'ci.tests', data: { total: 3, failed: 0 }, source: 's', collectedAt: at(-5) },
      { entityRef: pay.ref, id: 'ci.coverage', data: { line: 70 }, source: 'gate', collectedAt: at(-1), scope: 'sha:abc' },
      { entityRef: pay.ref, id: 'ci.coverage', data: { line: 60 }, source: 'gate', collectedAt: at(-1), scope: 'sha:def' },
      { entityRef: pay.ref, id: 'ci.coverage', data: { line: 50 }, source: 'gate', collectedAt: at(-1), scope: 'pr:4' },
      { entityRef: payApi.ref, id: 'ci.tests', data: { total: 1, failed: 1 }, source: 's', collectedAt: at(-2) },
      { entityRef: other.ref, id: 'ci.tests', data: { total: 9, failed: 0 }, source: 's', collectedAt: at(-2) },
    ]);
    await store.facts.recordError(pay.ref, ['ci.tests'], 'boom', at(-3));
    const mk = (entityRef: string, checkId: string, expires: Date) =>
      store.exemptions.create({ entityRef, checkId, reason: `r ${checkId}`, author: 'me', expiresAt: expires.toISOString() }, 'test');
    await mk(pay.ref, 'late', at(60 * 24));
    await mk(pay.ref, 'soon', at(30));
    await mk(pay.ref, 'expired', at(-1));
    const revoked = await mk(pay.ref, 'revoked', at(60));
    await store.exemptions.revoke(revoked.id, 'test', at(-1));
    await mk(payApi.ref, 'api', at(90));
    await mk(other.ref, 'elsewhere', at(90));

    const strip = ({ id, entityRef, checkId, reason, author, expiresAt, createdAt }: Exemption) => ({ id, entityRef, checkId, reason, author, expiresAt, createdAt });
    const expected = {
      entities: await store.entities.list({ githubSlug: 'acme/pay' }),
      baseFacts: await store.facts.latest(refs),
      scopedFacts: await store.facts.latest(refs, 'sha:abc'),
      exemptions: (await store.exemptions.active(NOW, refs)).map(strip),
    };
    const sortFacts = (m: Map<string, { id: string }[]>) => new Map([...m].map(([k, v]) => [k, [...v].sort((x, y) => x.id.localeCompare(y.id))]));
    const got = await store.gates.context({ githubSlug: 'ACME/pay' }, 'sha:abc', NOW);
    expect(got.entities).toEqual(expected.entities);
    expect(got.entities.map((e) => e.ref)).toEqual([payApi.ref, pay.ref, payTeam.ref]);
    expect(sortFacts(got.baseFacts)).toEqual(sortFacts(expected.baseFacts));
    expect(got.baseFacts.get(pay.ref)?.find((f) => f.id === 'ci.tests')?.lastError).toBe('boom');
    expect(sortFacts(got.scopedFacts)).toEqual(sortFacts(expected.scopedFacts));
    expect(got.exemptions.map(strip)).toEqual(expected.exemptions);
    expect(got.exemptions.map((e) => e.checkId)).toEqual(['soon', 'api', 'late']);

    const named = await store.gates.context({ refs: [pay.ref, 'component:default/missing'] }, 'sha:def', NOW);
    expect(named.entities).toEqual(await store.entities.list({ refs: [pay.ref] }));
    expect(sortFacts(named.scopedFacts)).toEqual(sortFacts(await store.facts.latest([pay.ref], 'sha:def')));
    expect(named.exemptions.map((e) => e.checkId)).toEqual(['soon', 'late']);

    const none = await store.gates.context({ githubSlug: 'acme/nothing' }, 'sha:abc', NOW);
    expect(none).toEqual({ entities: [], baseFacts: new Map(), scopedFacts: new Map(), exemptions: [] });
  });

  it('record() with facts leaves facts and fact_history as facts.write does, and returns the verdict id', async (ctx) => {
    if (!a || !b) return ctx.skip();
    const [viaWrite, viaGate] = [a.store, b.store];
    await viaWrite.db.deleteFrom('facts').execute();
    await viaWrite.db.deleteFrom('fact_history').execute();
    const ref = 'component:default/pay';
    const odd = { text: 'quote " backslash \\ comma , brace } unicode é ✓ \u2028', list: [1, 2.5, null, true, { nested: [] }], n: -0.1 };
    const batches: FactWrite[][] = [
      // new facts in two scopes, one of them written twice in the batch (the last wins)
      [
        { entityRef: ref, id: 'ci.coverage', data: { line: 70 }, source: 'gate', collectedAt: at(0), scope: 'sha:abc' },
        { entityRef: ref, id: 'ci.coverage', data: { line: 71 }, source: 'gate', collectedAt: at(0), scope: 'sha:abc' },
        { entityRef: ref, id: 'ci.coverage', data: { line: 71 }, source: 'gate', collectedAt: at(0), scope: 'pr:4' },
        { entityRef: ref, id: 'github.files', data: odd, source: 'gate', collectedAt: at(0), scope: 'pr:4' },
      ],
      // the same data again (keys in another order): no history row, changed_at kept, collected_at moves
      [
        { entityRef: ref, id: 'github.files', data: { n: -0.1, list: odd.list, text: odd.text }, source: 'gate', collectedAt: at(5), scope: 'pr:4' },
        { entityRef: ref, id: 'ci.coverage', data: { line: 71 }, source: 'gate', collectedAt: at(5), scope: 'pr:4' },
      ],
      // changed data: a history row, changed_at moves; a new fact beside it
      [
        { entityRef: ref, id: 'ci.coverage', data: { line: 72 }, source: 'gate', collectedAt: at(9), scope: 'pr:4' },
        { entityRef: ref, id: 'ci.tests', data: { total: 1, failed: 0 }, source: 'gate', collectedAt: at(9), scope: 'pr:4' },
      ],
    ];
    let lastId = 0;
    for (const [i, batch] of batches.entries()) {
      await viaWrite.facts.write(batch);
      const { id } = await viaGate.gates.record(verdict(`sha${i}`), batch);
      expect(Number(id)).toBeGreaterThan(lastId);
      lastId = Number(id);
    }
    expect(await factRows(viaGate)).toEqual(await factRows(viaWrite));
    expect(await historyRows(viaGate)).toEqual(await historyRows(viaWrite));
    expect(await historyRows(viaGate)).toHaveLength(5);
    const pr = await viaGate.facts.latest([ref], 'pr:4');
    const coverage = pr.get(ref)!.find((f) => f.id === 'ci.coverage')!;
    expect([coverage.data, coverage.changedAt, coverage.collectedAt]).toEqual([{ line: 72 }, at(9), at(9)]);
    const files = pr.get(ref)!.find((f) => f.id === 'github.files')!;
    expect([files.data, files.changedAt, files.collectedAt]).toEqual([odd, at(0), at(5)]);

    const [last] = await viaGate.gates.list({ repo: 'acme/pay', limit: 1 });
    expect(last).toMatchObject({ id: String(lastId), repo: 'acme/pay', sha: 'sha2', pullRequest: 4, passed: true, definitionsVersion: 'v1', verdict: { verdict: 'pass', sha: 'sha2' } });
    // Without facts it only appends the verdict.
    const before = await historyRows(viaGate);
    await viaGate.gates.record(verdict('sha3'));
    expect(await historyRows(viaGate)).toEqual(before);
    expect((await viaGate.gates.list({ repo: 'acme/pay' })).map((v) => v.sha)).toEqual(['sha3', 'sha2', 'sha1', 'sha0']);
  });

  it('record() is all or nothing: a verdict that cannot be stored leaves no facts behind', async (ctx) => {
    if (!b) return ctx.skip();
    const store = b.store;
    const ref = 'component:default/atomic';
    const facts: FactWrite[] = [{ entityRef: ref, id: 'ci.coverage', data: { line: 1 }, source: 'gate', collectedAt: at(0), scope: 'sha:fff' }];
    await expect(store.gates.record({ ...verdict('x'), sha: null as unknown as string }, facts)).rejects.toThrow();
    expect((await store.facts.latest([ref], 'sha:fff')).size).toBe(0);
    expect((await historyRows(store)).filter((r) => r.entity_ref === ref)).toEqual([]);
  });
});
