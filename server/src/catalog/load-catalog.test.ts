import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from './load-catalog.js';
import { component, GROUP_A, location, startServer, writeTree } from './test-helpers.js';

describe('loadCatalog from files', () => {
  it.each([
    { name: 'one document', yaml: component('a'), refs: ['component:default/a'] },
    { name: 'several documents', yaml: [GROUP_A, component('a'), component('b')].join('\n---\n'), refs: ['group:default/team-a', 'component:default/a', 'component:default/b'] },
    { name: 'empty documents are ignored', yaml: `---\n${component('a')}\n---\n---\n`, refs: ['component:default/a'] },
    { name: 'namespace is kept', yaml: component('a', {}, { namespace: 'ops' }), refs: ['component:ops/a'] },
    { name: 'kind is lower-cased in refs', yaml: 'apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata: { name: Payments }\nspec: { owner: team-a }\n', refs: ['system:default/payments'] },
  ])('multi-document YAML: $name', async ({ yaml, refs }) => {
    const tree = await writeTree({ 'catalog-info.yaml': yaml });
    try {
      const { catalog, problems } = await loadCatalog({ paths: [path.join(tree.dir, 'catalog-info.yaml')] });
      expect(problems).toEqual([]);
      expect(catalog.entities.map((e) => e.ref)).toEqual(refs);
    } finally {
      await tree.cleanup();
    }
  });

  it.each([
    { name: 'missing lifecycle', doc: component('bad', { lifecycle: undefined }), message: /lifecycle/ },
    { name: 'bad name', doc: component('Not A Valid Name!'), message: /metadata\.name/ },
    { name: 'unknown kind', doc: 'apiVersion: backstage.io/v1alpha1\nkind: Spaceship\nmetadata: { name: x }\nspec: {}\n', message: /unsupported kind/ },
    { name: 'foreign root field', doc: component('x').replace(/^\{/, '{"extra":1,'), message: /Unknown field extra/ },
    { name: 'not an object', doc: '- just\n- a list\n', message: /not an object/ },
  ])('an invalid entity ($name) is reported with file and document, and skipped', async ({ doc, message }) => {
    const tree = await writeTree({ 'catalog-info.yaml': [component('good-1'), doc, component('good-2')].join('\n---\n') });
    try {
      const { catalog, problems } = await loadCatalog({ paths: [tree.dir] });
      expect(catalog.entities.map((e) => e.ref)).toEqual(['component:default/good-1', 'component:default/good-2']);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ document: 1, line: 3, message: expect.stringMatching(message) });
      expect(problems[0].file).toMatch(/catalog-info\.yaml$/);
    } finally {
      await tree.cleanup();
    }
  });

  it('malformed YAML names the file and line and keeps the other documents', async () => {
    const yaml = `${component('ok')}\n---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: [broken\n  tags: x\n---\n${component('after')}\n`;
    const tree = await writeTree({ 'team/catalog-info.yaml': yaml });
    try {
      const { catalog, problems } = await loadCatalog({ paths: [tree.dir] });
      expect(catalog.entities.map((e) => e.ref)).toEqual(['component:default/ok', 'component:default/after']);
      expect(problems).toHaveLength(1);
      expect(problems[0].file).toMatch(/team[\\/]catalog-info\.yaml$/);
      expect(problems[0].document).toBe(1);
      expect(problems[0].line).toBeGreaterThanOrEqual(6);
      expect(problems[0].message).toMatch(/YAML syntax error at line \d+/);
    } finally {
      await tree.cleanup();
    }
  });

  it('reports a duplicate entity and keeps the first', async () => {
    const tree = await writeTree({ 'a/catalog-info.yaml': component('dup'), 'b/catalog-info.yaml': component('dup', { lifecycle: 'experimental' }) });
    try {
      const { catalog, problems } = await loadCatalog({ paths: [tree.dir] });
      expect(catalog.get('component:dup')?.entity.spec?.lifecycle).toBe('production');
      expect(problems).toEqual([expect.objectContaining({ message: expect.stringMatching(/defined twice/) })]);
    } finally {
      await tree.cleanup();
    }
  });

  it('scans folders recursively for catalog-info.yaml, skipping node_modules and other file names', async () => {
    const tree = await writeTree({
      'catalog-info.yaml': component('root'),
      'svc/deep/catalog-info.yml': component('deep'),
      'svc/other.yaml': component('not-picked'),
      'node_modules/pkg/catalog-info.yaml': component('vendored'),
    });
    try {
      const { catalog, problems } = await loadCatalog({ paths: [tree.dir] });
      expect(problems).toEqual([]);
      expect(catalog.entities.map((e) => e.ref).sort()).toEqual(['component:default/deep', 'component:default/root']);
    } finally {
      await tree.cleanup();
    }
  });

  it('reports a path that does not exist', async () => {
    const { catalog, problems } = await loadCatalog({ paths: ['no/such/catalog-info.yaml'] });
    expect(catalog.size).toBe(0);
    expect(problems).toEqual([{ file: 'no/such/catalog-info.yaml', message: expect.stringMatching(/does not exist/) }]);
  });
});

