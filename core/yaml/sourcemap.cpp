// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "sourcemap.h"

namespace Greenroom::Yaml {

// Unit separator: cannot appear in a key by accident.
static constexpr QChar Separator = QChar(0x1f);

QString SourceMap::childKey(const QString &parentKey, const QString &component)
{
    QString key;
    key.reserve(parentKey.size() + component.size() + 1);
    key += parentKey;
    key += Separator;
    key += component;
    return key;
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
        const qsizetype cut = key.lastIndexOf(Separator);
        if (cut >= 0)
            order.append(key.left(cut), key.mid(cut + 1));
    }
    return order.build(true);
}

} // namespace Greenroom::Yaml
