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

} // namespace

bool readWithLibyaml(std::string_view text, JsonBuilder &builder, const std::function<void(YamlDocument &&)> &pass)
{
    if (hasDoubtfulText(text))
        return false;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return false;
    const auto deleteParser = qScopeGuard([&parser] { yaml_parser_delete(&parser); });
    // libyaml refuses a null pointer, which an empty QByteArray's data may be.
    const char *data = text.empty() ? "" : text.data();
    yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char *>(data), text.size());
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    LibyamlReader reader(text, builder);
    for (;;) {
        yaml_event_t event;
        if (!yaml_parser_parse(&parser, &event))
            return false;
        const auto deleteEvent = qScopeGuard([&event] { yaml_event_delete(&event); });
        if (!reader.handle(event, pass))
            return false;
        if (event.type == YAML_STREAM_END_EVENT)
            return true;
    }
}

} // namespace Greenroom::Yaml::Internal
