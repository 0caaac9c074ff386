// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "sourcemap.h"

namespace Greenroom::Yaml {

// Keys are JsonKeyOrder's paths, so the key order read here needs no translation.
QString SourceMap::childKey(const QString &parentKey, const QString &component)
{
    return JsonKeyOrder::childPath(parentKey, component);
}

QString SourceMap::key(const QStringList &path)
{
    QString key;
    for (const QString &component : path)
        key = childKey(key, component);
    return key;
}

int SourceMap::line(const QStringList &path) const
{
    QStringList probe = path;
    for (;;) {
        const QString wanted = key(probe);
        for (const auto &[candidate, line] : m_lines) {
            if (candidate == wanted)
                return line;
        }
        if (probe.isEmpty())
            return 0;
        probe.removeLast();
    }
}

JsonKeyOrder SourceMap::keyOrder() const
{
    JsonKeyOrder::Builder order;
    for (const auto &[key, line] : m_lines) {
        const qsizetype cut = key.lastIndexOf(JsonKeyOrder::Separator);
        if (cut >= 0)
            order.append(key.left(cut), key.mid(cut + 1));
    }
    return order.build(true);
}

} // namespace Greenroom::Yaml
