// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QString>
#include <QStringView>

namespace Greenroom::Docs {

// Appends `text` with &, <, > and " escaped (safe in text and in quoted attributes).
void appendEscapedHtml(QString &out, QStringView text);
QString escapeHtml(QStringView text);

// The text of an HTML fragment: tags removed, the common entities decoded.
// For search text and heading ids, not for security (the sanitiser does that).
QString htmlToText(QStringView html);

// Decodes &amp; &lt; &gt; &quot; &#39; &#NN; &#xNN; and &nbsp; / &para;.
QString decodeEntities(QStringView text);

// Whitespace runs to one space, trimmed.
QString collapseWhitespace(QStringView text);

} // namespace Greenroom::Docs
