// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QStringList>

namespace Greenroom::Server {

// `greenroom-server docs build [DIR] [--output OUT] ...`: builds a TechDocs
// site as `techdocs-cli generate --no-docker` does, natively. Warnings go to
// stderr; exit 0 when the site was written, 1 when the build failed.
int runDocsCommand(const QStringList &arguments);

} // namespace Greenroom::Server
