// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QStringList>

namespace Greenroom::Server {

// `greenroom-server export (--db FILE | --config FILE...) --format yaml|json [--output FILE]`:
// the whole catalog, for backups (json: entities as the API serves them) and
// for moving to Backstage (yaml: catalog-info documents without what the
// server adds: uid, etag, relations, status, managed-by-location annotations,
// and without Location entities, since every entity they led to is included).
int runExportCommand(const QStringList &arguments);

} // namespace Greenroom::Server
