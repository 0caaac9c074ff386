// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QStringList>

namespace Greenroom::Server {

// `greenroom-server serve [--config FILE]...`: loads app-config, reads the
// configured locations into the store and serves Backstage's catalog API.
int runServeCommand(const QStringList &arguments);

} // namespace Greenroom::Server
