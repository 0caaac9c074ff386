// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "yamlreader.h"
#include "jsonbuilder_p.h"
#include "libyamlreader_p.h"
#include "yamlreader_p.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <optional>
#include <sstream>

namespace Greenroom::Yaml {

namespace {

using namespace Greenroom::Yaml::Internal;

// yaml-cpp's events, handed on in the builder's terms.
class YamlCppEvents final : public YAML::EventHandler
{
public:
    explicit YamlCppEvents(JsonBuilder &builder) : m_builder(builder) {}

    void OnDocumentStart(const YAML::Mark &mark) override
    {
        m_documentStart = mark;
        m_builder.documentStart(markOf(mark));
    }
    const YAML::Mark &documentStart() const { return m_documentStart; }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark &mark, YAML::anchor_t anchor) override { m_builder.null(markOf(mark), anchor); }
    void OnAlias(const YAML::Mark &mark, YAML::anchor_t anchor) override { m_builder.alias(markOf(mark), anchor); }
    void OnScalar(const YAML::Mark &mark, const std::string &tag, YAML::anchor_t anchor, const std::string &value) override
    {
        m_builder.scalar(markOf(mark), tag, anchor, value);
    }
    void OnSequenceStart(const YAML::Mark &mark, const std::string &tag, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override
    {
        m_builder.collectionStart(markOf(mark), false, tag, anchor);
    }
    void OnSequenceEnd() override { m_builder.collectionEnd(); }
    void OnMapStart(const YAML::Mark &mark, const std::string &tag, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override
    {
        m_builder.collectionStart(markOf(mark), true, tag, anchor);
    }
    void OnMapEnd() override { m_builder.collectionEnd(); }

private:
    static EventMark markOf(const YAML::Mark &mark) { return {mark.line, mark.column}; }

    JsonBuilder &m_builder;
    YAML::Mark m_documentStart = YAML::Mark::null_mark();
};

} // namespace

YamlStream YamlReader::read(const QByteArray &text, const QString &sourceName, const YamlLimits &limits)
{
    YamlStream stream;
    readEach(text, sourceName, limits, [&stream](YamlDocument &&document) { stream.documents.append(std::move(document)); });
    return stream;
}

namespace {

using Each = std::function<void(YamlDocument &&document)>;

// Hands a read's documents on. With `sentinel` the text ends in a "---" line
// of our own: the empty document it starts, always the last one read, is
// held back. The first `skip` are dropped: another parser handed them on;
// but never an error, which would say that parser read them wrongly.
class Handoff
{
public:
    Handoff(const Each &each, bool sentinel, qsizetype skip = 0) : m_each(each), m_sentinel(sentinel), m_skip(skip) {}

