// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "yamldocument.h"
#include "yamlreader.h"

#include <QJsonArray>
#include <QJsonObject>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace Greenroom::Yaml::Internal {

// Where an event starts, 0-based, within the text the parser was given.
struct EventMark
{
    int line = 0;
    int column = 0;
};

// An anchor as the parser numbered it within its document; 0 for none.
using AnchorId = std::size_t;

/*
 * Builds JSON straight from a parser's events, whichever parser gives them
 * (libyaml's or yaml-cpp's), with an explicit stack, so depth costs heap, not
 * C++ stack, and a bad document can be abandoned half-way (the rest of its
 * events are ignored) without losing its siblings.
 *
 * Events follow yaml-cpp's shapes: a scalar's tag is "?" when plain and "!"
 * when quoted without a tag; a plain null (empty, ~, null, Null, NULL) with no
 * tag arrives as null().
 */
class JsonBuilder
{
public:
    JsonBuilder(const QString &sourceName, const YamlLimits &limits, int lineOffset)
        : m_sourceName(sourceName), m_limits(limits), m_lineOffset(lineOffset) {}

    void documentStart(EventMark mark);
    void null(EventMark mark, AnchorId anchor);
    void alias(EventMark mark, AnchorId anchor);
    void scalar(EventMark mark, std::string_view tag, AnchorId anchor, const std::string &value);
    void collectionStart(EventMark mark, bool isMap, std::string_view tag, AnchorId anchor);
    void collectionEnd();

    // Our own rules (limits, duplicate keys, aliases) refused the document.
    bool failed() const { return m_failed; }
    YamlDocument takeDocument() { return std::move(m_document); }

private:
    struct Frame
    {
        bool isMap = false;
        QJsonObject object;
        QJsonArray array;
        QString pathKey;        // SourceMap key of this collection
        QString pendingKey;     // map: key read, value not yet
        bool hasPendingKey = false;
        int pendingKeyLine = 0;
        AnchorId anchor = 0;
        int weight = 0;         // alias weight, the max over the children
        int line = 0;
        std::string tag;        // keepCustomTags: the collection's own tag
    };

    struct Anchor
    {
        QJsonValue value;
        int weight = 1;
        int uses = 0;
    };

    // 1-based, in the whole stream this part of it starts m_lineOffset lines into.
    int lineOf(EventMark mark) const { return mark.line + 1 + m_lineOffset; }

    void fail(EventMark mark, const QString &message);
    void addScalar(EventMark mark, AnchorId anchor, const QJsonValue &value, const QString &keyText);
    void addValue(EventMark mark, const QJsonValue &value, const QString &keyText, int weight);
    static bool isCustomTag(std::string_view tag);

    QString m_sourceName;
    YamlLimits m_limits;
    int m_lineOffset = 0;
    YamlDocument m_document;
    std::vector<Frame> m_stack;
    std::unordered_map<AnchorId, Anchor> m_anchors;
    bool m_failed = false;
};

} // namespace Greenroom::Yaml::Internal
