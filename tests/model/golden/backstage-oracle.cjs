// SPDX-License-Identifier: Apache-2.0
// Regenerates entity-processing.json: runs every case below through real
// Backstage (DefaultCatalogProcessingOrchestrator with the default policies,
// BuiltinKindsEntityProcessor and the scaffolder's Template validator) and
// records what it answers. tst_entityprocessor replays the cases against
// Greenroom and expects the same answers.
//
// Usage (needs the npm registry; run outside the repository):
//   mkdir /tmp/oracle && cd /tmp/oracle && npm init -y &&
//   npm install @backstage/catalog-model@1.10.3 @backstage/plugin-catalog-backend@4.0.5 \
//               @backstage/plugin-scaffolder-common @backstage/integration @backstage/config
//   NODE_PATH=/tmp/oracle/node_modules node tests/model/golden/backstage-oracle.cjs \
//               > tests/model/golden/entity-processing.json
const path = require('node:path');
const resolve = (p) => require.resolve(p, { paths: (process.env.NODE_PATH || '').split(':') });
const model = require(resolve('@backstage/catalog-model'));
const backend = require(resolve('@backstage/plugin-catalog-backend'));
const scaffolder = require(resolve('@backstage/plugin-scaffolder-common'));
const { ScmIntegrations } = require(resolve('@backstage/integration'));
const { ConfigReader } = require(resolve('@backstage/config'));
const { DefaultCatalogProcessingOrchestrator } = require(
  path.join(path.dirname(resolve('@backstage/plugin-catalog-backend')), 'processing/DefaultCatalogProcessingOrchestrator.cjs.js'));

const LOCATION = 'url:https://example.com/catalog-info.yaml';

const templateProcessor = {
  getProcessorName: () => 'ScaffolderEntitiesProcessor',
  async validateEntityKind(entity) { return scaffolder.templateEntityV1beta3Validator.check(entity); },
  async postProcessEntity(entity, _location, emit) {
    if (entity.apiVersion === 'scaffolder.backstage.io/v1beta3' && entity.kind === 'Template' && entity.spec.owner) {
      const self = model.getCompoundEntityRef(entity);
      const target = model.parseEntityRef(entity.spec.owner, { defaultKind: 'Group', defaultNamespace: self.namespace });
      emit({ type: 'relation', relation: { source: self, type: 'ownedBy', target } });
      emit({ type: 'relation', relation: { source: target, type: 'ownerOf', target: self } });
    }
    return entity;
  },
};

const orchestrator = new DefaultCatalogProcessingOrchestrator({
  processors: [new backend.BuiltinKindsEntityProcessor(), templateProcessor],
  integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
  logger: { warn() {}, error() {}, info() {}, debug() {}, child() { return this; } },
  parser: async function* () {},
  policy: model.EntityPolicies.allOf([
    new model.SchemaValidEntityPolicy(), new model.DefaultNamespaceEntityPolicy(),
    new model.NoForeignRootFieldsEntityPolicy(), new model.FieldFormatEntityPolicy(),
  ]),
  rulesEnforcer: { isAllowed: () => true },
});

const clone = (x) => JSON.parse(JSON.stringify(x));
const base = { apiVersion: 'backstage.io/v1alpha1', kind: 'Component',
  metadata: { name: 'svc' }, spec: { type: 'service', lifecycle: 'production', owner: 'team-a' } };
// A case is a name and a function that edits a copy of `base` (or returns a new entity).
const cases = [];
const add = (name, edit) => cases.push({ name, edit });
const meta = (name, fields) => add(name, (e) => { Object.assign(e.metadata, fields); });
const spec = (name, kind, s, apiVersion) => add(name, (e) => { e.kind = kind; e.spec = s; if (apiVersion) e.apiVersion = apiVersion; });

