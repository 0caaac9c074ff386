// SPDX-License-Identifier: Apache-2.0
// Regenerates search-api.json: runs Backstage's own search collators on the
// entities of search-fixture.json, indexes what they produce in its
// LunrSearchEngine and asks its search router (with the OpenAPI validation
// in front of it) every request below, recording what it answers.
// tst_searchdocuments expects the same documents from Greenroom's collators;
// tst_searchapi expects the same statuses, errors and response shapes.
//
// Usage (needs the npm registry; run outside the repository):
//   mkdir /tmp/oracle-search && cd /tmp/oracle-search && npm init -y &&
//   npm install @backstage/plugin-search-backend@2.1.9 @backstage/plugin-search-backend-node@1.4.10 \
//               @backstage/plugin-search-backend-module-catalog@0.3.21 \
//               @backstage/plugin-search-backend-module-techdocs@0.4.20
//   NODE_PATH=/tmp/oracle-search/node_modules node tests/search/golden/search-oracle.cjs \
//               > tests/search/golden/search-api.json
const path = require('node:path');
const fs = require('node:fs');
const resolve = (p) => require.resolve(p, { paths: (process.env.NODE_PATH || '').split(':') });
const express = require(resolve('express'));
const { ConfigReader } = require(resolve('@backstage/config'));
const { serializeError } = require(resolve('@backstage/errors'));
const { LunrSearchEngine } = require(resolve('@backstage/plugin-search-backend-node'));
const distOf = (pkg, file) => path.join(path.dirname(resolve(pkg)), file);
const { DefaultCatalogCollatorFactory } = require(distOf('@backstage/plugin-search-backend-module-catalog', 'collators/DefaultCatalogCollatorFactory.cjs.js'));
const { DefaultTechDocsCollatorFactory } = require(distOf('@backstage/plugin-search-backend-module-techdocs', 'collators/DefaultTechDocsCollatorFactory.cjs.js'));
const { createRouter } = require(distOf('@backstage/plugin-search-backend', 'service/router.cjs.js'));

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'search-fixture.json'), 'utf8'));
const logger = { info() {}, warn() {}, error() {}, debug() {}, child() { return logger; } };
const auth = {
  async getOwnServiceCredentials() { return { principal: { type: 'service', subject: 'search' } }; },
  async getPluginRequestToken() { return { token: 'token' }; },
};
const httpAuth = { async credentials() { return { principal: { type: 'user', userEntityRef: 'user:default/jane.doe' } }; } };
const refOf = (e) => `${e.kind.toLocaleLowerCase('en-US')}:${e.metadata.namespace || 'default'}/${e.metadata.name}`;

// The catalog as the collators read it: one page with everything, filtered by existence of an annotation.
const catalog = {
  async queryEntities(request) {
    const filter = request.filter || {};
    const items = fixture.entities.filter((e) => Object.keys(filter).every((key) => {
      const annotation = key.replace('metadata.annotations.', '');
      return (e.metadata.annotations || {})[annotation] !== undefined;
    }));
    return { items, pageInfo: {}, totalItems: items.length };
  },
};
const discovery = { async getBaseUrl(plugin) { return `http://techdocs.invalid/api/${plugin}`; } };
const realFetch = globalThis.fetch;
globalThis.fetch = async (url, init) => {
  if (!String(url).startsWith('http://techdocs.invalid/')) return realFetch(url, init);
  const m = /static\/docs\/([^/]+)\/([^/]+)\/([^/]+)\/search\/search_index\.json$/.exec(url);
  const key = m && `${m[2]}:${m[1]}/${m[3]}`;
  const found = Object.entries(fixture.searchIndexes).find(([ref]) => ref.toLowerCase() === key);
  if (!found) throw new Error(`no index at ${url}`);
  return { json: async () => found[1] };
};

async function collect(factory) {
  const docs = [];
  for await (const doc of await factory.getCollator()) docs.push(doc);
  return docs;
}

async function main() {
  const config = new ConfigReader({});
  const catalogDocs = await collect(DefaultCatalogCollatorFactory.fromConfig(config, { auth, catalog }));
  const techdocsDocs = await collect(DefaultTechDocsCollatorFactory.fromConfig(config, { auth, catalog, discovery, logger }));

  const engine = new LunrSearchEngine({ logger });
  for (const [type, docs] of [['software-catalog', catalogDocs], ['techdocs', techdocsDocs]]) {
    const indexer = await engine.getIndexer(type);
    await new Promise((done, fail) => {
      indexer.on('close', done);
      indexer.on('error', fail);
      for (const doc of docs) indexer.write(doc);
      indexer.end();
    });
  }

  const types = { 'software-catalog': {}, techdocs: {} };
  const router = await createRouter({ engine, types, config, logger, auth, httpAuth });
  const app = express();
  app.use('/api/search', router);
  app.use((error, req, res, _next) => {
    const statusCode = { InputError: 400, AuthenticationError: 401, NotAllowedError: 403, NotFoundError: 404 }[error.name] || 500;
    res.status(statusCode).json({ error: serializeError(error), request: { method: req.method, url: req.originalUrl }, response: { statusCode } });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((done) => server.once('listening', done));
  const base = `http://127.0.0.1:${server.address().port}/api/search/query`;

  const long = 'x'.repeat(101);
  const queries = [
    'term=payment', '', 'term=', 'types%5B0%5D=techdocs', 'types%5B%5D=software-catalog', 'types=techdocs',
    'types%5B0%5D=techdocs&types%5B1%5D=software-catalog&term=install', 'types%5B0%5D=nope',
    'types%5B0%5D=techdocs&types%5B1%5D=nope', `term=${long}`, `term=${'x'.repeat(100)}`, 'pageLimit=101', 'pageLimit=100',
    'pageLimit=abc', 'pageLimit=-1', 'pageLimit=1.5', 'pageLimit=0', 'pageLimit=', `term=${long}&pageLimit=500`,
    'pageLimit=2', 'pageLimit=2&pageCursor=MQ%3D%3D', 'pageLimit=2&pageCursor=Mg%3D%3D', 'pageLimit=2&pageCursor=garbage',
    'pageCursor=', 'term=a&term=b', 'filters%5Bkind%5D=Component', 'filters%5Bkind%5D=component',
    'filters%5Blifecycle%5D%5B0%5D=production', 'filters%5Blifecycle%5D%5B0%5D=production&filters%5Blifecycle%5D%5B1%5D=experimental',
    'filters%5Bnope%5D=x', 'filters=abc', 'foo=bar', 'term=%E2%82%AC', 'term=stars',
  ];
  const cases = [];
  for (const query of queries) {
    const response = await fetch(`${base}${query ? `?${query}` : ''}`);
    const body = await response.json();
    if (body.error) delete body.error.stack;
    cases.push({ query, status: response.status, body });
  }
  server.close();
  // The highlight tags hold a UUID chosen at start: one fixed stand-in keeps this file stable.
  const text = JSON.stringify({ documents: { 'software-catalog': catalogDocs, techdocs: techdocsDocs }, cases }, null, 1);
  process.stdout.write(`${text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '00000000-0000-4000-8000-000000000000')}\n`);
}

main().catch((e) => { console.error(e); process.exit(1); });
