// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>
#include <config/configreader.h>

namespace Greenroom::Server {

// The SQLite file backend.database names: ":memory:", or catalog.sqlite in
// connection.directory (default: the user's data folder, created if missing).
// Only the SQLite clients for now; pg is refused with a clear error.
Result<QString> databasePath(const Config::ConfigReader &config);

} // namespace Greenroom::Server