add('minimal component', () => {});
meta('name 63 chars', { name: 'a'.repeat(63) });
meta('name upper case', { name: 'MyService' });
meta('name double dash', { name: 'a--b' });
meta('name dots and underscores', { name: 'a..b__c' });
meta('name one char', { name: 'a' });
meta('name 64 chars', { name: 'a'.repeat(64) });
meta('name leading dash', { name: '-abc' });
meta('name trailing underscore', { name: 'abc_' });
meta('name with space', { name: 'a b' });
meta('name empty', { name: '' });
add('name missing', (e) => { delete e.metadata.name; });
meta('name number', { name: 123 });
meta('namespace upper case', { namespace: 'Prod' });
meta('namespace underscore', { namespace: 'team_a' });
meta('namespace double dash', { namespace: 'a--b' });
meta('namespace empty', { namespace: '' });
meta('namespace 64 chars', { namespace: 'a'.repeat(64) });
meta('namespace custom', { namespace: 'payments' });
add('spec empty', (e) => { e.spec = {}; });
add('spec missing', (e) => { delete e.spec; });
add('root key foo', (e) => { e.foo = 'x'; });
add('root relations empty', (e) => { e.relations = []; });
add('root status empty', (e) => { e.status = {}; });
add('root relations malformed', (e) => { e.relations = [{}]; });
meta('metadata extra key kept', { foo: 'x' });
meta('tags number', { tags: [123] });
meta('tags upper case', { tags: ['Java'] });
meta('tags underscore', { tags: ['a_b'] });
meta('tags double dash', { tags: ['a--b'] });
meta('tags dot', { tags: ['a.b'] });
meta('tags 64 chars', { tags: ['a'.repeat(64)] });
meta('tags 63 chars', { tags: ['a'.repeat(63)] });
meta('tags plus hash colon', { tags: ['c++', 'c#', 'lang:go'] });
meta('tags duplicates', { tags: ['a', 'a'] });
meta('tags scalar', { tags: 'java' });
meta('tags empty string', { tags: [''] });
meta('label empty value', { labels: { tier: '' } });
meta('label number value', { labels: { tier: 5 } });
meta('label value with space', { labels: { tier: 'has space' } });
meta('label key upper prefix', { labels: { 'Example.com/tier': 'x' } });
meta('label key two slashes', { labels: { 'a/b/c': 'x' } });
meta('label key prefixed ok', { labels: { 'example.com/tier': 'gold' } });
meta('annotation long prefix', { annotations: { [`${'a'.repeat(254)}/x`]: 'v' } });
meta('annotation prefix 253', { annotations: { [`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}/x`]: 'v' } });
meta('annotation value bool', { annotations: { 'example.com/x': true } });
meta('annotation empty value', { annotations: { 'example.com/x': '' } });
meta('link url invalid', { links: [{ url: 'not a url' }] });
meta('link url missing', { links: [{ title: 'x' }] });
meta('link url ok', { links: [{ url: 'https://example.com', title: 'Home', icon: 'web' }] });
meta('link url mailto', { links: [{ url: 'mailto:a@example.com' }] });
meta('link url custom scheme', { links: [{ url: 'slack:channel' }] });
meta('link url http no host', { links: [{ url: 'http://' }] });
meta('link url bad port', { links: [{ url: 'https://example.com:99999' }] });
meta('link url space in host', { links: [{ url: 'https://exa mple.com' }] });
meta('link url bad ipv4', { links: [{ url: 'http://1.2.3.256/' }] });
meta('link url ipv6', { links: [{ url: 'http://[::1]:8080/x' }] });
meta('link title blank', { links: [{ url: 'https://example.com', title: '   ' }] });
meta('link title empty', { links: [{ url: 'https://example.com', title: '' }] });
meta('title empty', { title: '' });
meta('uid empty', { uid: '' });
meta('description number', { description: 5 });
meta('description empty ok', { description: '' });
add('apiVersion v1 unknown', (e) => { e.apiVersion = 'backstage.io/v1'; });
add('apiVersion bare v1', (e) => { e.apiVersion = 'v1'; });
add('apiVersion v1beta2', (e) => { e.apiVersion = 'backstage.io/v1beta2'; });
add('apiVersion v1beta1 ok', (e) => { e.apiVersion = 'backstage.io/v1beta1'; });
add('apiVersion dash suffix', (e) => { e.apiVersion = 'backstage.io/v1-alpha'; });
add('apiVersion number', (e) => { e.apiVersion = 1; });
add('kind lower case', (e) => { e.kind = 'component'; });
add('kind with dash', (e) => { e.kind = 'my-kind'; });
add('kind foreign', (e) => { e.kind = 'Widget'; });
add('kind missing', (e) => { delete e.kind; });
add('metadata missing', (e) => { delete e.metadata; });
add('metadata not object', (e) => { e.metadata = 'x'; return e; });
spec('group missing children', 'Group', { type: 'team' });
spec('group ok', 'Group', { type: 'team', children: [] });
spec('group relations', 'Group', { type: 'team', parent: 'org', children: ['b-team', 'a-team'], members: ['jdoe', 'user:ops/Ann'] });
spec('user empty spec', 'User', {});
spec('user ok', 'User', { memberOf: [] });
spec('user memberOf sorted', 'User', { memberOf: ['zeta', 'Alpha', 'beta'] });
spec('user empty email', 'User', { profile: { email: '' }, memberOf: [] });
spec('location empty spec', 'Location', {});
spec('location bad presence', 'Location', { presence: 'maybe' });
spec('location type and presence', 'Location', { type: 'url', presence: 'optional' });
spec('domain ok', 'Domain', { owner: 'team-a' });
spec('domain subdomain', 'Domain', { owner: 'team-a', subdomainOf: 'commerce' });
spec('system missing owner', 'System', {});
spec('system domain', 'System', { owner: 'team-a', domain: 'commerce' });
spec('resource missing owner', 'Resource', { type: 'database' });
spec('resource depends', 'Resource', { type: 'database', owner: 'team-a', dependsOn: ['resource:disk'], system: 'shop' });
spec('api missing definition', 'API', { type: 'openapi', lifecycle: 'production', owner: 'team-a' });
spec('api definition object', 'API', { type: 'openapi', lifecycle: 'production', owner: 'team-a', definition: { a: 1 } });
spec('api ok', 'API', { type: 'openapi', lifecycle: 'production', owner: 'team-a', definition: 'openapi: 3.0.0', system: 'shop' });
add('component providesApis scalar', (e) => { e.spec.providesApis = 'a'; });
add('component owner array', (e) => { e.spec.owner = ['a']; });
add('component extra spec keys', (e) => { e.spec.foo = 1; e.spec.dependencyOf = ['component:x']; });
add('component relations', (e) => { Object.assign(e.spec, { system: 'shop', subcomponentOf: 'parent', providesApis: ['z-api', 'a-api'], consumesApis: ['api:ext/pay'], dependsOn: ['resource:db', 'component:Other'] }); });
add('component owner explicit user', (e) => { e.spec.owner = 'user:default/Jane'; });
add('component namespace inherited', (e) => { e.metadata.namespace = 'payments'; e.spec.system = 'shop'; });
add('component dependsOn without kind', (e) => { e.spec.dependsOn = ['foo']; });
add('component owner bad ref', (e) => { e.spec.owner = 'group:/x'; });
add('component owner ref with colon name', (e) => { e.spec.owner = 'a:b:c'; });
add('template ok', (e) => { e.apiVersion = 'scaffolder.backstage.io/v1beta3'; e.kind = 'Template';
  e.spec = { type: 'service', owner: 'team-a', parameters: [{ title: 'x', properties: {} }], steps: [{ id: 'a', action: 'fetch:template', input: {} }] }; });
