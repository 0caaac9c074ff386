// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QStringList>

namespace Greenroom::Server {

// Exit codes shared by all commands.
enum ExitCode { ExitOk = 0, ExitInvalid = 1, ExitUsage = 2, ExitFailure = 3 };

} // namespace Greenroom::Server
