// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <initializer_list>

namespace Greenroom {

/*
 * The order an entity's author wrote the keys of its objects in, by path.
 * QJsonObject keeps keys sorted, but the order is part of what a file says:
 * a template's form lists its fields in the order of `properties`, and
 * Backstage serves entities with their keys as written. This keeps that
 * order beside the QJsonObject and writes JSON that follows it.
 *
 * A path is the object's keys and array indices from the root, each
 * preceded by U+001F, a unit separator no key has by accident ("" is the
 * root); Yaml::SourceMap keys its nodes the same way.
 */
class JsonKeyOrder
{
public:
    static constexpr QChar Separator = QChar(0x1f);
    static QString childPath(const QString &parentPath, const QString &component);
    // The path of `components` below the root: path({"spec", "parameters"}).
    static QString path(std::initializer_list<QString> components);

    // Collects orders key by key (in any interleaving of objects) and packs
    // them into a JsonKeyOrder when done.
    class Builder
    {
    public:
        // `key` comes after the keys already known for the object at `parentPath`.
        void append(const QString &parentPath, const QString &key);
        // Leaves out the lists that are array indices in order (0, 1, 2, ...),
        // as a source map lists arrays' elements: only objects' keys are ordered.
        JsonKeyOrder build(bool dropArrays = false) const;

    private:
        QHash<QString, QStringList> m_keys;
        QStringList m_paths;   // in first-seen order, so the packed form is stable
    };

    // `key` comes after the keys already known for the object at `parentPath`
    // (for small orders made by hand; a Builder is for many keys).
    void append(const QString &parentPath, const QString &key);
    // The keys of the object at `path` in their written order; empty when unknown.
    QStringList keys(const QString &path) const;
    bool isEmpty() const { return m_packed.isEmpty(); }
    // The orders found below `path`, re-rooted there ("" becomes `path`'s object).
    JsonKeyOrder below(const QString &path) const;
    // Adds `other`'s orders under `path` (inverse of below()).
    void insertBelow(const QString &path, const JsonKeyOrder &other);

    // The key order of every object in JSON text (as JSON.parse would keep it;
    // a key written twice keeps its first place). Text that is not JSON gives
    // what was read before the fault.
    static JsonKeyOrder fromJson(const QByteArray &json);

    // Compact JSON of `object`, byte for byte what QJsonDocument writes except
    // that each object's known keys come first in their order, the others
    // after them, sorted.
    QByteArray toJson(const QJsonObject &object) const;

private:
    QList<std::pair<QString, QStringList>> entries() const;

    // Every object's order in one string, a few hundred characters an entity
    // (a hash of lists took more memory than the entity itself): each entry
    // is U+001D, the path, then each key preceded by U+001E.
    QString m_packed;
};

} // namespace Greenroom
