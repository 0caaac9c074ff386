// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "codehighlighter.h"

#include "htmltext.h"

#include <QHash>
#include <QSet>

namespace Greenroom::Docs {

namespace {

// What a language looks like to a lexer that only needs to tell keywords,
// constants, types, strings, comments, numbers and punctuation apart.
struct Language
{
    QString name;
    QSet<QString> keywords;
    QSet<QString> constants;
    QSet<QString> types;
    QStringList lineComments;
    QString blockOpen, blockClose;
    QString quotes = QStringLiteral("\"'");
    bool backtickStrings = false;
    bool caseInsensitive = false;
    bool variables = false;      // $name / ${name} as nv (shells, PHP)
    bool decorators = false;     // @name as nd
    enum class Mode { Code, Yaml, Json, Markup, Diff, Ini } mode = Mode::Code;
};

QSet<QString> words(const char *list)
{
    QSet<QString> set;
    for (const QString &word : QString::fromLatin1(list).split(QLatin1Char(' '), Qt::SkipEmptyParts))
        set.insert(word);
    return set;
}

const QHash<QString, Language> &languages()
{
    static const QHash<QString, Language> table = [] {
        QHash<QString, Language> t;
        auto add = [&t](const QStringList &names, Language language) {
            language.name = names.first();
            for (const QString &name : names)
                t.insert(name, language);
        };
        const QSet<QString> cConstants = words("true false NULL nullptr");
        Language python;
        python.keywords = words("and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield match case");
        python.constants = words("True False None");
        python.types = words("int str float bool list dict set tuple bytes object print len range open super self");
        python.lineComments = {QStringLiteral("#")};
        python.decorators = true;
        add({QStringLiteral("python"), QStringLiteral("py"), QStringLiteral("python3"), QStringLiteral("py3")}, python);

        Language js;
        js.keywords = words("break case catch class const continue debugger default delete do else export extends finally for function if import in instanceof let new of return static super switch this throw try typeof var void while with yield async await from as");
        js.constants = words("true false null undefined NaN Infinity");
        js.types = words("Array Object String Number Boolean Promise Map Set JSON console Math Date Error");
        js.lineComments = {QStringLiteral("//")};
        js.blockOpen = QStringLiteral("/*");
        js.blockClose = QStringLiteral("*/");
        js.backtickStrings = true;
        js.decorators = true;
        add({QStringLiteral("javascript"), QStringLiteral("js"), QStringLiteral("jsx"), QStringLiteral("mjs"), QStringLiteral("cjs")}, js);
        Language ts = js;
        ts.keywords += words("interface type enum implements namespace declare readonly private public protected abstract keyof is satisfies");
        ts.types += words("string number boolean any unknown never void Record Partial");
        add({QStringLiteral("typescript"), QStringLiteral("ts"), QStringLiteral("tsx")}, ts);

        Language java;
        java.keywords = words("abstract assert break case catch class continue default do else enum extends final finally for if implements import instanceof interface native new package private protected public return static strictfp super switch synchronized this throw throws transient try volatile while var record yield");
        java.constants = words("true false null");
        java.types = words("boolean byte char double float int long short void String Object List Map");
        java.lineComments = {QStringLiteral("//")};
        java.blockOpen = QStringLiteral("/*");
        java.blockClose = QStringLiteral("*/");
        java.decorators = true;
        add({QStringLiteral("java")}, java);
        Language kotlin = java;
        kotlin.keywords += words("fun val var when object companion data sealed override open internal lateinit suspend in is as typealias");
        add({QStringLiteral("kotlin"), QStringLiteral("kt"), QStringLiteral("kts")}, kotlin);
        Language scala = java;
        scala.keywords += words("def val var object trait case match implicit lazy sealed override with yield type given using then");
        add({QStringLiteral("scala")}, scala);
        Language groovy = java;
        groovy.keywords += words("def as in trait");
        add({QStringLiteral("groovy"), QStringLiteral("gradle")}, groovy);

        Language go;
        go.keywords = words("break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var");
        go.constants = words("true false nil iota");
        go.types = words("bool byte complex64 complex128 error float32 float64 int int8 int16 int32 int64 rune string uint uint8 uint16 uint32 uint64 uintptr any make new len cap append panic");
        go.lineComments = {QStringLiteral("//")};
        go.blockOpen = QStringLiteral("/*");
        go.blockClose = QStringLiteral("*/");
        go.backtickStrings = true;
        add({QStringLiteral("go"), QStringLiteral("golang")}, go);

        Language rust;
        rust.keywords = words("as async await break const continue crate dyn else enum extern fn for if impl in let loop match mod move mut pub ref return self Self static struct super trait type unsafe use where while");
        rust.constants = words("true false None Some Ok Err");
        rust.types = words("i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize f32 f64 bool char str String Vec Option Result Box");
        rust.lineComments = {QStringLiteral("//")};
        rust.blockOpen = QStringLiteral("/*");
        rust.blockClose = QStringLiteral("*/");
        rust.quotes = QStringLiteral("\"");
        add({QStringLiteral("rust"), QStringLiteral("rs")}, rust);

        Language c;
        c.keywords = words("auto break case const continue default do else enum extern for goto if inline register restrict return sizeof static struct switch typedef union volatile while #include #define #ifdef #ifndef #endif #if #else #pragma");
        c.constants = cConstants;
        c.types = words("char double float int long short signed unsigned void bool size_t");
        c.lineComments = {QStringLiteral("//")};
        c.blockOpen = QStringLiteral("/*");
        c.blockClose = QStringLiteral("*/");
        add({QStringLiteral("c"), QStringLiteral("h")}, c);
        Language cpp = c;
        cpp.keywords += words("class namespace template typename public private protected virtual override final new delete this using try catch throw operator friend constexpr consteval noexcept decltype co_await co_return mutable explicit");
        cpp.types += words("std string vector auto");
        add({QStringLiteral("cpp"), QStringLiteral("c++"), QStringLiteral("cxx"), QStringLiteral("hpp"), QStringLiteral("cc")}, cpp);
        Language csharp = cpp;
        csharp.keywords += words("using namespace async await var get set init record readonly base is as in out ref params internal sealed");
        csharp.constants = words("true false null");
        add({QStringLiteral("csharp"), QStringLiteral("cs"), QStringLiteral("c#")}, csharp);
        Language swift = cpp;
        swift.keywords += words("func let var guard import protocol extension struct enum init self in where defer");
        swift.constants = words("true false nil");
        add({QStringLiteral("swift")}, swift);

        Language shell;
        shell.keywords = words("if then else elif fi for while until do done case esac in function return export local readonly set unset source alias cd echo exit shift trap");
        shell.lineComments = {QStringLiteral("#")};
        shell.variables = true;
        shell.backtickStrings = true;
        add({QStringLiteral("bash"), QStringLiteral("sh"), QStringLiteral("shell"), QStringLiteral("zsh"), QStringLiteral("console"), QStringLiteral("shell-session")}, shell);
        Language dockerfile = shell;
        dockerfile.keywords = words("FROM RUN CMD LABEL MAINTAINER EXPOSE ENV ADD COPY ENTRYPOINT VOLUME USER WORKDIR ARG ONBUILD STOPSIGNAL HEALTHCHECK SHELL AS");
        add({QStringLiteral("dockerfile"), QStringLiteral("docker")}, dockerfile);
        Language make = shell;
        make.keywords = words("ifeq ifneq ifdef ifndef else endif include define endef export .PHONY");
        add({QStringLiteral("makefile"), QStringLiteral("make"), QStringLiteral("mk")}, make);
        Language powershell = shell;
        powershell.caseInsensitive = true;
        powershell.keywords = words("begin break catch continue data do dynamicparam else elseif end exit filter finally for foreach from function if in param process return switch throw trap try until while");
        add({QStringLiteral("powershell"), QStringLiteral("ps1"), QStringLiteral("pwsh")}, powershell);

        Language ruby;
        ruby.keywords = words("alias and begin break case class def defined? do else elsif end ensure for if in module next not or redo rescue retry return self super then undef unless until when while yield require attr_accessor");
        ruby.constants = words("true false nil");
        ruby.lineComments = {QStringLiteral("#")};
        add({QStringLiteral("ruby"), QStringLiteral("rb")}, ruby);
        Language php = c;
        php.keywords = words("abstract and array as break callable case catch class clone const continue declare default do echo else elseif empty enddeclare endfor endforeach endif endswitch endwhile extends final finally fn for foreach function global if implements include instanceof interface isset list namespace new or print private protected public require return static switch throw trait try unset use var while yield");
        php.constants = words("true false null TRUE FALSE NULL");
        php.lineComments = {QStringLiteral("//"), QStringLiteral("#")};
        php.variables = true;
        add({QStringLiteral("php")}, php);

        Language sql;
        sql.caseInsensitive = true;
        sql.keywords = words("select from where and or not insert into values update set delete create table index view drop alter add column primary key foreign references join left right inner outer full on group by order having limit offset as distinct union all case when then else end begin commit rollback transaction with returning if exists in is like between default unique constraint");
        sql.constants = words("null true false");
        sql.types = words("int integer bigint smallint text varchar char boolean date timestamp timestamptz numeric decimal real serial uuid jsonb json blob");
        sql.lineComments = {QStringLiteral("--")};
        sql.blockOpen = QStringLiteral("/*");
        sql.blockClose = QStringLiteral("*/");
        add({QStringLiteral("sql"), QStringLiteral("postgresql"), QStringLiteral("postgres"), QStringLiteral("mysql"), QStringLiteral("sqlite")}, sql);

        Language hcl;
        hcl.keywords = words("resource data variable output module provider terraform locals for_each count depends_on lifecycle dynamic for in if");
        hcl.constants = words("true false null");
        hcl.lineComments = {QStringLiteral("#"), QStringLiteral("//")};
        hcl.blockOpen = QStringLiteral("/*");
        hcl.blockClose = QStringLiteral("*/");
        hcl.quotes = QStringLiteral("\"");
        add({QStringLiteral("hcl"), QStringLiteral("terraform"), QStringLiteral("tf")}, hcl);

        Language graphql;
        graphql.keywords = words("type query mutation subscription schema input enum interface union scalar extend implements fragment on directive");
        graphql.constants = words("true false null");
        graphql.lineComments = {QStringLiteral("#")};
        graphql.quotes = QStringLiteral("\"");
        add({QStringLiteral("graphql"), QStringLiteral("gql")}, graphql);
        Language proto;
        proto.keywords = words("syntax package import option message service rpc returns stream repeated optional required oneof map reserved enum extend");
        proto.constants = words("true false");
        proto.types = words("double float int32 int64 uint32 uint64 sint32 sint64 fixed32 fixed64 sfixed32 sfixed64 bool string bytes");
        proto.lineComments = {QStringLiteral("//")};
        proto.blockOpen = QStringLiteral("/*");
        proto.blockClose = QStringLiteral("*/");
        add({QStringLiteral("protobuf"), QStringLiteral("proto")}, proto);

        Language css;
        css.keywords = words("@media @import @font-face @keyframes @supports !important");
        css.lineComments = {};
        css.blockOpen = QStringLiteral("/*");
        css.blockClose = QStringLiteral("*/");
        add({QStringLiteral("css"), QStringLiteral("scss"), QStringLiteral("less")}, css);

        Language yaml;
        yaml.mode = Language::Mode::Yaml;
        yaml.constants = words("true false null yes no on off True False Null ~");
        yaml.lineComments = {QStringLiteral("#")};
        add({QStringLiteral("yaml"), QStringLiteral("yml")}, yaml);
        Language json;
        json.mode = Language::Mode::Json;
        json.constants = words("true false null");
        json.quotes = QStringLiteral("\"");
        add({QStringLiteral("json"), QStringLiteral("jsonc"), QStringLiteral("json5")}, json);
        Language toml;
        toml.mode = Language::Mode::Ini;
        toml.constants = words("true false");
        toml.lineComments = {QStringLiteral("#"), QStringLiteral(";")};
        add({QStringLiteral("toml"), QStringLiteral("ini"), QStringLiteral("cfg"), QStringLiteral("properties"), QStringLiteral("conf")}, toml);
        Language markup;
        markup.mode = Language::Mode::Markup;
        add({QStringLiteral("html"), QStringLiteral("xml"), QStringLiteral("svg"), QStringLiteral("xhtml"), QStringLiteral("vue")}, markup);
        Language diff;
        diff.mode = Language::Mode::Diff;
        add({QStringLiteral("diff"), QStringLiteral("patch")}, diff);
        return t;
    }();
    return table;
}

bool isWordStart(QChar c) { return c.isLetter() || c == QLatin1Char('_'); }
bool isWordChar(QChar c) { return c.isLetterOrNumber() || c == QLatin1Char('_'); }

class Emitter
{
public:
    void token(const QString &cls, QStringView text)
    {
        if (cls.isEmpty()) {
            appendEscapedHtml(m_out, text);
            return;
        }
        // Pygments closes and reopens spans at line ends; so do we, so a
        // highlighted-line wrapper can split the result by lines.
        qsizetype start = 0;
        while (start < text.size()) {
            qsizetype nl = text.indexOf(QLatin1Char('\n'), start);
            const qsizetype end = nl < 0 ? text.size() : nl;
            if (end > start) {
                m_out += QLatin1String("<span class=\"") + cls + QLatin1String("\">");
                appendEscapedHtml(m_out, text.mid(start, end - start));
                m_out += QLatin1String("</span>");
            }
            if (nl < 0)
                break;
            m_out += QLatin1Char('\n');
            start = nl + 1;
        }
    }
    void raw(const QString &html) { m_out += html; }
    QString take() { return std::move(m_out); }

private:
    QString m_out;
};

// Walks `code` once: text between emitted tokens goes out unstyled.
class Scanner
{
public:
    explicit Scanner(QStringView code) : code(code) {}

