// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "sourcemap.h"

#include <common/error.h>

#include <QJsonValue>
#include <QList>
#include <optional>

namespace Greenroom::Yaml {

// One document of a multi-document YAML stream, already converted to JSON.
struct YamlDocument
{
    QJsonValue value;     // Null for an empty document
    int line = 0;         // 1-based line of the document's first content (not its `---`)
    SourceMap positions;
    std::optional<Error> error;  // set when this document could not be read
};

// Everything a YAML stream held: its documents in order. A syntax error that
// yaml-cpp cannot recover from ends the list with one errored document.
struct YamlStream
{
    QList<YamlDocument> documents;
};

} // namespace Greenroom::Yaml