    void pass(YamlDocument &&document)
    {
        if (!m_sentinel) {
            deliver(std::move(document));
            return;
        }
        if (m_held)
            deliver(std::move(*m_held));
        m_held = std::move(document);
    }
    // A syntax error ends the read: what is held was a real document.
    void releaseHeld()
    {
        if (m_held)
            deliver(std::exchange(m_held, std::nullopt).value());
    }
    void deliver(YamlDocument &&document)
    {
        if (m_delivered++ >= m_skip || document.error)
            m_each(std::move(document));
    }
    qsizetype delivered() const { return m_delivered; }

private:
    const Each &m_each;
    bool m_sentinel;
    qsizetype m_skip;
    qsizetype m_delivered = 0;
    std::optional<YamlDocument> m_held;
};

// The error where yaml-cpp went round on a token it could not place.
YamlDocument stuckDocument(std::string_view text, const YAML::Mark &mark, const QString &sourceName, int lineOffset)
{
    const char at = mark.pos >= 0 && size_t(mark.pos) < text.size() ? text[size_t(mark.pos)] : '\0';
    const QString message = at == ',' || at == ']' || at == '}'
        ? QStringLiteral("Unexpected '%1' outside a flow collection").arg(QLatin1Char(at))
        : QStringLiteral("Unexpected text where a value should start");
    YamlDocument document;
    document.line = mark.line + 1 + lineOffset;
    Error error = Error::input(message);
    error.at(sourceName, document.line, mark.column + 1);
    document.error = error;
    return document;
}

// yaml-cpp's read, the one whose answers (errors above all) are the reference.
bool readWithYamlCpp(std::string_view text, const QString &sourceName, const YamlLimits &limits, int lineOffset,
                     Handoff &handoff)
{
    std::istringstream input{std::string(text)};
    JsonBuilder builder(sourceName, limits, lineOffset);
    YamlCppEvents events(builder);
    // yaml-cpp 0.7 goes round forever on a token that can start no node at
    // the top of a document (a ',' outside any flow collection, say): each
    // round is an empty document at that same place, and memory runs out.
    // So a document is handed on once the next one has begun elsewhere.
    std::optional<YamlDocument> last;
    std::optional<YAML::Mark> lastStart;
    try {
        YAML::Parser parser(input);
        while (parser.HandleNextDocument(events)) {
            const YAML::Mark start = events.documentStart();
            if (lastStart && lastStart->pos == start.pos) {
                handoff.releaseHeld();
                handoff.deliver(stuckDocument(text, start, sourceName, lineOffset));
                return false;
            }
            if (last)
                handoff.pass(std::move(*last));
            last = builder.takeDocument();
            lastStart = start;
        }
        if (last)
            handoff.pass(std::move(*last));
        return true;   // what is held is the sentinel's document
    } catch (const YAML::Exception &e) {
        if (last)
            handoff.pass(std::move(*last));
        handoff.releaseHeld();
        // yaml-cpp cannot resume after a syntax error: what came before is kept,
        // the broken document and everything after it become one error. If our
        // own limits had already refused the document, that error says more.
        YamlDocument broken = builder.takeDocument();
        if (broken.error) {
            handoff.deliver(std::move(broken));
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
        handoff.deliver(std::move(broken));
        return false;
    }
}

// Reads `text`, whose first line is line lineOffset + 1 of its stream; with
// `sentinel` it ends in a "---" line of our own (Handoff). libyaml reads what
// it can; yaml-cpp reads the rest again from the start, its first documents
// (libyaml's, the same) dropped.
bool readStream(std::string_view text, const QString &sourceName, const YamlLimits &limits, const Each &each,
                int lineOffset, bool sentinel, ReadingParser parser)
{
    qsizetype done = 0;
    if (parser != ReadingParser::YamlCpp) {
        Handoff handoff(each, sentinel);
        JsonBuilder builder(sourceName, limits, lineOffset);
        if (readWithLibyaml(text, builder, [&handoff](YamlDocument &&document) { handoff.pass(std::move(document)); }))
            return true;
        if (parser == ReadingParser::Libyaml)
            return false;
        done = handoff.delivered();
    }
    Handoff handoff(each, sentinel, done);
    return readWithYamlCpp(text, sourceName, limits, lineOffset, handoff);
}

} // namespace

bool Internal::readEach(QByteArrayView text, const QString &sourceName, const YamlLimits &limits, const Each &each,
                        ReadingParser parser)
{
    return readStream(std::string_view(text.constData(), size_t(text.size())), sourceName, limits, each, 0, false, parser);
}

bool YamlReader::readEach(QByteArrayView text, const QString &sourceName, const YamlLimits &limits, const Each &each)
{
    return Internal::readEach(text, sourceName, limits, each, ReadingParser::Fastest);
}

bool YamlReader::readPart(const QByteArray &stream, const StreamPart &part, const QString &sourceName, const YamlLimits &limits,
                          const Each &each)
{
    std::string text(stream.constData() + part.begin, size_t(part.end - part.begin));
    // yaml-cpp takes a quote left open at the end of its input as closed; in
    // the whole stream it meets the next part's "---" and fails there. So it
    // meets one here too.
    if (part.markerFollows)
        text += "---\n";
    return readStream(text, sourceName, limits, each, part.firstLine - 1, part.markerFollows, ReadingParser::Fastest);
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
