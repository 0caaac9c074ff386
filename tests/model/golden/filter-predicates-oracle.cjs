// SPDX-License-Identifier: Apache-2.0
// Regenerates filter-predicates.json: runs each predicate below through real
// Backstage (@backstage/filter-predicates 0.2.1, what plugin-catalog-react
// 4.0.0 of release 1.55 uses for entity cards' and tabs' `filter`) on a few
// entities, and records whether it is accepted and what it matches.
// tst_entitypredicate replays the cases against Greenroom.
//
// Usage (needs the npm registry; run outside the repository):
//   mkdir /tmp/oracle && cd /tmp/oracle && npm init -y && npm install @backstage/filter-predicates@0.2.1
//   NODE_PATH=/tmp/oracle/node_modules node tests/model/golden/filter-predicates-oracle.cjs \
//               > tests/model/golden/filter-predicates.json
const resolve = (p) => require.resolve(p, { paths: (process.env.NODE_PATH || '').split(':') });
const { parseFilterPredicate, evaluateFilterPredicate } = require(resolve('@backstage/filter-predicates'));

const entities = {
  service: {
    apiVersion: 'backstage.io/v1alpha1', kind: 'Component',
    metadata: { name: 'checkout', namespace: 'default', tags: ['java', 'payments'],
                annotations: { 'backstage.io/kubernetes-id': 'checkout', 'github.com/project-slug': 'acme/checkout',
                               'backstage.io/techdocs-ref': 'dir:.' },
                labels: { tier: 'gold' } },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a', replicas: 3 },
  },
  website: {
    apiVersion: 'backstage.io/v1alpha1', kind: 'Component',
    metadata: { name: 'storefront', annotations: { 'argocd/app-selector': 'app=storefront' } },
    spec: { type: 'website', lifecycle: 'experimental', owner: 'team-b' },
  },
  api: {
    apiVersion: 'backstage.io/v1alpha1', kind: 'API',
    metadata: { name: 'checkout-api', annotations: { 'backstage.io/kubernetes-id': '' } },
    spec: { type: 'openapi', lifecycle: 'production', owner: 'team-a', definition: 'openapi: 3.0.0' },
  },
  group: { apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: 'team-a' }, spec: { type: 'team', children: [] } },
};

const predicates = [
  { kind: 'component' },
  { kind: 'Component', 'spec.type': 'service' },
  { kind: 'COMPONENT', 'spec.type': 'SERVICE' },
  { kind: { $in: ['api', 'group'] } },
  { 'metadata.annotations.backstage.io/kubernetes-id': { $exists: true } },
  { 'metadata.annotations.backstage.io/kubernetes-id': { $exists: false } },
  { $any: [{ 'metadata.annotations.backstage.io/kubernetes-id': { $exists: true } },
           { 'metadata.annotations.backstage.io/kubernetes-label-selector': { $exists: true } }] },
  { $all: [{ kind: 'component' }, { $not: { 'spec.type': 'website' } }] },
  { $not: { kind: 'component' } },
  { 'metadata.tags': { $contains: 'JAVA' } },
  { 'metadata.tags': { $contains: { $in: ['go', 'payments'] } } },
  { 'metadata.tags': 'java' },
  { 'metadata.name': { $hasPrefix: 'CHECK' } },
  { 'spec.replicas': 3 },
  { 'spec.replicas': '3' },
  { 'spec.lifecycle': { $in: ['production', 'experimental'] } },
  { 'metadata.labels.tier': 'gold' },
  { 'metadata.annotations': { $exists: true } },
  { 'metadata.annotations.github.com/project-slug': 'acme/checkout' },
  { 'spec.children': { $exists: true } },
  { 'spec.missing': { $exists: false } },
  { 'spec.owner': { $in: [] } },
  { $all: [] },
  { $any: [] },
  {},
  { 'spec.definition': { $hasPrefix: 'openapi' } },
  // Refused by the schema:
  { $all: [{ kind: 'component' }], kind: 'api' },
  { $nope: true },
  { kind: { $in: 'component' } },
  { kind: { $exists: 'yes' } },
  { kind: null },
  { $not: [{ kind: 'api' }] },
  'component',
  ['kind'],
  { kind: ['component'] },
  { 'metadata.tags': { $contains: { $exists: true } } },
];

const cases = predicates.map((predicate) => {
  let parsed;
  try {
    parsed = parseFilterPredicate(predicate);
  } catch (error) {
    return { predicate, valid: false };
  }
  const matches = {};
  for (const [name, entity] of Object.entries(entities)) {
    try {
      matches[name] = evaluateFilterPredicate(parsed, entity);
    } catch (error) {
      matches[name] = `error: ${error.message}`;
    }
  }
  return { predicate, valid: true, matches };
});
process.stdout.write(`${JSON.stringify({ entities, cases }, null, 2)}\n`);
