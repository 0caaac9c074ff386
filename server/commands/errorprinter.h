// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <store/storetypes.h>

#include <QJsonObject>
#include <QTextStream>

namespace Greenroom::Server {

// `file:line: kind:namespace/name: reason`, the line of compilers and linters.
QString formatErrorLine(const Store::ProcessingErrorRecord &error);
QJsonObject errorToJson(const Store::ProcessingErrorRecord &error);

} // namespace Greenroom::Server
