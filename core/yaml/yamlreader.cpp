// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "yamlreader.h"
#include "scalarresolver_p.h"

#include <QJsonArray>
#include <QJsonObject>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <optional>
#include <sstream>
#include <unordered_map>
#include <vector>

namespace Greenroom::Yaml {

namespace {

using namespace Greenroom::Yaml::Internal;

// Builds JSON straight from yaml-cpp's parse events with an explicit stack, so
// depth costs heap, not C++ stack, and a bad document can be abandoned
// half-way (the rest of its events are ignored) without losing its siblings.
class JsonBuilder final : public YAML::EventHandler
{
public:
    JsonBuilder(const QString &sourceName, const YamlLimits &limits, int lineOffset)
        : m_sourceName(sourceName), m_limits(limits), m_lineOffset(lineOffset) {}

    YamlDocument takeDocument() { return std::move(m_document); }

    void OnDocumentStart(const YAML::Mark &mark) override
    {
        m_document = YamlDocument();
        m_document.line = lineOf(mark);
        m_stack.clear();
        m_anchors.clear();
        m_failed = false;
    }

    void OnDocumentEnd() override {}

    void OnNull(const YAML::Mark &mark, YAML::anchor_t anchor) override
    {
        addScalar(mark, anchor, QJsonValue::Null, QStringLiteral("null"));
    }

    void OnAlias(const YAML::Mark &mark, YAML::anchor_t anchor) override
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

    void OnScalar(const YAML::Mark &mark, const std::string &tag, YAML::anchor_t anchor,
                  const std::string &value) override
    {
        if (m_failed)
            return;
        QJsonValue resolved;
        if (tag == "?")
            resolved = resolvePlainScalar(value);
        else if (tag == "!" || tag.empty())
            resolved = QString::fromUtf8(value.data(), qsizetype(value.size()));
        else if (m_limits.keepCustomTags && isCustomTag(tag))
            resolved = QJsonObject{{QStringLiteral("!tag"), QString::fromStdString(tag)},
                                   {QStringLiteral("value"), QString::fromUtf8(value.data(), qsizetype(value.size()))}};
        else
            resolved = resolveTaggedScalar(tag, value);
        addScalar(mark, anchor, resolved, QString::fromUtf8(value.data(), qsizetype(value.size())));
    }

