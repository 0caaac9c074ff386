// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QStringList>

namespace Greenroom::Server {

// `greenroom-server ingest --db FILE LOCATION...`: reads file locations into
// a SQLite store once and prints what changed and what the catalog holds.
int runIngestCommand(const QStringList &arguments);

} // namespace Greenroom::Server