describe('Location entities', () => {
  it.each([
    { name: 'target', spec: { target: './teams/a.yaml' } },
    { name: 'targets', spec: { targets: ['./teams/a.yaml', 'teams/nested/b.yaml'] } },
    { name: 'file: prefix', spec: { type: 'file', target: 'file:./teams/a.yaml' } },
  ])('follows relative $name resolved against their own file', async ({ spec }) => {
    const tree = await writeTree({
      'catalog/catalog-info.yaml': JSON.stringify({ apiVersion: 'backstage.io/v1alpha1', kind: 'Location', metadata: { name: 'root' }, spec }),
      'catalog/teams/a.yaml': component('a'),
      // Relative to teams/nested/b.yaml, not to the root file.
      'catalog/teams/nested/b.yaml': `${component('b')}\n---\n${location(['../../leaf/c.yaml'])}`,
      'catalog/leaf/c.yaml': component('c'),
    });
    try {
      const { catalog, problems } = await loadCatalog({ paths: [path.join(tree.dir, 'catalog/catalog-info.yaml')] });
      expect(problems).toEqual([]);
      expect(catalog.has('component:a')).toBe(true);
      if (spec.targets) expect(catalog.has('component:b') && catalog.has('component:c')).toBe(true);
    } finally {
      await tree.cleanup();
    }
  });

  it('survives Location cycles', async () => {
    const tree = await writeTree({ 'catalog-info.yaml': `${location(['./b.yaml'])}\n---\n${component('a')}`, 'b.yaml': location(['./catalog-info.yaml']) });
    try {
      const { catalog, problems } = await loadCatalog({ paths: [tree.dir] });
      expect(problems).toEqual([]);
      expect(catalog.ofKind('location')).toHaveLength(2);
    } finally {
      await tree.cleanup();
    }
  });

  it.each([
    { target: '../outside.yaml' },
    { target: '../../etc/passwd' },
    { target: './teams/../../outside.yaml' },
    { target: '/etc/passwd' },
  ])('rejects target $target escaping the catalog root', async ({ target }) => {
    const tree = await writeTree({ 'root/catalog-info.yaml': `${location([target])}\n---\n${component('still-loaded')}`, 'outside.yaml': component('secret') });
    try {
      const { catalog, problems } = await loadCatalog({ paths: [path.join(tree.dir, 'root')] });
      expect(catalog.has('component:still-loaded')).toBe(true);
      expect(catalog.has('component:secret')).toBe(false);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ document: 0, message: expect.stringContaining(`Location target "${target}": escapes the catalog root`) });
    } finally {
      await tree.cleanup();
    }
  });

  it('reports a missing target unless presence is optional', async () => {
    const optional = JSON.stringify({ apiVersion: 'backstage.io/v1alpha1', kind: 'Location', metadata: { name: 'opt' }, spec: { target: './maybe.yaml', presence: 'optional' } });
    const tree = await writeTree({ 'catalog-info.yaml': `${location(['./missing.yaml'])}\n---\n${optional}` });
    try {
      const { problems } = await loadCatalog({ paths: [tree.dir] });
      expect(problems).toEqual([expect.objectContaining({ message: expect.stringMatching(/"\.\/missing\.yaml": file .*missing\.yaml does not exist/) })]);
    } finally {
      await tree.cleanup();
    }
  });

  describe('url targets', () => {
    let server: Awaited<ReturnType<typeof startServer>>;
    beforeAll(async () => {
      server = await startServer((req, res) => {
        if (req.url === '/team.yaml') res.end(`${component('remote')}\n---\n${location(['./more.yaml'])}`);
        else if (req.url === '/more.yaml') res.end(component('remote-relative'));
        else if (req.url === '/to-metadata') res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
        else res.writeHead(404).end();
      });
    });
    afterAll(() => server.close());

    async function load(target: string, allowedHosts: string[]) {
      const tree = await writeTree({ 'catalog-info.yaml': location([target]) });
      try {
        return await loadCatalog({ paths: [tree.dir], allowedHosts });
      } finally {
        await tree.cleanup();
      }
    }

    it('reads an allow-listed host and resolves relative targets against the URL', async () => {
      const { catalog, problems } = await load(`${server.origin}/team.yaml`, ['127.0.0.1']);
      expect(problems).toEqual([]);
      expect(catalog.has('component:remote')).toBe(true);
      expect(catalog.has('component:remote-relative')).toBe(true);
    });

    it('accepts the url: prefix', async () => {
      const { catalog } = await load(`url:${server.origin}/team.yaml`, [`127.0.0.1:${server.port}`]);
      expect(catalog.has('component:remote')).toBe(true);
    });

    it.each([
      { name: 'host not on the allow-list', target: () => `${server.origin}/team.yaml`, allowed: [], message: /not in the allowed hosts/ },
      { name: 'localhost unless listed', target: () => `http://localhost:${server.port}/team.yaml`, allowed: ['127.0.0.1'], message: /localhost:\d+ is not in the allowed hosts/ },
      { name: 'wrong port', target: () => `${server.origin}/team.yaml`, allowed: ['127.0.0.1:1'], message: /not in the allowed hosts/ },
      { name: 'metadata IP even when listed', target: () => 'http://169.254.169.254/latest/meta-data/', allowed: ['169.254.169.254'], message: /link-local or cloud metadata/ },
      { name: 'metadata IP in decimal form', target: () => 'http://2852039166/', allowed: ['169.254.169.254'], message: /link-local or cloud metadata/ },
      { name: 'metadata host name', target: () => 'http://metadata.google.internal/computeMetadata/v1/', allowed: ['metadata.google.internal'], message: /link-local or cloud metadata/ },
      { name: 'redirect to metadata', target: () => `${server.origin}/to-metadata`, allowed: ['127.0.0.1', '169.254.169.254'], message: /link-local or cloud metadata/ },
      { name: 'non-http scheme', target: () => 'ftp://127.0.0.1/x.yaml', allowed: ['127.0.0.1'], message: /only http and https/ },
      { name: 'credentials in URL', target: () => `http://user:pw@127.0.0.1:${server.port}/team.yaml`, allowed: ['127.0.0.1'], message: /credentials/ },
    ])('rejects $name', async ({ target, allowed, message }) => {
      const before = server.requests.length;
      const { catalog, problems } = await load(target(), allowed);
      expect(catalog.ofKind('component')).toEqual([]);
      expect(problems).toEqual([expect.objectContaining({ message: expect.stringMatching(message) })]);
      if (!/redirect/.test(String(message))) expect(server.requests.length - before).toBeLessThanOrEqual(1);
    });
  });
});