    void OnSequenceStart(const YAML::Mark &mark, const std::string &tag, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override
    {
        openCollection(mark, anchor, false, m_limits.keepCustomTags && isCustomTag(tag) ? tag : std::string());
    }

    void OnSequenceEnd() override { closeCollection(); }

    void OnMapStart(const YAML::Mark &mark, const std::string &tag, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override
    {
        openCollection(mark, anchor, true, m_limits.keepCustomTags && isCustomTag(tag) ? tag : std::string());
    }

    void OnMapEnd() override { closeCollection(); }

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
        YAML::anchor_t anchor = 0;
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
    int lineOf(const YAML::Mark &mark) const { return mark.line + 1 + m_lineOffset; }

    void fail(const YAML::Mark &mark, const QString &message)
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

    void addScalar(const YAML::Mark &mark, YAML::anchor_t anchor, const QJsonValue &value,
                   const QString &keyText)
    {
        if (m_failed)
            return;
        if (anchor)
            m_anchors[anchor] = Anchor{value, 1, 0};
        addValue(mark, value, keyText, 1);
    }

    // Places a finished value: as the document root, as a map key or value, or
    // as the next array item.
    void addValue(const YAML::Mark &mark, const QJsonValue &value,
                  const QString &keyText, int weight)
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
        m_document.positions.insert(SourceMap::childKey(frame.pathKey, QString::number(frame.array.size())),
                                    lineOf(mark));
        frame.array.append(value);
    }

    static bool isCustomTag(const std::string &tag)
    {
        static const std::string core = "tag:yaml.org,2002:";
        if (tag.empty() || tag == "?" || tag == "!")
            return false;
        if (tag.rfind(core, 0) != 0)
            return true;
        static const char *const coreTypes[] = {"str", "int", "float", "bool", "null", "map", "seq"};
        const std::string type = tag.substr(core.size());
        return std::find(std::begin(coreTypes), std::end(coreTypes), type) == std::end(coreTypes);
    }

    void openCollection(const YAML::Mark &mark, YAML::anchor_t anchor, bool isMap, const std::string &tag)
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
        frame.tag = tag;
        if (!tag.empty() && isMap)
            frame.object.insert(QStringLiteral("!tag"), QString::fromStdString(tag));
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

    void closeCollection()
    {
        if (m_failed)
            return;
        Frame frame = std::move(m_stack.back());
        m_stack.pop_back();
        QJsonValue value = frame.isMap ? QJsonValue(frame.object) : QJsonValue(frame.array);
        if (!frame.isMap && !frame.tag.empty())
            value = QJsonObject{{QStringLiteral("!tag"), QString::fromStdString(frame.tag)}, {QStringLiteral("value"), value}};
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

    QString m_sourceName;
    YamlLimits m_limits;
    int m_lineOffset = 0;
    YamlDocument m_document;
    std::vector<Frame> m_stack;
    std::unordered_map<YAML::anchor_t, Anchor> m_anchors;
    bool m_failed = false;
};

} // namespace

YamlStream YamlReader::read(const QByteArray &text, const QString &sourceName, const YamlLimits &limits)
{
    YamlStream stream;
    readEach(text, sourceName, limits, [&stream](YamlDocument &&document) { stream.documents.append(std::move(document)); });
    return stream;
}

namespace {

// Reads `text`, whose first line is line lineOffset + 1 of its stream. With
// `sentinel`, text ends in a "---" line of our own: the empty document it
// starts, always the last one read, is not handed on.
bool readStream(std::string text, const QString &sourceName, const YamlLimits &limits,
                const std::function<void(YamlDocument &&document)> &each, int lineOffset, bool sentinel)
{
    std::istringstream input(std::move(text));
    JsonBuilder builder(sourceName, limits, lineOffset);
    std::optional<YamlDocument> held;   // with a sentinel: handed on once the next one is read
    const auto pass = [&](YamlDocument &&document) {
        if (!sentinel) {
            each(std::move(document));
            return;
        }
        if (held)
            each(std::move(*held));
        held = std::move(document);
    };
    try {
        YAML::Parser parser(input);
        while (parser.HandleNextDocument(builder))
            pass(builder.takeDocument());
        return true;   // what is held is the sentinel's document
    } catch (const YAML::Exception &e) {
        if (held)
            each(std::move(*held));
        // yaml-cpp cannot resume after a syntax error: what came before is kept,
        // the broken document and everything after it become one error. If our
        // own limits had already refused the document, that error says more.
        YamlDocument broken = builder.takeDocument();
        if (broken.error) {
            each(std::move(broken));
            return false;
        }
        QString message = QString::fromStdString(e.msg);
        // yaml-cpp's scanner gives up on deep flow nesting ([[[[...) before any
        // event reaches us, with a message that names no cause.
        if (e.msg == YAML::ErrorMsg::BAD_FILE || dynamic_cast<const YAML::DeepRecursion *>(&e))
            message = QStringLiteral("Nesting is too deep to read (yaml-cpp: %1)").arg(message);
        Error error = Error::input(message);
        error.at(sourceName, e.mark.line + 1 + lineOffset, e.mark.column + 1);
        broken.value = QJsonValue();
        broken.line = e.mark.line + 1 + lineOffset;
        broken.error = error;
        each(std::move(broken));
        return false;
    }
}

} // namespace

bool YamlReader::readEach(QByteArrayView text, const QString &sourceName, const YamlLimits &limits,
                          const std::function<void(YamlDocument &&document)> &each)
{
    return readStream(std::string(text.constData(), size_t(text.size())), sourceName, limits, each, 0, false);
}

bool YamlReader::readPart(const QByteArray &stream, const StreamPart &part, const QString &sourceName, const YamlLimits &limits,
                          const std::function<void(YamlDocument &&document)> &each)
{
    std::string text(stream.constData() + part.begin, size_t(part.end - part.begin));
    // yaml-cpp takes a quote left open at the end of its input as closed; in
    // the whole stream it meets the next part's "---" and fails there. So it
    // meets one here too.
    if (part.markerFollows)
        text += "---\n";
    return readStream(std::move(text), sourceName, limits, each, part.firstLine - 1, part.markerFollows);
}

QList<StreamPart> YamlReader::partsOf(const QByteArray &text, int count)
{
    const qsizetype size = text.size();
    const QList<StreamPart> whole{{0, size, 1}};
    if (count <= 1 || size == 0)
        return whole;
    const char *data = text.constData();
    // Directives belong to the document after them; NULs mean UTF-16 or
    // UTF-32, whose bytes cannot be cut by these rules; a bare CR ends a line
    // for yaml-cpp but not for the count below.
    if (data[0] == '%' || text.contains("\n%") || text.contains('\0'))
        return whole;
    for (qsizetype cr = text.indexOf('\r'); cr >= 0; cr = text.indexOf('\r', cr + 1)) {
        if (cr + 1 == size || data[cr + 1] != '\n')
            return whole;
    }
    QList<StreamPart> parts;
    const qsizetype step = std::max<qsizetype>(1, size / count);
    qsizetype begin = 0;
    int line = 1;
    for (qsizetype search = step; search < size;) {
        // A line that is "---" alone or followed by a blank starts a document,
        // in any context: YAML forbids it inside scalars of every style.
        const qsizetype marker = text.indexOf("\n---", search - 1);
        if (marker < 0)
            break;
        const qsizetype after = marker + 4;
        if (after < size && data[after] != ' ' && data[after] != '\t' && data[after] != '\n' && data[after] != '\r') {
            search = after;
            continue;
        }
        const qsizetype cut = marker + 1;
        parts.append({begin, cut, line, true});
        line += int(std::count(data + begin, data + cut, '\n'));
        begin = cut;
        search = std::max(cut + step, after);
    }
    parts.append({begin, size, line, false});
    return parts;
}

} // namespace Greenroom::Yaml
