// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// Reading key order out of JSON text walks it ourselves (jsonwalk.h): Qt's
// JSON parser drops the order (it is what we are recovering), and the
// yaml-cpp reader would build a whole second tree to learn a list of
// names. The writer orders keys and writes strings as Qt does (the tests
// compare it with Qt byte for byte); numbers are written by Qt.
#include "jsonkeyorder.h"
#include "jsonwalk.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace Greenroom {

namespace {

constexpr QChar EntryMark = QChar(0x1d);
constexpr QChar KeyMark = QChar(0x1e);

// A key's bytes as written between its quotes, decoded.
QString decodeKey(const QByteArray &json, qsizetype start, qsizetype end)
{
    const QByteArray token = json.mid(start, end - start);
    // Escapes are rare in keys; let Qt decode those that have them.
    if (!token.contains('\\'))
        return QString::fromUtf8(token);
    return QJsonDocument::fromJson("[\"" + token + "\"]").array().at(0).toString();
}

// A string as QJsonDocument writes it (compact): quotes, backslash and
// control characters escaped, everything else as UTF-8.
void writeString(QByteArray &out, const QString &text)
{
    static const char hex[] = "0123456789abcdef";
    out += '"';
    // Most text is ASCII: written as it is read, without a UTF-8 copy.
    const bool ascii = std::all_of(text.cbegin(), text.cend(), [](QChar c) { return c.unicode() < 0x80; });
    const QByteArray utf8 = ascii ? QByteArray() : text.toUtf8();
    const auto byteAt = [&](qsizetype i) { return ascii ? char(text.at(i).unicode()) : utf8.at(i); };
    const qsizetype size = ascii ? text.size() : utf8.size();
    for (qsizetype i = 0; i < size; ++i) {
        const char c = byteAt(i);
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (u < 0x20) {
                out += "\\u00";
                out += hex[u >> 4];
                out += hex[u & 0xf];
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

void writeValue(QByteArray &out, const QJsonValue &value, const JsonKeyOrder &order, const QString &path);

void writeObject(QByteArray &out, const QJsonObject &object, const JsonKeyOrder &order, const QString &path)
{
    // The known keys in their order, then the rest in the object's (sorted) order.
    QList<QJsonObject::const_iterator> entries;
    entries.reserve(object.size());
    for (const QString &key : order.keys(path)) {
        const auto found = object.constFind(key);
        if (found != object.constEnd() && !entries.contains(found))
            entries.append(found);
    }
    const qsizetype known = entries.size();
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (known == 0 || !entries.contains(it))
            entries.append(it);
    }
    out += '{';
    bool first = true;
    for (const QJsonObject::const_iterator &entry : std::as_const(entries)) {
        if (!first)
            out += ',';
        first = false;
        const QString key = entry.key();
        writeString(out, key);
        out += ':';
        const QJsonValue value = entry.value();
        // Only containers have keys to order: scalars need no path.
        writeValue(out, value, order, value.isObject() || value.isArray() ? JsonKeyOrder::childPath(path, key) : QString());
    }
    out += '}';
}

void writeValue(QByteArray &out, const QJsonValue &value, const JsonKeyOrder &order, const QString &path)
{
    if (value.isObject()) {
        writeObject(out, value.toObject(), order, path);
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        out += '[';
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (i > 0)
                out += ',';
            const QJsonValue item = array.at(i);
            writeValue(out, item, order, item.isObject() || item.isArray() ? JsonKeyOrder::childPath(path, QString::number(i)) : QString());
        }
        out += ']';
    } else if (value.isString()) {
        writeString(out, value.toString());
    } else if (value.isBool()) {
        out += value.toBool() ? "true" : "false";
    } else if (value.isNull() || value.isUndefined()) {
        out += "null";
    } else {
        // Numbers as Qt formats them.
        const QByteArray scalar = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
        out += QByteArrayView(scalar).sliced(1, scalar.size() - 2);
    }
}

} // namespace

QString JsonKeyOrder::childPath(const QString &parentPath, const QString &component)
{
    QString path;
    path.reserve(parentPath.size() + component.size() + 1);
    path += parentPath;
    path += Separator;
    path += component;
    return path;
}

QString JsonKeyOrder::path(std::initializer_list<QString> components)
{
    QString result;
    for (const QString &component : components)
        result = childPath(result, component);
    return result;
}

void JsonKeyOrder::Builder::append(const QString &parentPath, const QString &key)
{
    auto found = m_keys.find(parentPath);
    if (found == m_keys.end()) {
        m_paths.append(parentPath);
        found = m_keys.insert(parentPath, {});
    }
    if (!found->contains(key))
        found->append(key);
}

JsonKeyOrder JsonKeyOrder::Builder::build(bool dropArrays) const
{
    JsonKeyOrder order;
    for (const QString &path : m_paths) {
        const QStringList &keys = m_keys[path];
        if (dropArrays) {
            bool indices = true;
            for (qsizetype i = 0; i < keys.size() && indices; ++i)
                indices = keys.at(i) == QString::number(i);
            if (indices)
                continue;
        }
        order.m_packed += EntryMark;
        order.m_packed += path;
        for (const QString &key : keys) {
            order.m_packed += KeyMark;
            order.m_packed += key;
        }
    }
    return order;
}

QStringList JsonKeyOrder::keys(const QString &path) const
{
    const QString entry = EntryMark + path + KeyMark;
    const qsizetype at = m_packed.indexOf(entry);
    if (at < 0)
        return {};
    const qsizetype start = at + entry.size();
    const qsizetype end = m_packed.indexOf(EntryMark, start);
    return m_packed.mid(start, end < 0 ? -1 : end - start).split(KeyMark);
}

void JsonKeyOrder::append(const QString &parentPath, const QString &key)
{
    Builder builder;
    for (const auto &[path, keys] : entries())
        for (const QString &known : keys)
            builder.append(path, known);
    builder.append(parentPath, key);
    *this = builder.build();
}

QList<std::pair<QString, QStringList>> JsonKeyOrder::entries() const
{
    QList<std::pair<QString, QStringList>> list;
    for (const QString &entry : m_packed.split(EntryMark, Qt::SkipEmptyParts)) {
        QStringList parts = entry.split(KeyMark);
        const QString path = parts.takeFirst();
        list.append({path, parts});
    }
    return list;
}

JsonKeyOrder JsonKeyOrder::below(const QString &path) const
{
    Builder builder;
    for (const auto &[entryPath, keys] : entries()) {
        QString rerooted;
        if (entryPath == path)
            rerooted = QString();
        else if (entryPath.startsWith(path + Separator))
            rerooted = entryPath.mid(path.size());
        else
            continue;
        for (const QString &key : keys)
            builder.append(rerooted, key);
    }
    return builder.build();
}

void JsonKeyOrder::insertBelow(const QString &path, const JsonKeyOrder &other)
{
    Builder builder;
    for (const auto &[entryPath, keys] : entries())
        for (const QString &key : keys)
            builder.append(entryPath, key);
    for (const auto &[entryPath, keys] : other.entries())
        for (const QString &key : keys)
            builder.append(path + entryPath, key);
    *this = builder.build();
}

JsonKeyOrder JsonKeyOrder::fromJson(const QByteArray &json)
{
    // One frame per open object or array: its path, and what is being read in it.
    struct Frame
    {
        QString path;
        bool isObject = false;
        qsizetype index = 0;   // arrays: the element
        QString key;           // objects: the key whose value comes next
    };
    struct Visitor
    {
        const QByteArray &json;
        Builder order;
        QList<Frame> stack;
        void open(bool isObject, qsizetype)
        {
            QString path;
            if (!stack.isEmpty()) {
                const Frame &top = stack.last();
                path = childPath(top.path, top.isObject ? top.key : QString::number(top.index));
            }
            Frame frame;
            frame.path = path;
            frame.isObject = isObject;
            stack.append(frame);
        }
        void close(qsizetype)
        {
            if (!stack.isEmpty())
                stack.removeLast();
        }
        void key(qsizetype start, qsizetype end)
        {
            stack.last().key = decodeKey(json, start, end);
            order.append(stack.last().path, stack.last().key);
        }
        void nextElement() { ++stack.last().index; }
    } visitor{json, {}, {}};
    walkJson(json, visitor);
    return visitor.order.build();
}

QByteArray JsonKeyOrder::toJson(const QJsonObject &object) const
{
    if (m_packed.isEmpty())
        return QJsonDocument(object).toJson(QJsonDocument::Compact);
    QByteArray out;
    writeObject(out, object, *this, QString());
    return out;
}

} // namespace Greenroom
