// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "jsonbuilder_p.h"

#include "scalarresolver_p.h"

#include <algorithm>

namespace Greenroom::Yaml::Internal {

namespace {

QString fromUtf8(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

} // namespace

void JsonBuilder::documentStart(EventMark mark)
{
    m_document = YamlDocument();
    m_document.line = lineOf(mark);
    m_stack.clear();
    m_anchors.clear();
    m_failed = false;
}

void JsonBuilder::null(EventMark mark, AnchorId anchor)
{
    addScalar(mark, anchor, QJsonValue::Null, QStringLiteral("null"));
}

void JsonBuilder::alias(EventMark mark, AnchorId anchor)
{
    if (m_failed)
        return;
    const auto it = m_anchors.find(anchor);
    if (it == m_anchors.end()) {
        fail(mark, QStringLiteral("Alias refers to an anchor that is not defined yet"));
        return;
    }
    Anchor &target = it->second;
    // The `yaml` package's rule: each use of an anchor costs as much as the
    // aliases nested in it, and the running product may not pass the limit.
    target.uses += 1;
    if (m_limits.maxAliasCount >= 0 && target.uses * target.weight > m_limits.maxAliasCount) {
        fail(mark, QStringLiteral("Excessive alias count indicates a resource exhaustion attack"));
        return;
    }
    const QString keyText = target.value.isString() ? target.value.toString() : QString();
    addValue(mark, target.value, keyText, target.uses * target.weight);
}

void JsonBuilder::scalar(EventMark mark, std::string_view tag, AnchorId anchor, const std::string &value)
{
    if (m_failed)
        return;
    QJsonValue resolved;
    if (tag == "?")
        resolved = resolvePlainScalar(value);
    else if (tag == "!" || tag.empty())
        resolved = fromUtf8(value);
    else if (m_limits.keepCustomTags && isCustomTag(tag))
        resolved = QJsonObject{{QStringLiteral("!tag"), fromUtf8(tag)}, {QStringLiteral("value"), fromUtf8(value)}};
    else
        resolved = resolveTaggedScalar(std::string(tag), value);
    addScalar(mark, anchor, resolved, resolved.isString() ? resolved.toString() : fromUtf8(value));
}

void JsonBuilder::fail(EventMark mark, const QString &message)
{
    if (m_failed)
        return;
    m_failed = true;
    Error error = Error::input(message);
    error.at(m_sourceName, lineOf(mark), mark.column + 1);
    m_document.error = error;
    m_document.value = QJsonValue();
    m_stack.clear();
}

void JsonBuilder::addScalar(EventMark mark, AnchorId anchor, const QJsonValue &value, const QString &keyText)
{
    if (m_failed)
        return;
    if (anchor)
        m_anchors[anchor] = Anchor{value, 1, 0};
    addValue(mark, value, keyText, 1);
}

// Places a finished value: as the document root, as a map key or value, or
// as the next array item.
void JsonBuilder::addValue(EventMark mark, const QJsonValue &value, const QString &keyText, int weight)
{
    if (m_stack.empty()) {
        m_document.value = value;
        m_document.line = lineOf(mark);
        m_document.positions.insert(QString(), lineOf(mark));
        return;
    }
    Frame &frame = m_stack.back();
    frame.weight = std::max(frame.weight, weight);
    if (frame.isMap) {
        if (!frame.hasPendingKey) {
            if (value.isObject() || value.isArray()) {
                fail(mark, QStringLiteral("Map keys must be scalars"));
                return;
            }
            if (frame.object.contains(keyText)) {
                fail(mark, QStringLiteral("Map keys must be unique; \"%1\" is repeated").arg(keyText));
                return;
            }
            frame.pendingKey = keyText;
            frame.hasPendingKey = true;
            frame.pendingKeyLine = lineOf(mark);
            return;
        }
        const QString childKey = SourceMap::childKey(frame.pathKey, frame.pendingKey);
        m_document.positions.insert(childKey, frame.pendingKeyLine);
        frame.object.insert(frame.pendingKey, value);
        frame.hasPendingKey = false;
        return;
    }
    m_document.positions.insert(SourceMap::childKey(frame.pathKey, QString::number(frame.array.size())), lineOf(mark));
    frame.array.append(value);
}

bool JsonBuilder::isCustomTag(std::string_view tag)
{
    static constexpr std::string_view core = "tag:yaml.org,2002:";
    if (tag.empty() || tag == "?" || tag == "!")
        return false;
    if (!tag.starts_with(core))
        return true;
    static constexpr std::string_view coreTypes[] = {"str", "int", "float", "bool", "null", "map", "seq"};
    const std::string_view type = tag.substr(core.size());
    return std::find(std::begin(coreTypes), std::end(coreTypes), type) == std::end(coreTypes);
}

void JsonBuilder::collectionStart(EventMark mark, bool isMap, std::string_view tag, AnchorId anchor)
{
    if (m_failed)
        return;
    if (int(m_stack.size()) >= m_limits.maxDepth) {
        fail(mark, QStringLiteral("Nesting is deeper than %1 levels").arg(m_limits.maxDepth));
        return;
    }
    Frame frame;
    frame.isMap = isMap;
    frame.anchor = anchor;
    frame.line = lineOf(mark);
    if (m_limits.keepCustomTags && isCustomTag(tag))
        frame.tag = std::string(tag);
    if (!frame.tag.empty() && isMap)
        frame.object.insert(QStringLiteral("!tag"), fromUtf8(frame.tag));
    if (!m_stack.empty()) {
        const Frame &parent = m_stack.back();
        if (parent.isMap && !parent.hasPendingKey) {
            fail(mark, QStringLiteral("Map keys must be scalars"));
            return;
        }
        frame.pathKey = SourceMap::childKey(parent.pathKey, parent.isMap
                                            ? parent.pendingKey
                                            : QString::number(parent.array.size()));
    }
    m_stack.push_back(std::move(frame));
}

void JsonBuilder::collectionEnd()
{
    if (m_failed)
        return;
    Frame frame = std::move(m_stack.back());
    m_stack.pop_back();
    QJsonValue value = frame.isMap ? QJsonValue(frame.object) : QJsonValue(frame.array);
    if (!frame.isMap && !frame.tag.empty())
        value = QJsonObject{{QStringLiteral("!tag"), fromUtf8(frame.tag)}, {QStringLiteral("value"), value}};
    if (frame.anchor)
        m_anchors[frame.anchor] = Anchor{value, std::max(frame.weight, 1), 0};
    if (m_stack.empty()) {
        m_document.value = value;
        m_document.line = frame.line;
        m_document.positions.insert(QString(), frame.line);
        return;
    }
    Frame &parent = m_stack.back();
    parent.weight = std::max(parent.weight, frame.weight);
    if (parent.isMap) {
        m_document.positions.insert(frame.pathKey, parent.pendingKeyLine);
        parent.object.insert(parent.pendingKey, value);
        parent.hasPendingKey = false;
    } else {
        m_document.positions.insert(frame.pathKey, frame.line);
        parent.array.append(value);
    }
}

} // namespace Greenroom::Yaml::Internal
