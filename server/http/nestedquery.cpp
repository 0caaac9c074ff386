// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "nestedquery.h"

#include <QJsonArray>

#include <map>
#include <memory>

namespace Greenroom::Server {

namespace {

constexpr int MaxDepth = 5;        // qs's `depth`
constexpr int MaxArrayIndex = 20;  // qs's `arrayLimit`

// A key's parts: "filters[lifecycle][0]" is filters, lifecycle, 0; "types[]" is types, "".
QStringList keyParts(const QString &key)
{
    const qsizetype open = key.indexOf(QLatin1Char('['));
    if (open <= 0)
        return {key};
    QStringList parts{key.left(open)};
    qsizetype at = open;
    while (at < key.size() && key.at(at) == QLatin1Char('[')) {
        const qsizetype close = key.indexOf(QLatin1Char(']'), at);
        if (close < 0)
            break;
        if (parts.size() > MaxDepth) {
            parts.append(key.mid(at));
            return parts;
        }
        parts.append(key.mid(at + 1, close - at - 1));
        at = close + 1;
    }
    if (at < key.size())
        parts.append(key.mid(at));   // qs keeps what follows unbalanced brackets as a key of its own
    return parts;
}

struct Node
{
    QStringList values;                                  // texts set at this node
    std::map<QString, std::unique_ptr<Node>> children;   // by key
    QStringList order;                                   // keys in the order first seen
    int pushed = 0;                                      // `[]` appends so far

    Node &child(const QString &key)
    {
        auto &slot = children[key];
        if (!slot) {
            slot = std::make_unique<Node>();
            order.append(key);
        }
        return *slot;
    }

    QJsonValue toJson() const
    {
        if (children.empty()) {
            if (values.size() == 1)
                return values.first();
            QJsonArray array;
            for (const QString &value : values)
                array.append(value);
            return array;
        }
        bool indexed = values.isEmpty();
        std::map<int, const Node *> byIndex;
        for (const QString &key : order) {
            bool ok = false;
            const int index = key.toInt(&ok);
            if (!ok || index < 0 || index > MaxArrayIndex || QString::number(index) != key) {
                indexed = false;
                break;
            }
            byIndex[index] = children.at(key).get();
        }
        if (indexed) {
            // Sparse indices close up, as qs compacts them.
            QJsonArray array;
            for (const auto &[index, node] : byIndex)
                array.append(node->toJson());
            return array;
        }
        QJsonObject object;
        for (const QString &key : order)
            object.insert(key, children.at(key)->toJson());
        for (qsizetype i = 0; i < values.size(); ++i)
            object.insert(QString::number(i), values.at(i));   // a plain value beside keys, as qs merges them
        return object;
    }
};

} // namespace

QJsonObject nestedQuery(const QList<std::pair<QString, QString>> &pairs)
{
    Node root;
    for (const auto &[key, value] : pairs) {
        if (key.isEmpty())
            continue;
        Node *node = &root;
        for (const QString &part : keyParts(key)) {
            if (part.isEmpty()) {
                // `a[]`: the next index of that array.
                node = &node->child(QString::number(node->pushed++));
            } else {
                bool numeric = false;
                const int index = part.toInt(&numeric);
                if (numeric && index >= node->pushed)
                    node->pushed = index + 1;
                node = &node->child(part);
            }
        }
        node->values.append(value);
    }
    return root.toJson().toObject();
}

} // namespace Greenroom::Server
