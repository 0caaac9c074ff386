// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>
#include <config/configreader.h>

#include <QStringList>

namespace Greenroom::Server {

// `greenroom-server serve [--config FILE]...`: loads app-config, reads the
// configured locations into the store and serves Backstage's catalog API.
int runServeCommand(const QStringList &arguments);

// The SQLite file backend.database names (":memory:" included), as serve opens it.
Result<QString> databasePath(const Config::ConfigReader &config);

} // namespace Greenroom::Server
