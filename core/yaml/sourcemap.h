// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/jsonkeyorder.h>

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace Greenroom::Yaml {

/*
 * Lines of the nodes of one parsed YAML document, keyed by their path from the
 * document root (object keys and array indices as strings). Lets a validation
 * error that names a field point at the line that holds it. A path not in the
 * map answers with its nearest ancestor's line, so the answer is always a
 * line inside the document.
 *
 * Written once per node while parsing and read only when reporting an error,
 * so it is a flat list (cheap to fill) rather than a hash (cheap to query).
 */
class SourceMap
{
public:
    // Key of `component` below the node whose key is `parentKey` ("" = root).
    static QString childKey(const QString &parentKey, const QString &component);
    static QString key(const QStringList &path);

    void insert(const QString &key, int line) { m_lines.append({key, line}); }
    int line(const QStringList &path) const;
    bool isEmpty() const { return m_lines.isEmpty(); }
    // The order the document wrote each mapping's keys in (entries are
    // recorded as their values end, so siblings keep document order).
    JsonKeyOrder keyOrder() const;

private:
    QList<QPair<QString, int>> m_lines;
};

} // namespace Greenroom::Yaml
