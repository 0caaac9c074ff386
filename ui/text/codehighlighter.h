// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QString>

class QSyntaxHighlighter;
class QTextDocument;

namespace Greenroom::Ui {

// Highlights `document` as `language` ("yaml", "json", "graphql", "protobuf",
// or anything else for a generic highlighter). With KF6SyntaxHighlighting
// (found by CMake) its definitions and themes are used; Debian 12 has only
// its Qt 5 build, so there the built-in highlighter below does the work.
// The highlighter is owned by the document.
QSyntaxHighlighter *highlightCode(QTextDocument *document, const QString &language, bool dark);

// The language of an API definition by spec.type (openapi, asyncapi: YAML or JSON).
QString languageOfApiType(const QString &apiType, const QString &definition);

} // namespace Greenroom::Ui
