// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QByteArray>
#include <QList>

#include <algorithm>

namespace Greenroom {

/*
 * Walks the structure of JSON text Qt has already accepted, for what Qt's
 * parser does not tell: the order of keys and where each value's bytes are.
 * The visitor is called with
 *   open(isObject, offset)   at a `{` or `[` (offset of the bracket),
 *   close(end)               after its `}` or `]` (end: offset past it),
 *   key(start, end)          for an object key (its bytes between the quotes, escapes as written),
 *   nextElement()            at a `,` between array elements.
 * Malformed text ends the walk where it stops making sense.
 */
template <typename Visitor>
void walkJson(const QByteArray &json, Visitor &visitor)
{
    QList<bool> objects;   // per open container: is it an object
    bool expectKey = false;
    for (qsizetype i = 0; i < json.size();) {
        const char c = json.at(i);
        if (c == '{' || c == '[') {
            visitor.open(c == '{', i);
            objects.append(c == '{');
            expectKey = c == '{';
            ++i;
        } else if (c == '}' || c == ']') {
            if (objects.isEmpty())
                return;
            objects.removeLast();
            ++i;
            visitor.close(i);
        } else if (c == ',') {
            if (objects.isEmpty())
                return;
            if (objects.last())
                expectKey = true;
            else
                visitor.nextElement();
            ++i;
        } else if (c == '"') {
            const qsizetype start = i + 1;
            for (++i; i < json.size() && json.at(i) != '"'; ++i) {
                if (json.at(i) == '\\')
                    ++i;
            }
            if (expectKey && !objects.isEmpty())
                visitor.key(start, std::min(i, json.size()));
            expectKey = false;
            ++i;
        } else {
            ++i;   // ':', whitespace, numbers, literals
        }
    }
}

} // namespace Greenroom
