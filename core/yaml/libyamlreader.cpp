// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// libyaml's events, given to the builder as yaml-cpp would give them. Each
// place the two parsers read one text differently was found by running both
// over the whole YAML test suite (tst_yamlreader does so on every run); at
// each, this reader steps aside and yaml-cpp reads the stream.
#include "libyamlreader_p.h"

#include <QScopeGuard>
#include <yaml.h>

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace Greenroom::Yaml::Internal {

namespace {

// A '?' followed by a blank where an indicator may stand: first on its
// line, or after '-', ':', '?' or a flow indicator.
bool isExplicitKeyIndicator(std::string_view text, size_t at)
{
    if (at + 1 < text.size() && std::string_view(" \t\r\n").find(text[at + 1]) == std::string_view::npos)
        return false;
    for (size_t i = at; i-- > 0;) {
        if (text[i] == ' ' || text[i] == '\t')
            continue;
        return std::string_view("\n-:?,[{").find(text[i]) != std::string_view::npos;
    }
    return true;
}

// Text whose characters or lines the two could count differently: NULs
// (UTF-16/32), a bare CR, a byte order mark, and the line breaks YAML 1.1
// has and 1.2 does not (NEL, LS, PS); and explicit keys.
bool hasDoubtfulText(std::string_view text)
{
    const auto *data = reinterpret_cast<const unsigned char *>(text.data());
    const size_t size = text.size();
    for (size_t i = 0; i < size; ++i) {
        switch (data[i]) {
        case 0x00:
            return true;
        case '\r':
            if (i + 1 == size || data[i + 1] != '\n')
                return true;
            break;
        case 0xC2:   // NEL is C2 85
            if (i + 1 < size && data[i + 1] == 0x85)
                return true;
            break;
        case 0xE2:   // LS and PS are E2 80 A8 and E2 80 A9
            if (i + 2 < size && data[i + 1] == 0x80 && (data[i + 2] == 0xA8 || data[i + 2] == 0xA9))
                return true;
            break;
        case 0xEF:   // the byte order mark is EF BB BF
            if (i + 2 < size && data[i + 1] == 0xBB && data[i + 2] == 0xBF)
                return true;
            break;
        case '?':    // an explicit key: yaml-cpp indents its value differently
            if (isExplicitKeyIndicator(text, i))
                return true;
            break;
        default:
            break;
        }
    }
    return false;
}

bool isNullWord(std::string_view text)
{
    return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
}

bool endsAName(std::string_view text, size_t at)
{
    if (at >= text.size())
        return true;
    switch (text[at]) {
    case ' ': case '\t': case '\r': case '\n': case ',': case '[': case ']': case '{': case '}':
        return true;
    default:
        return false;
    }
}

std::string_view viewOf(const yaml_char_t *text)
{
    return text ? std::string_view(reinterpret_cast<const char *>(text)) : std::string_view();
}

// libyaml's marks count characters; the text is UTF-8 bytes. Marks are asked
// for mostly in increasing order, so this walks forward from the last answer.
class ByteOffsets
{
public:
    explicit ByteOffsets(std::string_view text) : m_text(text) {}

    size_t of(const yaml_mark_t &mark)
    {
        if (mark.index < m_characters)
            m_characters = m_bytes = 0;
        while (m_characters < mark.index && m_bytes < m_text.size()) {
            ++m_bytes;
            while (m_bytes < m_text.size() && (static_cast<unsigned char>(m_text[m_bytes]) & 0xC0) == 0x80)
                ++m_bytes;
            ++m_characters;
        }
        return m_bytes;
    }

private:
    std::string_view m_text;
    size_t m_characters = 0;
    size_t m_bytes = 0;
};

class LibyamlReader
{
public:
    LibyamlReader(std::string_view text, JsonBuilder &builder) : m_text(text), m_bytes(text), m_builder(builder) {}

    // True when the event was given as yaml-cpp would give it; false when
    // yaml-cpp must read the stream.
    bool handle(const yaml_event_t &event, const std::function<void(YamlDocument &&)> &pass);

private:
    struct Frame
    {
        bool isMap = false;
        bool isFlow = false;
        size_t children = 0;
        size_t start = 0;   // byte offset of a flow collection's start
        size_t column = 0;
    };

    // The node about to be read is a mapping's value (not a key, not an item).
    bool isMapValue() const { return !m_frames.empty() && m_frames.back().isMap && m_frames.back().children % 2 == 1; }
    bool inFlow() const { return !m_frames.empty() && m_frames.back().isFlow; }
    // libyaml takes a node no further right than its block sequence's '-'
    // as the item (`-` then `>` under it); yaml-cpp does not.
    bool isAtTheEnd(const yaml_event_t &event)
    {
        return m_text.ends_with('\n') && m_bytes.of(event.start_mark) == m_text.size();
    }
    bool isBesideItsDash(const yaml_event_t &event) const
    {
        return !m_frames.empty() && !m_frames.back().isMap && !m_frames.back().isFlow
            && event.start_mark.column <= m_frames.back().column;
    }
    void countChild()
    {
        if (!m_frames.empty())
            ++m_frames.back().children;
    }
    bool agreesOnProperties(const yaml_event_t &event, const yaml_char_t *anchor, const yaml_char_t *tag);
    AnchorId defineAnchor(const yaml_char_t *name);
    bool scalar(const yaml_event_t &event);
    bool collectionStart(const yaml_event_t &event, bool isMap, bool isFlow, const yaml_char_t *anchor,
                         const yaml_char_t *tag);
    bool collectionEnd(const yaml_event_t &event);

    std::string_view m_text;
    ByteOffsets m_bytes;
    JsonBuilder &m_builder;
    std::vector<Frame> m_frames;
    std::optional<YamlDocument> m_finished;   // handed on when the next one begins cleanly
    // Anchors are numbered as yaml-cpp numbers them: per document, from 1,
    // a name defined again taking a new number.
    std::unordered_map<std::string, AnchorId> m_anchors;
    AnchorId m_lastAnchor = 0;
    std::string m_value;
};

// Where the properties of a node (`&anchor`, `!tag`) were read alike.
bool LibyamlReader::agreesOnProperties(const yaml_event_t &event, const yaml_char_t *anchor, const yaml_char_t *tag)
{
    // The two take different tags for well-formed (`!!i!int`, `!e!tag%21`)
    // and the one refuses what the other reads (`!!!int`). Tags are rare
    // outside mkdocs.yml: yaml-cpp reads every stream that has one.
    if (tag)
        return false;
    if (!anchor)
        return true;
    // libyaml ends an anchor's name at the first character other than a
    // letter, digit, '-' or '_'; yaml-cpp reads on to a blank (`&an:chor`).
    const size_t start = m_bytes.of(event.start_mark);
    const std::string name = "&" + std::string(viewOf(anchor));
    const size_t at = m_text.find(name, start);
    return at != std::string_view::npos && endsAName(m_text, at + name.size());
}

AnchorId LibyamlReader::defineAnchor(const yaml_char_t *name)
{
    if (!name)
        return 0;
    m_anchors[std::string(viewOf(name))] = ++m_lastAnchor;
    return m_lastAnchor;
}

bool LibyamlReader::scalar(const yaml_event_t &event)
{
    const auto &scalar = event.data.scalar;
    if (!agreesOnProperties(event, scalar.anchor, scalar.tag) || isBesideItsDash(event))
        return false;
    const bool plain = scalar.style == YAML_PLAIN_SCALAR_STYLE;
    const bool quoted = scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE || scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
    const bool multiLine = event.start_mark.line != event.end_mark.line;
    // yaml-cpp refuses some multi-line plain scalars that libyaml reads (keys
    // in flow collections, items whose next line is indented less than their
    // first, anchored ones on a line of their own), and drops blank lines in
    // quoted scalars that libyaml keeps.
    if (multiLine && (quoted || inFlow() || !isMapValue() || scalar.anchor))
        return false;
    // An empty item or key: yaml-cpp places it at the token after it,
    // libyaml at the one before. In a flow mapping, yaml-cpp refuses a key
    // with no value that libyaml reads ({"a", b: c}). An empty document at
    // the end of the stream (the sentinel of YamlReader::readPart) they
    // place alike, if a line break ends the stream.
    if (plain && scalar.length == 0 && (!isMapValue() || inFlow()) && !(m_frames.empty() && isAtTheEnd(event)))
        return false;
    const EventMark mark{int(event.start_mark.line), int(event.start_mark.column)};
    const AnchorId anchor = defineAnchor(scalar.anchor);
    m_value.assign(reinterpret_cast<const char *>(scalar.value), scalar.length);
    // Untagged (agreesOnProperties), so "?" when plain and "!" when quoted, as yaml-cpp tags them.
    if (plain && isNullWord(m_value))
        m_builder.null(mark, anchor);
    else
        m_builder.scalar(mark, plain ? "?" : "!", anchor, m_value);
    countChild();
    return true;
}

bool LibyamlReader::collectionStart(const yaml_event_t &event, bool isMap, bool isFlow, const yaml_char_t *anchor,
                                    const yaml_char_t *tag)
{
    if (!agreesOnProperties(event, anchor, tag) || isBesideItsDash(event))
        return false;
    m_builder.collectionStart({int(event.start_mark.line), int(event.start_mark.column)}, isMap, {}, defineAnchor(anchor));
    m_frames.push_back({isMap, isFlow, 0, isFlow && !inFlow() ? m_bytes.of(event.start_mark) : 0, event.start_mark.column});
    return true;
}

bool LibyamlReader::collectionEnd(const yaml_event_t &event)
{
    const Frame frame = m_frames.back();
    m_frames.pop_back();
    // yaml-cpp refuses '?' in flow collections where libyaml reads a key
    // indicator ({?foo: bar}, [?x]) or a plain scalar ([a?b]).
    if (frame.isFlow && !inFlow()) {
        const size_t end = m_bytes.of(event.end_mark);
        if (m_text.substr(frame.start, end - frame.start).find('?') != std::string_view::npos)
            return false;
    }
    m_builder.collectionEnd();
    countChild();
    return true;
}

bool LibyamlReader::handle(const yaml_event_t &event, const std::function<void(YamlDocument &&)> &pass)
{
    const EventMark mark{int(event.start_mark.line), int(event.start_mark.column)};
    switch (event.type) {
    case YAML_STREAM_START_EVENT:
    case YAML_NO_EVENT:
        return true;
    case YAML_STREAM_END_EVENT:
        if (m_finished)
            pass(std::exchange(m_finished, std::nullopt).value());
        return true;
    case YAML_DOCUMENT_START_EVENT:
        // Directives are rare, and the two read some differently (%YAML 1.1#x).
        if (event.data.document_start.version_directive
            || event.data.document_start.tag_directives.start != event.data.document_start.tag_directives.end)
            return false;
        // What was after the last document began a new one: that one is whole.
        if (m_finished)
            pass(std::exchange(m_finished, std::nullopt).value());
        m_anchors.clear();
        m_lastAnchor = 0;
        m_frames.clear();
        m_builder.documentStart(mark);
        return true;
    case YAML_DOCUMENT_END_EVENT:
        if (m_builder.failed())
            return false;
        m_finished = m_builder.takeDocument();
        return true;
    case YAML_ALIAS_EVENT: {
        const auto anchor = m_anchors.find(std::string(viewOf(event.data.alias.anchor)));
        if (anchor == m_anchors.end() || !endsAName(m_text, m_bytes.of(event.end_mark)))
            return false;   // yaml-cpp's own error names it, or it reads a longer name
        m_builder.alias(mark, anchor->second);
        countChild();
        return !m_builder.failed();
    }
    case YAML_SCALAR_EVENT:
        return scalar(event) && !m_builder.failed();
    case YAML_SEQUENCE_START_EVENT:
        return collectionStart(event, false, event.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE,
                               event.data.sequence_start.anchor, event.data.sequence_start.tag)
            && !m_builder.failed();
    case YAML_MAPPING_START_EVENT:
        return collectionStart(event, true, event.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE,
                               event.data.mapping_start.anchor, event.data.mapping_start.tag)
            && !m_builder.failed();
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return collectionEnd(event) && !m_builder.failed();
    }
    return false;
}

// Bytes libyaml would refuse to decode (not UTF-8; a control character
// other than tab and line breaks), each made an 'x', so libyaml can judge
// the syntax around them; lines and byte offsets stay. Empty when none.
std::optional<std::string> decodableCopy(std::string_view text)
{
    const auto *data = reinterpret_cast<const unsigned char *>(text.data());
    const size_t size = text.size();
    std::optional<std::string> copy;
    const auto replace = [&](size_t at, size_t length) {
        if (!copy)
            copy.emplace(text);
        copy->replace(at, length, length, 'x');
    };
    for (size_t i = 0; i < size;) {
        const unsigned char lead = data[i];
        if (lead < 0x80) {
            if ((lead < 0x20 && lead != '\t' && lead != '\n' && lead != '\r') || lead == 0x7F)
                replace(i, 1);
            ++i;
            continue;
        }
        const size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
        char32_t point = length == 4 ? lead & 0x07 : length == 3 ? lead & 0x0F : lead & 0x1F;
        bool valid = length != 0 && lead < 0xF5 && i + length <= size;
        for (size_t k = 1; valid && k < length; ++k) {
            valid = (data[i + k] & 0xC0) == 0x80;
            point = (point << 6) | (data[i + k] & 0x3F);
        }
        const char32_t least = length == 4 ? 0x10000 : length == 3 ? 0x800 : 0x80;
        valid = valid && point >= least && point <= 0x10FFFF && !(point >= 0xD800 && point <= 0xDFFF)
            && !(point >= 0x80 && point <= 0x9F && point != 0x85) && point != 0xFFFE && point != 0xFFFF;
        if (!valid) {
            replace(i, 1);
            ++i;
            continue;
        }
        i += length;
    }
    return copy;
}

// UTF-16 or UTF-32 by their byte order mark or the NULs of their first
// character: yaml-cpp reads those alone.
bool isWideEncoding(std::string_view text)
{
    if (text.starts_with("\xFE\xFF") || text.starts_with("\xFF\xFE"))
        return true;
    return text.size() >= 2 && (text[0] == '\0' || text[1] == '\0');
}

// libyaml's parser over one text, with its syntax error as a document.
class Parser
{
public:
    Parser(std::string_view text, bool utf8)
    {
        m_ready = yaml_parser_initialize(&m_parser);
        // libyaml refuses a null pointer, which an empty QByteArray's data may be.
        const char *data = text.empty() ? "" : text.data();
        yaml_parser_set_input_string(&m_parser, reinterpret_cast<const unsigned char *>(data), text.size());
        // Told UTF-8, a byte order mark is a character; untold, it is skipped.
        if (utf8)
            yaml_parser_set_encoding(&m_parser, YAML_UTF8_ENCODING);
    }
    ~Parser() { yaml_parser_delete(&m_parser); }
    Parser(const Parser &) = delete;
    Parser &operator=(const Parser &) = delete;

    bool next(yaml_event_t &event) { return m_ready && yaml_parser_parse(&m_parser, &event); }
    // The syntax error is at ',', ']' or '}' where no flow collection is
    // open. yaml-cpp never returns from some of those (`- a\n,- b`): its
    // scanner takes the indicator as a token its parser then waits past
    // forever, taking memory until the process dies. Nothing valid is lost
    // by keeping them from it: over the YAML test suite, libyaml refuses 58
    // streams yaml-cpp reads, and the two of those broken at such a
    // character the suite calls invalid too.
    bool brokeAtFlowIndicator(ByteOffsets &bytes, std::string_view text) const
    {
        if (cannotDecode())
            return false;
        const size_t at = bytes.of(m_parser.problem_mark);
        return at < text.size() && std::string_view(",]}").find(text[at]) != std::string_view::npos;
    }
    bool cannotDecode() const { return !m_ready || m_parser.error == YAML_READER_ERROR || m_parser.error == YAML_MEMORY_ERROR; }

    YamlDocument errorDocument(const QString &sourceName, int lineOffset) const
    {
        QString message = QString::fromUtf8(m_parser.problem ? m_parser.problem : "not YAML");
        if (m_parser.context) {
            message += QStringLiteral(" (%1 from line %2)")
                           .arg(QString::fromUtf8(m_parser.context))
                           .arg(m_parser.context_mark.line + 1 + lineOffset);
        }
        YamlDocument document;
        document.line = int(m_parser.problem_mark.line) + 1 + lineOffset;
        Error error = Error::input(message);
        error.at(sourceName, document.line, int(m_parser.problem_mark.column) + 1);
        document.error = error;
        return document;
    }

private:
    yaml_parser_t m_parser{};
    bool m_ready = false;
};

// After libyaml stepped aside, the rest of the stream is for yaml-cpp, up
// to the document libyaml finds broken at a flow indicator, if any, whose
// start is found here.
LibyamlReading readOn(Parser &parser, ByteOffsets &bytes, size_t documentStart, std::string_view text,
                      const QString &sourceName, int lineOffset)
{
    LibyamlReading reading;
    reading.outcome = LibyamlReading::Outcome::ForYamlCpp;
    for (;;) {
        yaml_event_t event;
        if (!parser.next(event)) {
            if (!parser.brokeAtFlowIndicator(bytes, text)) {   // yaml-cpp judges it, as it always did
                reading.readableEnd = text.size();
                return reading;
            }
            reading.readableEnd = documentStart;
            reading.broken = parser.errorDocument(sourceName, lineOffset);
            return reading;
        }
        const auto deleteEvent = qScopeGuard([&event] { yaml_event_delete(&event); });
        if (event.type == YAML_DOCUMENT_START_EVENT)
            documentStart = bytes.of(event.start_mark);
        if (event.type == YAML_STREAM_END_EVENT) {
            reading.readableEnd = text.size();
            return reading;
        }
    }
}

// The whole stream for yaml-cpp, up to where libyaml finds it broken.
LibyamlReading judgeForYamlCpp(std::string_view text, const QString &sourceName, int lineOffset)
{
    if (isWideEncoding(text))
        return {LibyamlReading::Outcome::ForYamlCpp, text.size(), std::nullopt};
    const std::optional<std::string> copy = decodableCopy(text);
    const std::string_view decodable = copy ? std::string_view(*copy) : text;
    Parser parser(decodable, false);
    // libyaml's marks start after a byte order mark it skipped.
    const size_t skipped = decodable.starts_with("\xEF\xBB\xBF") ? 3 : 0;
    ByteOffsets bytes(decodable.substr(skipped));
    LibyamlReading reading = readOn(parser, bytes, 0, decodable.substr(skipped), sourceName, lineOffset);
    reading.readableEnd += skipped;
    if (reading.broken && reading.readableEnd == skipped)
        reading.readableEnd = 0;
    if (parser.cannotDecode())   // not even the copy: yaml-cpp reads it all, as it always did
        return {LibyamlReading::Outcome::ForYamlCpp, text.size(), std::nullopt};
    return reading;
}

} // namespace

LibyamlReading readWithLibyaml(std::string_view text, JsonBuilder &builder, const QString &sourceName, int lineOffset,
                               const std::function<void(YamlDocument &&)> &pass)
{
    if (hasDoubtfulText(text))
        return judgeForYamlCpp(text, sourceName, lineOffset);
    Parser parser(text, true);
    LibyamlReader reader(text, builder);
    ByteOffsets bytes(text);
    size_t documentStart = 0;
    for (;;) {
        yaml_event_t event;
        if (!parser.next(event)) {
            if (parser.cannotDecode())
                return judgeForYamlCpp(text, sourceName, lineOffset);
            if (!parser.brokeAtFlowIndicator(bytes, text))   // yaml-cpp judges it, as it always did
                return {LibyamlReading::Outcome::ForYamlCpp, text.size(), std::nullopt};
            // A document is handed on once the next one began cleanly: this
            // error is in the document that began at documentStart.
            return {LibyamlReading::Outcome::Broken, documentStart, parser.errorDocument(sourceName, lineOffset)};
        }
        const auto deleteEvent = qScopeGuard([&event] { yaml_event_delete(&event); });
        if (event.type == YAML_DOCUMENT_START_EVENT)
            documentStart = bytes.of(event.start_mark);
        if (!reader.handle(event, pass)) {
            LibyamlReading reading = readOn(parser, bytes, documentStart, text, sourceName, lineOffset);
            if (parser.cannotDecode())
                return judgeForYamlCpp(text, sourceName, lineOffset);
            return reading;
        }
        if (event.type == YAML_STREAM_END_EVENT)
            return {};
    }
}

} // namespace Greenroom::Yaml::Internal
