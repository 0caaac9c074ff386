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
    JsonBuilder(const QString &sourceName, const YamlLimits &limits)
        : m_sourceName(sourceName), m_limits(limits) {}

    YamlDocument takeDocument() { return std::move(m_document); }

    void OnDocumentStart(const YAML::Mark &mark) override
    {
        m_document = YamlDocument();
        m_document.line = mark.line + 1;
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

    void fail(const YAML::Mark &mark, const QString &message)
    {
        if (m_failed)
            return;
        m_failed = true;
        Error error = Error::input(message);
        error.at(m_sourceName, mark.line + 1, mark.column + 1);
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
            m_document.line = mark.line + 1;
            m_document.positions.insert(QString(), mark.line + 1);
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
                frame.pendingKeyLine = mark.line + 1;
                return;
            }
            const QString childKey = SourceMap::childKey(frame.pathKey, frame.pendingKey);
            m_document.positions.insert(childKey, frame.pendingKeyLine);
            frame.object.insert(frame.pendingKey, value);
            frame.hasPendingKey = false;
            return;
        }
        m_document.positions.insert(SourceMap::childKey(frame.pathKey, QString::number(frame.array.size())),
                                    mark.line + 1);
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
        frame.line = mark.line + 1;
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

void YamlReader::readEach(const QByteArray &text, const QString &sourceName, const YamlLimits &limits,
                          const std::function<void(YamlDocument &&document)> &each)
{
    std::istringstream input(std::string(text.constData(), size_t(text.size())));
    JsonBuilder builder(sourceName, limits);
    try {
        YAML::Parser parser(input);
        while (parser.HandleNextDocument(builder))
            each(builder.takeDocument());
    } catch (const YAML::Exception &e) {
        // yaml-cpp cannot resume after a syntax error: what came before is kept,
        // the broken document and everything after it become one error. If our
        // own limits had already refused the document, that error says more.
        YamlDocument broken = builder.takeDocument();
        if (broken.error) {
            each(std::move(broken));
            return;
        }
        QString message = QString::fromStdString(e.msg);
        // yaml-cpp's scanner gives up on deep flow nesting ([[[[...) before any
        // event reaches us, with a message that names no cause.
        if (e.msg == YAML::ErrorMsg::BAD_FILE || dynamic_cast<const YAML::DeepRecursion *>(&e))
            message = QStringLiteral("Nesting is too deep to read (yaml-cpp: %1)").arg(message);
        Error error = Error::input(message);
        error.at(sourceName, e.mark.line + 1, e.mark.column + 1);
        broken.value = QJsonValue();
        broken.line = e.mark.line + 1;
        broken.error = error;
        each(std::move(broken));
    }
}

} // namespace Greenroom::Yaml
