// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QList>

namespace Greenroom::Yaml {

// JSON as YAML documents (yaml-cpp's emitter, block style), one per value,
// each starting with "---". A string that a YAML reader would take for
// something else (true, 1.0, null, ~, 0x1f...) is quoted, so reading the
// output back gives the same JSON.
QByteArray writeYamlDocuments(const QList<QJsonValue> &documents);

} // namespace Greenroom::Yaml