    void emit(qsizetype from, qsizetype to, const QString &cls)
    {
        if (from > plainStart)
            m_out.token({}, code.mid(plainStart, from - plainStart));
        m_out.token(cls, code.mid(from, to - from));
        plainStart = pos = to;
    }
    QString finish()
    {
        if (code.size() > plainStart)
            m_out.token({}, code.mid(plainStart));
        return m_out.take();
    }

    const QStringView code;
    qsizetype pos = 0;          // the lexer's cursor
    qsizetype plainStart = 0;   // start of text not yet written

private:
    Emitter m_out;
};

qsizetype scanString(QStringView code, qsizetype i, QChar quote)
{
    qsizetype j = i + 1;
    const bool triple = code.mid(i, 3) == QString(3, quote);
    if (triple) {
        const qsizetype end = code.indexOf(QString(3, quote), i + 3);
        return end < 0 ? code.size() : end + 3;
    }
    while (j < code.size()) {
        if (code[j] == QLatin1Char('\\')) {
            j += 2;
            continue;
        }
        if (code[j] == quote)
            return j + 1;
        if (code[j] == QLatin1Char('\n') && quote != QLatin1Char('`'))
            return j;
        ++j;
    }
    return code.size();
}

qsizetype scanNumber(QStringView code, qsizetype i, bool *isFloat)
{
    qsizetype j = i;
    *isFloat = false;
    if (code.mid(i, 2).compare(QLatin1String("0x"), Qt::CaseInsensitive) == 0) {
        j += 2;
        while (j < code.size() && (code[j].isDigit() || QStringView(u"abcdefABCDEF_").contains(code[j])))
            ++j;
        return j;
    }
    while (j < code.size() && (code[j].isDigit() || code[j] == QLatin1Char('_') || code[j] == QLatin1Char('.')
                               || ((code[j] == QLatin1Char('e') || code[j] == QLatin1Char('E')) && j + 1 < code.size()
                                   && (code[j + 1].isDigit() || code[j + 1] == QLatin1Char('-'))))) {
        if (code[j] == QLatin1Char('.')) {
            if (j + 1 >= code.size() || !code[j + 1].isDigit())
                break;
            *isFloat = true;
        }
        ++j;
    }
    return j;
}

QString highlightCodeLike(QStringView code, const Language &lang)
{
    Scanner scanner(code);
    qsizetype &i = scanner.pos;
    auto emit = [&](qsizetype from, qsizetype to, const QString &cls) { scanner.emit(from, to, cls); };
    static const QString kOperators = QStringLiteral("+-*/%=<>!&|^~?:");
    static const QString kPunctuation = QStringLiteral("()[]{},;.");
    while (i < code.size()) {
        const QChar c = code[i];
        bool matched = false;
        for (const QString &comment : lang.lineComments) {
            if (code.mid(i, comment.size()) == comment
                && (comment != QLatin1String("#") || lang.name != QLatin1String("bash") || i == 0
                    || code[i - 1].isSpace())) {
                qsizetype end = code.indexOf(QLatin1Char('\n'), i);
                emit(i, end < 0 ? code.size() : end, QStringLiteral("c1"));
                matched = true;
                break;
            }
        }
        if (matched)
            continue;
        if (!lang.blockOpen.isEmpty() && code.mid(i, lang.blockOpen.size()) == lang.blockOpen) {
            const qsizetype end = code.indexOf(lang.blockClose, i + lang.blockOpen.size());
            emit(i, end < 0 ? code.size() : end + lang.blockClose.size(), QStringLiteral("cm"));
            continue;
        }
        if (lang.quotes.contains(c) || (lang.backtickStrings && c == QLatin1Char('`'))) {
            const QString cls = c == QLatin1Char('"') ? QStringLiteral("s2")
                                : c == QLatin1Char('`') ? QStringLiteral("sb") : QStringLiteral("s1");
            emit(i, scanString(code, i, c), cls);
            continue;
        }
        if (c.isDigit() && (i == 0 || !isWordChar(code[i - 1]))) {
            bool isFloat = false;
            emit(i, scanNumber(code, i, &isFloat), isFloat ? QStringLiteral("mf") : QStringLiteral("mi"));
            continue;
        }
        if (lang.variables && c == QLatin1Char('$') && i + 1 < code.size()) {
            qsizetype j = i + 1;
            if (code[j] == QLatin1Char('{')) {
                const qsizetype end = code.indexOf(QLatin1Char('}'), j);
                j = end < 0 ? code.size() : end + 1;
            } else {
                while (j < code.size() && isWordChar(code[j]))
                    ++j;
            }
            if (j > i + 1) {
                emit(i, j, QStringLiteral("nv"));
                continue;
            }
        }
        if (lang.decorators && c == QLatin1Char('@') && i + 1 < code.size() && isWordStart(code[i + 1])) {
            qsizetype j = i + 1;
            while (j < code.size() && (isWordChar(code[j]) || code[j] == QLatin1Char('.')))
                ++j;
            emit(i, j, QStringLiteral("nd"));
            continue;
        }
        if (isWordStart(c) || (c == QLatin1Char('#') && !lang.lineComments.contains(QStringLiteral("#")))
            || (c == QLatin1Char('@') && !lang.decorators) || (c == QLatin1Char('.') && lang.name == QLatin1String("makefile"))) {
            qsizetype j = i + 1;
            while (j < code.size() && (isWordChar(code[j]) || (code[j] == QLatin1Char('-') && lang.name == QLatin1String("css"))
                                       || (code[j] == QLatin1Char('?') && lang.name == QLatin1String("ruby"))))
                ++j;
            const QString word = code.mid(i, j - i).toString();
            const QString key = lang.caseInsensitive ? word.toLower() : word;
            QString cls = QStringLiteral("n");
            if (lang.keywords.contains(key))
                cls = (key == QLatin1String("import") || key == QLatin1String("from") || key == QLatin1String("package"))
                          ? QStringLiteral("kn") : QStringLiteral("k");
            else if (lang.constants.contains(key))
                cls = QStringLiteral("kc");
            else if (lang.types.contains(key))
                cls = QStringLiteral("kt");
            else if (j < code.size() && code[j] == QLatin1Char('('))
                cls = QStringLiteral("nf");
            emit(i, j, cls);
            continue;
        }
        if (kOperators.contains(c)) {
            qsizetype j = i + 1;
            while (j < code.size() && kOperators.contains(code[j]))
                ++j;
            emit(i, j, QStringLiteral("o"));
            continue;
        }
        if (kPunctuation.contains(c)) {
            emit(i, i + 1, QStringLiteral("p"));
            continue;
        }
        ++i;
    }
    return scanner.finish();
}

// YAML: keys, scalars by type, comments, document markers, anchors.
QString highlightYaml(QStringView code, const Language &lang)
{
    Emitter out;
    const QList<QStringView> lines = code.split(QLatin1Char('\n'));
    for (qsizetype n = 0; n < lines.size(); ++n) {
        QStringView line = lines[n];
        qsizetype i = 0;
        while (i < line.size() && line[i] == QLatin1Char(' '))
            ++i;
        out.token({}, line.left(i));
        if (line.mid(i).startsWith(QLatin1String("---")) || line.mid(i).startsWith(QLatin1String("..."))) {
            out.token(QStringLiteral("nt"), line.mid(i));
        } else {
            if (line.mid(i).startsWith(QLatin1String("- "))) {
                out.token(QStringLiteral("p"), line.mid(i, 1));
                out.token({}, line.mid(i + 1, 1));
                i += 2;
            }
            // key: value
            qsizetype colon = -1;
            bool inQuote = false;
            for (qsizetype j = i; j < line.size(); ++j) {
                if (line[j] == QLatin1Char('"') || line[j] == QLatin1Char('\''))
                    inQuote = !inQuote;
                if (!inQuote && line[j] == QLatin1Char('#') && (j == i || line[j - 1] == QLatin1Char(' ')))
                    break;
                if (!inQuote && line[j] == QLatin1Char(':') && (j + 1 == line.size() || line[j + 1] == QLatin1Char(' '))) {
                    colon = j;
                    break;
                }
            }
            if (colon > i) {
                out.token(QStringLiteral("nt"), line.mid(i, colon - i));
                out.token(QStringLiteral("p"), line.mid(colon, 1));
                i = colon + 1;
            }
            QStringView rest = line.mid(i);
            qsizetype comment = -1;
            inQuote = false;
            for (qsizetype j = 0; j < rest.size(); ++j) {
                if (rest[j] == QLatin1Char('"') || rest[j] == QLatin1Char('\''))
                    inQuote = !inQuote;
                if (!inQuote && rest[j] == QLatin1Char('#') && (j == 0 || rest[j - 1] == QLatin1Char(' '))) {
                    comment = j;
                    break;
                }
            }
            QStringView value = comment >= 0 ? rest.left(comment) : rest;
            const QStringView trimmed = value.trimmed();
            const qsizetype lead = value.indexOf(trimmed.isEmpty() ? QStringView(u" ") : trimmed);
            if (!trimmed.isEmpty()) {
                out.token({}, value.left(lead));
                QString cls;
                bool isFloat = false;
                if (trimmed.startsWith(QLatin1Char('"')))
                    cls = QStringLiteral("s2");
                else if (trimmed.startsWith(QLatin1Char('\'')))
                    cls = QStringLiteral("s1");
                else if (lang.constants.contains(trimmed.toString()))
                    cls = QStringLiteral("kc");
                else if (trimmed.front().isDigit() && scanNumber(trimmed, 0, &isFloat) == trimmed.size())
                    cls = isFloat ? QStringLiteral("mf") : QStringLiteral("mi");
                else if (trimmed.startsWith(QLatin1Char('&')) || trimmed.startsWith(QLatin1Char('*')))
                    cls = QStringLiteral("nl");
                else if (trimmed == QLatin1String("|") || trimmed == QLatin1String(">") || trimmed.startsWith(QLatin1String("|-"))
                         || trimmed.startsWith(QLatin1String(">-")))
                    cls = QStringLiteral("p");
                else
                    cls = QStringLiteral("l");
                out.token(cls, trimmed);
                out.token({}, value.mid(lead + trimmed.size()));
            } else {
                out.token({}, value);
            }
            if (comment >= 0)
                out.token(QStringLiteral("c1"), rest.mid(comment));
        }
        if (n + 1 < lines.size())
            out.token({}, u"\n");
    }
    return out.take();
}

QString highlightJson(QStringView code, const Language &lang)
{
    Scanner scanner(code);
    qsizetype &i = scanner.pos;
    auto emit = [&](qsizetype from, qsizetype to, const QString &cls) { scanner.emit(from, to, cls); };
    while (i < code.size()) {
        const QChar c = code[i];
        if (c == QLatin1Char('"')) {
            const qsizetype end = scanString(code, i, c);
            qsizetype k = end;
            while (k < code.size() && code[k].isSpace())
                ++k;
            emit(i, end, k < code.size() && code[k] == QLatin1Char(':') ? QStringLiteral("nt") : QStringLiteral("s2"));
        } else if (c.isDigit() || (c == QLatin1Char('-') && i + 1 < code.size() && code[i + 1].isDigit())) {
            bool isFloat = false;
            emit(i, scanNumber(code, c == QLatin1Char('-') ? i + 1 : i, &isFloat), isFloat ? QStringLiteral("mf") : QStringLiteral("mi"));
        } else if (c.isLetter()) {
            qsizetype j = i;
            while (j < code.size() && code[j].isLetter())
                ++j;
            emit(i, j, lang.constants.contains(code.mid(i, j - i).toString()) ? QStringLiteral("kc") : QStringLiteral("err"));
        } else if (QStringView(u"{}[],:").contains(c)) {
            emit(i, i + 1, QStringLiteral("p"));
        } else if (code.mid(i, 2) == QLatin1String("//")) {
            const qsizetype end = code.indexOf(QLatin1Char('\n'), i);
            emit(i, end < 0 ? code.size() : end, QStringLiteral("c1"));
        } else {
            ++i;
        }
    }
    return scanner.finish();
}

QString highlightMarkup(QStringView code)
{
    Scanner scanner(code);
    qsizetype &i = scanner.pos;
    auto emit = [&](qsizetype from, qsizetype to, const QString &cls) { scanner.emit(from, to, cls); };
    while (i < code.size()) {
        if (code.mid(i, 4) == QLatin1String("<!--")) {
            const qsizetype end = code.indexOf(QLatin1String("-->"), i);
            emit(i, end < 0 ? code.size() : end + 3, QStringLiteral("c"));
        } else if (code[i] == QLatin1Char('<')) {
            qsizetype j = i + 1;
            while (j < code.size() && (isWordChar(code[j]) || QStringView(u"/!?:-.").contains(code[j])))
                ++j;
            emit(i, j, QStringLiteral("nt"));
            while (i < code.size() && code[i] != QLatin1Char('>')) {
                if (code[i] == QLatin1Char('"') || code[i] == QLatin1Char('\'')) {
                    emit(i, scanString(code, i, code[i]), QStringLiteral("s"));
                } else if (isWordStart(code[i])) {
                    qsizetype k = i;
                    while (k < code.size() && (isWordChar(code[k]) || code[k] == QLatin1Char('-') || code[k] == QLatin1Char(':')))
                        ++k;
                    emit(i, k, QStringLiteral("na"));
                } else {
                    ++i;
                }
            }
            if (i < code.size()) {
                qsizetype start = i;
                if (i > 0 && (code[i - 1] == QLatin1Char('/') || code[i - 1] == QLatin1Char('?')))
                    start = i - 1 >= scanner.plainStart ? i - 1 : i;
                emit(start, i + 1, QStringLiteral("nt"));
            }
        } else if (code[i] == QLatin1Char('&')) {
            const qsizetype end = code.indexOf(QLatin1Char(';'), i);
            if (end > i && end - i < 12)
                emit(i, end + 1, QStringLiteral("ni"));
            else
                ++i;
        } else {
            ++i;
        }
    }
    return scanner.finish();
}

QString highlightDiff(QStringView code)
{
    Emitter out;
    const QList<QStringView> lines = code.split(QLatin1Char('\n'));
    for (qsizetype n = 0; n < lines.size(); ++n) {
        const QStringView line = lines[n];
        QString cls;
        if (line.startsWith(QLatin1String("+++")) || line.startsWith(QLatin1String("---")) || line.startsWith(QLatin1String("diff ")))
            cls = QStringLiteral("gh");
        else if (line.startsWith(QLatin1String("@@")))
            cls = QStringLiteral("gu");
        else if (line.startsWith(QLatin1Char('+')))
            cls = QStringLiteral("gi");
        else if (line.startsWith(QLatin1Char('-')))
            cls = QStringLiteral("gd");
        out.token(cls, line);
        if (n + 1 < lines.size())
            out.token({}, u"\n");
    }
    return out.take();
}

QString highlightIni(QStringView code, const Language &lang)
{
    Emitter out;
    const QList<QStringView> lines = code.split(QLatin1Char('\n'));
    for (qsizetype n = 0; n < lines.size(); ++n) {
        const QStringView line = lines[n];
        const QStringView trimmed = line.trimmed();
        if (trimmed.startsWith(QLatin1Char('[')))
            out.token(QStringLiteral("k"), line);
        else if (trimmed.startsWith(QLatin1Char('#')) || trimmed.startsWith(QLatin1Char(';')))
            out.token(QStringLiteral("c1"), line);
        else if (const qsizetype eq = line.indexOf(QLatin1Char('=')); eq > 0) {
            out.token(QStringLiteral("na"), line.left(eq));
            out.token(QStringLiteral("o"), line.mid(eq, 1));
            // The value reads like code: strings, numbers, booleans.
            Language values = lang;
            values.mode = Language::Mode::Code;
            out.raw(highlightCodeLike(line.mid(eq + 1), values));
        } else
            out.token({}, line);
        if (n + 1 < lines.size())
            out.token({}, u"\n");
    }
    return out.take();
}

} // namespace

bool CodeHighlighter::knows(const QString &language)
{
    return languages().contains(language.toLower());
}

QString CodeHighlighter::canonicalName(const QString &language)
{
    const auto it = languages().constFind(language.toLower());
    return it == languages().constEnd() ? QStringLiteral("text") : it->name;
}

QString CodeHighlighter::highlight(const QString &code, const QString &language)
{
    const auto it = languages().constFind(language.toLower());
    if (it == languages().constEnd()) {
        QString escaped;
        appendEscapedHtml(escaped, code);
        return escaped;
    }
    switch (it->mode) {
    case Language::Mode::Yaml: return highlightYaml(code, *it);
    case Language::Mode::Json: return highlightJson(code, *it);
    case Language::Mode::Markup: return highlightMarkup(code);
    case Language::Mode::Diff: return highlightDiff(code);
    case Language::Mode::Ini: return highlightIni(code, *it);
    case Language::Mode::Code: break;
    }
    return highlightCodeLike(code, *it);
}

} // namespace Greenroom::Docs
