// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QCommandLineParser>
#include <QStringList>

#include <optional>

namespace Greenroom::Server {

// Exit codes shared by all commands.
enum ExitCode { ExitOk = 0, ExitInvalid = 1, ExitUsage = 2, ExitFailure = 3 };

// Parses a command's arguments (with --help). Returns an exit code when the
// command is already done: help shown, or a usage error reported.
std::optional<int> parseCommandLine(QCommandLineParser &parser, const QStringList &arguments);

} // namespace Greenroom::Server
