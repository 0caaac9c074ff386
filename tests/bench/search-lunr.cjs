// SPDX-License-Identifier: Apache-2.0
// Backstage's own search engine (LunrSearchEngine from
// @backstage/plugin-search-backend-node 1.4.10) on the documents Greenroom
// indexed, for bench_search: the same documents, the same queries, in the
// same run. Prints one JSON object on stdout.
//
//   node search-lunr.cjs relevance <documents.ndjson> <judged-queries.json>
//     -> {"engine": "lunr", "queries": N, "first": n, "failed": [{query, got}]}
//   node search-lunr.cjs speed <documents.ndjson> <queries.txt>
//     -> {"engine": "lunr", "documents": N, "indexMs": t, "queryMs": [each query's time]}
//
// documents.ndjson has one {"type": ..., "document": {...}} per line.
// NODE_PATH must hold @backstage/plugin-search-backend-node (make bench
// installs it, see packaging/install-bench-deps.sh).
const fs = require('node:fs');
const readline = require('node:readline');
const resolve = (p) => require.resolve(p, { paths: (process.env.NODE_PATH || '').split(':') });
const { LunrSearchEngine } = require(resolve('@backstage/plugin-search-backend-node'));

const logger = { info() {}, warn() {}, error() {}, debug() {}, child() { return logger; } };

async function loadEngine(file) {
  const byType = new Map();
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line) continue;
    const { type, document } = JSON.parse(line);
    if (!byType.has(type)) byType.set(type, []);
    byType.get(type).push(document);
  }
  const engine = new LunrSearchEngine({ logger });
  const started = process.hrtime.bigint();
  let count = 0;
  for (const [type, documents] of byType) {
    const indexer = await engine.getIndexer(type);
    await new Promise((done, fail) => {
      indexer.on('close', done);
      indexer.on('error', fail);
      for (const document of documents) indexer.write(document);
      indexer.end();
    });
    count += documents.length;
  }
  return { engine, count, indexMs: Number(process.hrtime.bigint() - started) / 1e6 };
}

async function main() {
  const [mode, documentsFile, queriesFile] = process.argv.slice(2);
  const { engine, count, indexMs } = await loadEngine(documentsFile);
  if (mode === 'relevance') {
    const judged = JSON.parse(fs.readFileSync(queriesFile, 'utf8')).queries;
    let first = 0;
    const failed = [];
    const byCategory = {};
    for (const { category, query, expect } of judged) {
      const { results } = await engine.query({ term: query, pageLimit: 3 });
      const got = results.length ? results[0].document.location : null;
      byCategory[category] = byCategory[category] || { queries: 0, first: 0 };
      byCategory[category].queries += 1;
      if (expect.includes(got)) {
        first += 1;
        byCategory[category].first += 1;
      } else {
        failed.push({ query, got });
      }
    }
    process.stdout.write(`${JSON.stringify({ engine: 'lunr', queries: judged.length, first, byCategory, failed })}\n`);
  } else if (mode === 'speed') {
    const queries = fs.readFileSync(queriesFile, 'utf8').split('\n').filter((q) => q.length > 0);
    const queryMs = [];
    for (const term of queries) {
      const started = process.hrtime.bigint();
      await engine.query({ term, pageLimit: 25 });
      queryMs.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    process.stdout.write(`${JSON.stringify({ engine: 'lunr', documents: count, indexMs, queryMs })}\n`);
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
