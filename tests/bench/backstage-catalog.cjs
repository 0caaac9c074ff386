// SPDX-License-Identifier: Apache-2.0
// Real Backstage's catalog backend (release 1.55: @backstage/backend-defaults
// 0.18.0, @backstage/plugin-catalog-backend 4.0.0) for bench_backstage:
// a backend with the catalog plugin alone, configured by the app-config
// files given with --config, as `backstage-cli package start` would run it.
// NODE_PATH must hold both packages (make bench installs them, see
// packaging/install-bench-deps.sh); the working folder needs a package.json,
// which Backstage looks for to find its root.
const resolve = (p) => require.resolve(p, { paths: (process.env.NODE_PATH || '').split(':') });
const { createBackend } = require(resolve('@backstage/backend-defaults'));

const backend = createBackend();
backend.add(require(resolve('@backstage/plugin-catalog-backend')));
backend.start();
