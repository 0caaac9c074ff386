// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QStringList>

namespace Greenroom::Server {

// `greenroom-server validate [--json] PATH...`: validates catalog files (a
// directory means its catalog-info.yaml) and every file their Location
// entities lead to. Exit 0 when all is valid, 1 otherwise.
int runValidateCommand(const QStringList &arguments);

} // namespace Greenroom::Server
