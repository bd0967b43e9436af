// Quick throughput check: our compiled JsonLogic vs json-logic-js `apply` on a simple rule.
// Run: npx tsx bench/jsonlogic-quick.ts
import jsonLogic from 'json-logic-js';
import { compileLogic } from '../server/src/engine/jsonlogic.js';

const rules: Record<string, unknown> = {
  'simple ==': { '==': [{ var: 'github.repository.archived' }, false] },
  'and of 3': {
    and: [
      { '==': [{ var: 'github.repository.archived' }, false] },
      { '>=': [{ var: 'github.repository.stars' }, 10] },
      { in: ['security', { var: 'github.repository.topics' }] },
    ],
  },
};
const data = { github: { repository: { archived: false, stars: 12, topics: ['security', 'api'] } } };
const ctx = { nowMs: Date.now() };

function measure(label: string, fn: () => unknown): number {
  for (let i = 0; i < 200_000; i++) fn(); // warm up
  const n = 5_000_000;
  const start = performance.now();
  for (let i = 0; i < n; i++) fn();
  const perSec = n / ((performance.now() - start) / 1000);
  console.log(`${label.padEnd(36)} ${(perSec / 1e6).toFixed(1)} M evals/s`);
  return perSec;
}

for (const [name, rule] of Object.entries(rules)) {
  const { compiled } = compileLogic(rule);
  if (!compiled) throw new Error('rule did not compile');
  const ours = measure(`${name} compiled`, () => compiled.evaluate(data, ctx));
  const theirs = measure(`${name} json-logic-js apply`, () => jsonLogic.apply(rule as never, data));
  console.log(`${name}: ${(ours / theirs).toFixed(1)}x json-logic-js`);
}
