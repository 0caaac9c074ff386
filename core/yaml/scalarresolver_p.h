// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QJsonValue>
#include <string>

namespace Greenroom::Yaml::Internal {

// Types a plain (unquoted) scalar by the YAML 1.2 core schema.
QJsonValue resolvePlainScalar(const std::string &text);

// Types a scalar that carries an explicit tag (`!!int 5`); unknown tags give a string.
QJsonValue resolveTaggedScalar(const std::string &tag, const std::string &text);

} // namespace Greenroom::Yaml::Internal