add('template missing steps', (e) => { e.apiVersion = 'scaffolder.backstage.io/v1beta3'; e.kind = 'Template'; e.spec = { type: 'service' }; });
add('template step without action', (e) => { e.apiVersion = 'scaffolder.backstage.io/v1beta3'; e.kind = 'Template'; e.spec = { type: 'service', steps: [{ id: 'a' }] }; });
add('template parameters string', (e) => { e.apiVersion = 'scaffolder.backstage.io/v1beta3'; e.kind = 'Template'; e.spec = { type: 'service', steps: [], parameters: 'x' }; });
add('template output extra number', (e) => { e.apiVersion = 'scaffolder.backstage.io/v1beta3'; e.kind = 'Template'; e.spec = { type: 'service', steps: [], output: { extra: 5 } }; });
add('template wrong apiVersion', (e) => { e.kind = 'Template'; e.spec = { type: 'service', steps: [] }; });

(async () => {
  const out = [];
  for (const { name, edit } of cases) {
    let entity = clone(base);
    entity = edit(entity) ?? entity;
    if (entity.metadata && typeof entity.metadata === 'object' && !Array.isArray(entity.metadata)) {
      entity.metadata.annotations = { ...(entity.metadata.annotations || {}),
        'backstage.io/managed-by-location': LOCATION, 'backstage.io/managed-by-origin-location': LOCATION };
    }
    const input = clone(entity);
    const result = await orchestrator.process({ entity, state: {} });
    const record = { name, input };
    if (result.ok) {
      record.ok = true;
      record.entity = result.completedEntity;
      record.relations = result.relations
        .map((r) => [model.stringifyEntityRef(r.source), r.type, model.stringifyEntityRef(r.target)])
        .sort();
    } else {
      record.ok = false;
      record.errors = result.errors.map((e) => `${e.name}: ${e.message}`);
    }
    out.push(record);
  }
  process.stdout.write(JSON.stringify(out, null, 1) + '\n');
})();
