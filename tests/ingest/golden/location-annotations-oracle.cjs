// SPDX-License-Identifier: Apache-2.0
// Regenerates location-annotations.json: runs each location target below
// through real Backstage's AnnotateLocationEntityProcessor (with
// ScmIntegrations made from the config below) and records the
// backstage.io/view-url, edit-url and source-location it adds to an entity
// read from there. tst_scmintegrations replays the cases against Greenroom.
//
// Usage (needs the npm registry; run outside the repository):
//   mkdir /tmp/oracle && cd /tmp/oracle && npm init -y &&
//   npm install @backstage/plugin-catalog-backend@4.0.0 @backstage/integration @backstage/config
//   NODE_PATH=/tmp/oracle/node_modules node tests/ingest/golden/location-annotations-oracle.cjs \
//               > tests/ingest/golden/location-annotations.json
const path = require('node:path');
const resolve = (p) => require.resolve(p, { paths: (process.env.NODE_PATH || '').split(':') });
const { ScmIntegrations } = require(resolve('@backstage/integration'));
const { ConfigReader } = require(resolve('@backstage/config'));
const { AnnotateLocationEntityProcessor } = require(
  path.join(path.dirname(resolve('@backstage/plugin-catalog-backend')), 'processors/AnnotateLocationEntityProcessor.cjs.js'));

// The integrations Greenroom reads too (github.com, gitlab.com, bitbucket.org and
// dev.azure.com come as Backstage's defaults).
const integrationsConfig = {
  github: [{ host: 'ghe.example.com', apiBaseUrl: 'https://ghe.example.com/api/v3' }, { host: '127.0.0.1:8123' }],
  gitlab: [{ host: 'gitlab.example.com', apiBaseUrl: 'https://gitlab.example.com/api/v4' }],
  gitea: [{ host: 'gitea.example.com' }, { host: 'code.example.org', baseUrl: 'https://code.example.org/gitea' }],
  bitbucketServer: [{ host: 'bitbucket.example.com', apiBaseUrl: 'https://bitbucket.example.com/rest/api/1.0' }],
};

const targets = [
  // GitHub and GitHub Enterprise: blob, tree, edit, raw; commit SHAs get no edit URL
  'https://github.com/acme/payments/blob/main/catalog-info.yaml',
  'https://github.com/acme/payments/blob/main/services/api/catalog-info.yaml',
  'https://github.com/acme/payments/tree/main/catalog-info.yaml',
  'https://github.com/acme/payments/blob/release/2.x/catalog-info.yaml',
  'https://github.com/acme/payments/blob/0123456789abcdef0123456789abcdef01234567/catalog-info.yaml',
  'https://github.com/acme/payments/blob/main/catalog-info.yaml?plain=1',
  'https://github.com/acme/payments/blob/main/docs/my%20file.yaml',
  'https://github.com/acme/payments/raw/main/catalog-info.yaml',
  'https://ghe.example.com/platform/infra/blob/main/catalog-info.yaml',
  'http://127.0.0.1:8123/acme/templates/blob/main/web/template.yaml',
  'https://GitHub.com/Acme/Payments/blob/main/catalog-info.yaml',
  // GitLab
  'https://gitlab.com/acme/group/payments/-/blob/main/catalog-info.yaml',
  'https://gitlab.example.com/acme/payments/-/blob/main/deploy/catalog-info.yaml',
  'https://gitlab.example.com/acme/payments/-/tree/main/catalog-info.yaml',
  'https://gitlab.example.com/acme/payments/blob/main/catalog-info.yaml',
  // Bitbucket Cloud and Server
  'https://bitbucket.org/acme/payments/src/main/catalog-info.yaml',
  'https://bitbucket.org/acme/payments/src/feature/x/catalog-info.yaml',
  'https://bitbucket.org/acme/payments/src/main/catalog-info.yaml?at=main',
  'https://bitbucket.example.com/projects/ACME/repos/payments/browse/catalog-info.yaml',
  'https://bitbucket.example.com/projects/ACME/repos/payments/browse/catalog-info.yaml?at=refs%2Fheads%2Fmain',
  // Gitea, with and without a baseUrl of its own
  'https://gitea.example.com/acme/payments/src/branch/main/catalog-info.yaml',
  'https://gitea.example.com/acme/payments/src/branch/main/services/catalog-info.yaml',
  'https://code.example.org/gitea/acme/payments/src/branch/main/catalog-info.yaml',
  // Azure DevOps
  'https://dev.azure.com/acme/project/_git/payments?path=/catalog-info.yaml',
  'https://dev.azure.com/acme/project/_git/payments?path=%2Fservices%2Fapi%2Fcatalog-info.yaml&version=GBmain',
  'https://dev.azure.com/acme/_git/payments?path=/catalog-info.yaml',
  'https://dev.azure.com/acme/project/_git/payments',
  // hosts no integration knows: only view-url
  'https://example.com/catalog-info.yaml',
  'http://127.0.0.1:9999/acme/catalog-info.yaml',
  'https://raw.githubusercontent.com/acme/payments/main/catalog-info.yaml',
];

async function main() {
  const integrations = ScmIntegrations.fromConfig(new ConfigReader({ integrations: integrationsConfig }));
  const processor = new AnnotateLocationEntityProcessor({ integrations });
  const cases = [];
  const entity = { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'x' }, spec: {} };
  for (const target of targets) {
    const location = { type: 'url', target };
    const out = await processor.preProcessEntity(structuredClone(entity), location, () => {}, location);
    const a = out.metadata.annotations;
    cases.push({ target, viewUrl: a['backstage.io/view-url'] ?? null, editUrl: a['backstage.io/edit-url'] ?? null,
                 sourceLocation: a['backstage.io/source-location'] ?? null });
  }
  // An author's own values win over every one of them.
  const own = { ...entity, metadata: { name: 'x', annotations: { 'backstage.io/view-url': 'https://docs.example.com/x',
                                                                 'backstage.io/source-location': 'url:https://elsewhere.example.com/' } } };
  const location = { type: 'url', target: targets[0] };
  const kept = (await processor.preProcessEntity(structuredClone(own), location, () => {}, location)).metadata.annotations;
  process.stdout.write(JSON.stringify({ integrations: integrationsConfig, cases,
    authorWins: { target: targets[0], given: own.metadata.annotations,
                  viewUrl: kept['backstage.io/view-url'], editUrl: kept['backstage.io/edit-url'] ?? null,
                  sourceLocation: kept['backstage.io/source-location'] } }, null, 2) + '\n');
}
main().catch((e) => { console.error(e); process.exit(1); });
