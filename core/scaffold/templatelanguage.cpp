// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "templatelanguage.h"

#include "templatelanguage_p.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <functional>

namespace Greenroom::Scaffold {

using namespace Detail;

TemplateSyntax TemplateSyntax::cookiecutter()
{
    TemplateSyntax syntax;
    syntax.variableStart = QStringLiteral("{{");
    return syntax;
}

namespace {

// ---------------------------------------------------------------- expressions

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;

struct Expr
{
    enum class Kind { Literal, Symbol, Member, Call, Filter, Unary, Binary, Is, Conditional, Array, Object };
    Kind kind = Kind::Literal;
    QString name;            // symbol, operator, filter, test, method
    QJsonValue value;        // literal
    QList<ExprPtr> children; // operands; for Call: callee then positional args; Object: key, value pairs
    QList<std::pair<QString, ExprPtr>> keywords;
    bool negated = false;    // `is not`
    qsizetype position = 0;
};

struct Token
{
    enum class Type { Name, Number, String, Regex, Operator, End, Eof };
    Type type = Type::Eof;
    QString text;
    QString flags;   // regex flags
    double number = 0;
    bool trim = false;   // End: "-}}" / "-%}"
    qsizetype position = 0;
};

int lineOf(const QString &source, qsizetype position, int *column)
{
    const qsizetype lineStart = position == 0 ? 0 : source.lastIndexOf(QLatin1Char('\n'), position - 1) + 1;
    *column = int(position - lineStart) + 1;
    return int(source.left(position).count(QLatin1Char('\n'))) + 1;
}

class ExpressionLexer
{
public:
    ExpressionLexer(const QString &source, qsizetype position, QString end) : m_source(source), m_pos(position), m_end(std::move(end)) {}

    Result<Token> next()
    {
        if (m_peeked) {
            Token token = *m_peeked;
            m_peeked.reset();
            return token;
        }
        return scan();
    }

    Result<Token> peek()
    {
        if (!m_peeked) {
            auto token = scan();
            if (!token)
                return token;
            m_peeked = token.value();
        }
        return *m_peeked;
    }

    qsizetype position() const { return m_pos; }

private:
    Result<Token> scan()
    {
        while (m_pos < m_source.size() && m_source[m_pos].isSpace())
            ++m_pos;
        Token token;
        token.position = m_pos;
        if (m_pos >= m_source.size()) {
            token.type = Token::Type::Eof;
            return token;
        }
        const QStringView rest = QStringView(m_source).mid(m_pos);
        if (rest.startsWith(m_end) || (rest.startsWith(QLatin1Char('-')) && rest.mid(1).startsWith(m_end))) {
            token.type = Token::Type::End;
            token.trim = rest.startsWith(QLatin1Char('-'));
            m_pos += m_end.size() + (token.trim ? 1 : 0);
            return token;
        }
        const QChar c = m_source[m_pos];
        // r/regex/flags
        if (c == QLatin1Char('r') && m_pos + 1 < m_source.size() && m_source[m_pos + 1] == QLatin1Char('/')) {
            qsizetype i = m_pos + 2;
            QString pattern;
            while (i < m_source.size() && m_source[i] != QLatin1Char('/')) {
                if (m_source[i] == QLatin1Char('\\') && i + 1 < m_source.size())
                    pattern += m_source[i++];
                pattern += m_source[i++];
            }
            if (i >= m_source.size())
                return fail(QStringLiteral("unterminated regular expression"), m_pos);
            ++i;
            QString flags;
            while (i < m_source.size() && QStringLiteral("gimy").contains(m_source[i]))
                flags += m_source[i++];
            token.type = Token::Type::Regex;
            token.text = pattern;
            token.flags = flags;
            m_pos = i;
            return token;
        }
        if (c.isLetter() || c == QLatin1Char('_') || c == QLatin1Char('$')) {
            qsizetype i = m_pos;
            while (i < m_source.size() && (m_source[i].isLetterOrNumber() || m_source[i] == QLatin1Char('_') || m_source[i] == QLatin1Char('$')))
                ++i;
            token.type = Token::Type::Name;
            token.text = m_source.mid(m_pos, i - m_pos);
            m_pos = i;
            return token;
        }
        if (c.isDigit()) {
            qsizetype i = m_pos;
            while (i < m_source.size() && (m_source[i].isDigit() || m_source[i] == QLatin1Char('_')))
                ++i;
            if (i + 1 < m_source.size() && m_source[i] == QLatin1Char('.') && m_source[i + 1].isDigit()) {
                ++i;
                while (i < m_source.size() && m_source[i].isDigit())
                    ++i;
            }
            if (i < m_source.size() && (m_source[i] == QLatin1Char('e') || m_source[i] == QLatin1Char('E'))) {
                qsizetype j = i + 1;
                if (j < m_source.size() && (m_source[j] == QLatin1Char('+') || m_source[j] == QLatin1Char('-')))
                    ++j;
                if (j < m_source.size() && m_source[j].isDigit()) {
                    i = j;
                    while (i < m_source.size() && m_source[i].isDigit())
                        ++i;
                }
            }
            token.type = Token::Type::Number;
            token.text = m_source.mid(m_pos, i - m_pos);
            token.number = QString(token.text).remove(QLatin1Char('_')).toDouble();
            m_pos = i;
            return token;
        }
        if (c == QLatin1Char('"') || c == QLatin1Char('\'')) {
            qsizetype i = m_pos + 1;
            QString text;
            while (i < m_source.size() && m_source[i] != c) {
                QChar ch = m_source[i];
                if (ch == QLatin1Char('\\') && i + 1 < m_source.size()) {
                    const QChar escaped = m_source[++i];
                    switch (escaped.unicode()) {
                    case 'n': ch = QLatin1Char('\n'); break;
                    case 't': ch = QLatin1Char('\t'); break;
                    case 'r': ch = QLatin1Char('\r'); break;
                    default: ch = escaped; break;
                    }
                }
                text += ch;
                ++i;
            }
            if (i >= m_source.size())
                return fail(QStringLiteral("unterminated string"), m_pos);
            token.type = Token::Type::String;
            token.text = text;
            m_pos = i + 1;
            return token;
        }
        static const QStringList operators{QStringLiteral("==="), QStringLiteral("!=="), QStringLiteral("**"), QStringLiteral("//"),
                                           QStringLiteral("=="),  QStringLiteral("!="),  QStringLiteral("<="), QStringLiteral(">="),
                                           QStringLiteral("<"),   QStringLiteral(">"),   QStringLiteral("+"),  QStringLiteral("-"),
                                           QStringLiteral("*"),   QStringLiteral("/"),   QStringLiteral("%"),  QStringLiteral("~"),
                                           QStringLiteral("|"),   QStringLiteral("."),   QStringLiteral(","),  QStringLiteral(":"),
                                           QStringLiteral("("),   QStringLiteral(")"),   QStringLiteral("["),  QStringLiteral("]"),
                                           QStringLiteral("{"),   QStringLiteral("}"),   QStringLiteral("=")};
        for (const QString &op : operators) {
            if (rest.startsWith(op)) {
                token.type = Token::Type::Operator;
                token.text = op;
                m_pos += op.size();
                return token;
            }
        }
        return fail(QStringLiteral("unexpected character '%1'").arg(c), m_pos);
    }

    Error fail(const QString &message, qsizetype position) const
    {
        Error error = Error::input(message);
        error.column = int(position);   // the parser turns offsets into lines
        return error;
    }

    const QString &m_source;
    qsizetype m_pos;
    QString m_end;
    std::optional<Token> m_peeked;
};

// Errors carry the source offset in `column` until the template fills in line and column.
Error errorAt(const QString &message, qsizetype position)
{
    Error error = Error::input(message);
    error.column = int(position);
    return error;
}

// Limits for hostile templates: nesting (the parser and renderer recurse)
// and work (loops inside loops).
constexpr int MaxNesting = 100;
constexpr qint64 MaxLoopIterations = 1'000'000;
constexpr qsizetype MaxOutputSize = 64 * 1024 * 1024;

class ExpressionParser
{
public:
    explicit ExpressionParser(ExpressionLexer &lexer) : m_lexer(lexer) {}

    Result<ExprPtr> parseExpression()
    {
        if (m_depth >= MaxNesting)
            return errorAt(QStringLiteral("expression nested more than %1 levels deep").arg(MaxNesting), m_lexer.position());
        ++m_depth;
        auto expression = parseInlineIf();
        --m_depth;
        return expression;
    }

    // The next token is the name `word` (consumed when it is).
    Result<bool> accept(const QString &word, Token::Type type = Token::Type::Name)
    {
        auto token = m_lexer.peek();
        if (!token)
            return token.error();
        if (token->type == type && token->text == word) {
            (void)m_lexer.next();
            return true;
        }
        return false;
    }

    Result<Token> expect(Token::Type type, const QString &text = {})
    {
        auto token = m_lexer.next();
        if (!token)
            return token.error();
        if (token->type != type || (!text.isEmpty() && token->text != text)) {
            const QString wanted = !text.isEmpty() ? QStringLiteral("'%1'").arg(text)
                                   : type == Token::Type::Name ? QStringLiteral("a name")
                                   : type == Token::Type::End  ? QStringLiteral("the end of the tag")
                                                               : QStringLiteral("more");
            return errorAt(QStringLiteral("expected %1, found %2").arg(wanted, describe(token.value())), token->position);
        }
        return token;
    }

    static QString describe(const Token &token)
    {
        switch (token.type) {
        case Token::Type::Eof: return QStringLiteral("the end of the text (is a '}}' or '%}' missing?)");
        case Token::Type::End: return QStringLiteral("the end of the tag");
        case Token::Type::String: return QStringLiteral("string \"%1\"").arg(token.text);
        default: return QStringLiteral("'%1'").arg(token.text);
        }
    }

private:
    static ExprPtr make(Expr::Kind kind, const QString &name, QList<ExprPtr> children, qsizetype position)
    {
        auto expr = std::make_shared<Expr>();
        expr->kind = kind;
        expr->name = name;
        expr->children = std::move(children);
        expr->position = position;
        return expr;
    }

    Result<ExprPtr> parseInlineIf()
    {
        auto body = parseOr();
        if (!body)
            return body;
        auto isIf = accept(QStringLiteral("if"));
        if (!isIf)
            return isIf.error();
        if (!isIf.value())
            return body;
        auto condition = parseOr();
        if (!condition)
            return condition;
        QList<ExprPtr> children{condition.value(), body.value()};
        auto isElse = accept(QStringLiteral("else"));
        if (!isElse)
            return isElse.error();
        if (isElse.value()) {
            auto otherwise = parseInlineIf();
            if (!otherwise)
                return otherwise;
            children.append(otherwise.value());
        }
        return make(Expr::Kind::Conditional, {}, children, body.value()->position);
    }

    template<typename Next>
    Result<ExprPtr> parseBinary(const QStringList &ops, Next next, Token::Type type = Token::Type::Operator)
    {
        auto left = (this->*next)();
        if (!left)
            return left;
        ExprPtr node = left.value();
        for (;;) {
            auto token = m_lexer.peek();
            if (!token)
                return token.error();
            if (token->type != type || !ops.contains(token->text))
                return node;
            (void)m_lexer.next();
            auto right = (this->*next)();
            if (!right)
                return right;
            node = make(Expr::Kind::Binary, token->text, {node, right.value()}, token->position);
        }
    }

    Result<ExprPtr> parseOr() { return parseBinary({QStringLiteral("or")}, &ExpressionParser::parseAnd, Token::Type::Name); }
    Result<ExprPtr> parseAnd() { return parseBinary({QStringLiteral("and")}, &ExpressionParser::parseNot, Token::Type::Name); }

    Result<ExprPtr> parseNot()
    {
        auto token = m_lexer.peek();
        if (!token)
            return token.error();
        if (token->type == Token::Type::Name && token->text == QLatin1String("not")) {
            (void)m_lexer.next();
            if (++m_unaryDepth > MaxNesting)
                return errorAt(QStringLiteral("expression nested more than %1 levels deep").arg(MaxNesting), token->position);
            auto operand = parseNot();
            --m_unaryDepth;
            if (!operand)
                return operand;
            return make(Expr::Kind::Unary, QStringLiteral("not"), {operand.value()}, token->position);
        }
        return parseIn();
    }

    Result<ExprPtr> parseIn()
    {
        auto left = parseIs();
        if (!left)
            return left;
        ExprPtr node = left.value();
        for (;;) {
            auto token = m_lexer.peek();
            if (!token)
                return token.error();
            bool negated = false;
            if (token->type == Token::Type::Name && token->text == QLatin1String("not")) {
                // "not in": look one further (the lexer keeps one token; re-scan from a copy).
                ExpressionLexer probe = m_lexer;
                (void)probe.next();
                auto after = probe.next();
                if (!after || after->type != Token::Type::Name || after->text != QLatin1String("in"))
                    return node;
                (void)m_lexer.next();
                negated = true;
            } else if (token->type != Token::Type::Name || token->text != QLatin1String("in")) {
                return node;
            }
            (void)m_lexer.next();
            auto right = parseIs();
            if (!right)
                return right;
            node = make(Expr::Kind::Binary, QStringLiteral("in"), {node, right.value()}, token->position);
            if (negated)
                node = make(Expr::Kind::Unary, QStringLiteral("not"), {node}, token->position);
        }
    }

    Result<ExprPtr> parseIs()
    {
        auto left = parseCompare();
        if (!left)
            return left;
        auto isTest = accept(QStringLiteral("is"));
        if (!isTest)
            return isTest.error();
        if (!isTest.value())
            return left;
        auto negated = accept(QStringLiteral("not"));
        if (!negated)
            return negated.error();
        auto name = m_lexer.next();
        if (!name)
            return name.error();
        if (name->type != Token::Type::Name && !(name->type == Token::Type::Operator))
            return errorAt(QStringLiteral("expected a test name after 'is'"), name->position);
        auto node = std::make_shared<Expr>();
        node->kind = Expr::Kind::Is;
        node->name = name->text == QLatin1String("none") ? QStringLiteral("null") : name->text;
        node->negated = negated.value();
        node->position = name->position;
        node->children.append(left.value());
        auto open = accept(QStringLiteral("("), Token::Type::Operator);
        if (!open)
            return open.error();
        if (open.value()) {
            auto status = parseArguments(*node);
            if (!status)
                return status.error();
        } else {
            // `is divisibleby 3`, `is equalto x`: one primary argument.
            auto peeked = m_lexer.peek();
            if (peeked && (peeked->type == Token::Type::Number || peeked->type == Token::Type::String)) {
                auto argument = parsePrimary();
                if (!argument)
                    return argument;
                node->children.append(argument.value());
            }
        }
        return ExprPtr(node);
    }

    Result<ExprPtr> parseCompare()
    {
        return parseBinary({QStringLiteral("=="), QStringLiteral("!="), QStringLiteral("==="), QStringLiteral("!=="), QStringLiteral("<"),
                            QStringLiteral(">"), QStringLiteral("<="), QStringLiteral(">=")},
                           &ExpressionParser::parseConcat);
    }
    Result<ExprPtr> parseConcat() { return parseBinary({QStringLiteral("~")}, &ExpressionParser::parseAdditive); }
    Result<ExprPtr> parseAdditive() { return parseBinary({QStringLiteral("+"), QStringLiteral("-")}, &ExpressionParser::parseMultiplicative); }
    Result<ExprPtr> parseMultiplicative()
    {
        return parseBinary({QStringLiteral("*"), QStringLiteral("/"), QStringLiteral("//"), QStringLiteral("%")}, &ExpressionParser::parsePower);
    }
    Result<ExprPtr> parsePower() { return parseBinary({QStringLiteral("**")}, &ExpressionParser::parseUnaryAndFilters); }
    Result<ExprPtr> parseUnaryAndFilters() { return parseUnary(false); }

    // As Nunjucks: `-x | abs` is (-x) | abs; filters bind after the sign.
    Result<ExprPtr> parseUnary(bool noFilters = false)
    {
        auto token = m_lexer.peek();
        if (!token)
            return token.error();
        ExprPtr node;
        if (token->type == Token::Type::Operator && (token->text == QLatin1String("-") || token->text == QLatin1String("+"))) {
            (void)m_lexer.next();
            if (++m_unaryDepth > MaxNesting)
                return errorAt(QStringLiteral("expression nested more than %1 levels deep").arg(MaxNesting), token->position);
            auto operand = parseUnary(true);
            --m_unaryDepth;
            if (!operand)
                return operand;
            node = make(Expr::Kind::Unary, token->text, {operand.value()}, token->position);
        } else {
            auto primary = parsePrimary();
            if (!primary)
                return primary;
            node = primary.value();
        }
        return noFilters ? Result<ExprPtr>(node) : parseFilters(node);
    }

    Result<ExprPtr> parseFilters(ExprPtr node)
    {
        for (;;) {
            auto bar = accept(QStringLiteral("|"), Token::Type::Operator);
            if (!bar)
                return bar.error();
            if (!bar.value())
                return node;
            auto name = expect(Token::Type::Name);
            if (!name)
                return name.error();
            auto filter = std::make_shared<Expr>();
            filter->kind = Expr::Kind::Filter;
            filter->name = name->text;
            filter->position = name->position;
            filter->children.append(node);
            auto open = accept(QStringLiteral("("), Token::Type::Operator);
            if (!open)
                return open.error();
            if (open.value()) {
                auto status = parseArguments(*filter);
                if (!status)
                    return status.error();
            }
            node = filter;
        }
    }

    // After '(': positional and name=value arguments up to ')'.
    // Items up to `closer` (its opener consumed), separated by commas; a trailing comma is allowed.
    Status parseList(const QString &closer, const std::function<Status()> &parseItem)
    {
        for (;;) {
            auto close = accept(closer, Token::Type::Operator);
            if (!close)
                return close.error();
            if (close.value())
                return Ok{};
            if (const Status item = parseItem(); !item)
                return item;
            auto comma = accept(QStringLiteral(","), Token::Type::Operator);
            if (!comma)
                return comma.error();
            if (!comma.value()) {
                auto end = expect(Token::Type::Operator, closer);
                return end ? Status(Ok{}) : Status(end.error());
            }
        }
    }

    // After '(': positional and name=value arguments up to ')'.
    Status parseArguments(Expr &into)
    {
        return parseList(QStringLiteral(")"), [&]() -> Status {
            auto token = m_lexer.peek();
            if (!token)
                return token.error();
            QString keyword;
            if (token->type == Token::Type::Name) {
                ExpressionLexer probe = m_lexer;
                (void)probe.next();
                auto after = probe.next();
                if (after && after->type == Token::Type::Operator && after->text == QLatin1String("=")) {
                    keyword = token->text;
                    (void)m_lexer.next();
                    (void)m_lexer.next();
                }
            }
            auto value = parseExpression();
            if (!value)
                return value.error();
            if (keyword.isEmpty())
                into.children.append(value.value());
            else
                into.keywords.append({keyword, value.value()});
            return Ok{};
        });
    }

    Result<ExprPtr> parsePrimary()
    {
        auto token = m_lexer.next();
        if (!token)
            return token.error();
        ExprPtr node;
        auto literal = [&](const QJsonValue &value) {
            auto expr = std::make_shared<Expr>();
            expr->kind = Expr::Kind::Literal;
            expr->value = value;
            expr->position = token->position;
            return ExprPtr(expr);
        };
        switch (token->type) {
        case Token::Type::Number:
            node = literal(token->number);
            break;
        case Token::Type::String:
            node = literal(token->text);
            break;
        case Token::Type::Regex:
            node = literal(makeRegex(token->text, token->flags));
            break;
        case Token::Type::Name:
            if (token->text == QLatin1String("true") || token->text == QLatin1String("True"))
                node = literal(true);
            else if (token->text == QLatin1String("false") || token->text == QLatin1String("False"))
                node = literal(false);
            else if (token->text == QLatin1String("null") || token->text == QLatin1String("none") || token->text == QLatin1String("None"))
                node = literal(QJsonValue::Null);
            else
                node = make(Expr::Kind::Symbol, token->text, {}, token->position);
            break;
        case Token::Type::Operator:
            if (token->text == QLatin1String("(")) {
                auto inner = parseExpression();
                if (!inner)
                    return inner;
                auto close = expect(Token::Type::Operator, QStringLiteral(")"));
                if (!close)
                    return close.error();
                node = inner.value();
            } else if (token->text == QLatin1String("[")) {
                auto array = std::make_shared<Expr>();
                array->kind = Expr::Kind::Array;
                array->position = token->position;
                const Status items = parseList(QStringLiteral("]"), [&]() -> Status {
                    auto item = parseExpression();
                    if (!item)
                        return item.error();
                    array->children.append(item.value());
                    return Ok{};
                });
                if (!items)
                    return items.error();
                node = array;
            } else if (token->text == QLatin1String("{")) {
                auto object = std::make_shared<Expr>();
                object->kind = Expr::Kind::Object;
                object->position = token->position;
                const Status members = parseList(QStringLiteral("}"), [&]() -> Status {
                    auto key = m_lexer.next();
                    if (!key)
                        return key.error();
                    if (key->type != Token::Type::Name && key->type != Token::Type::String && key->type != Token::Type::Number)
                        return errorAt(QStringLiteral("expected an object key, found %1").arg(describe(key.value())), key->position);
                    auto colon = expect(Token::Type::Operator, QStringLiteral(":"));
                    if (!colon)
                        return colon.error();
                    auto value = parseExpression();
                    if (!value)
                        return value.error();
                    auto keyExpr = std::make_shared<Expr>();
                    keyExpr->kind = Expr::Kind::Literal;
                    keyExpr->value = key->type == Token::Type::Number ? numberText(key->number) : key->text;
                    object->children.append(keyExpr);
                    object->children.append(value.value());
                    return Ok{};
                });
                if (!members)
                    return members.error();
                node = object;
            } else {
                return errorAt(QStringLiteral("unexpected '%1'").arg(token->text), token->position);
            }
            break;
        case Token::Type::End:
        case Token::Type::Eof:
            return errorAt(QStringLiteral("expected an expression, found %1").arg(describe(token.value())), token->position);
        }
        return parsePostfix(node);
    }

    Result<ExprPtr> parsePostfix(ExprPtr node)
    {
        for (;;) {
            auto token = m_lexer.peek();
            if (!token)
                return token.error();
            if (token->type != Token::Type::Operator)
                return node;
            if (token->text == QLatin1String(".")) {
                (void)m_lexer.next();
                auto name = expect(Token::Type::Name);
                if (!name)
                    return name.error();
                auto key = std::make_shared<Expr>();
                key->kind = Expr::Kind::Literal;
                key->value = name->text;
                node = make(Expr::Kind::Member, name->text, {node, key}, name->position);
            } else if (token->text == QLatin1String("[")) {
                (void)m_lexer.next();
                auto index = parseExpression();
                if (!index)
                    return index;
                auto close = expect(Token::Type::Operator, QStringLiteral("]"));
                if (!close)
                    return close.error();
                node = make(Expr::Kind::Member, {}, {node, index.value()}, token->position);
            } else if (token->text == QLatin1String("(")) {
                (void)m_lexer.next();
                auto call = std::make_shared<Expr>();
                call->kind = Expr::Kind::Call;
                call->position = token->position;
                call->children.append(node);
                auto status = parseArguments(*call);
                if (!status)
                    return status.error();
                node = call;
            } else {
                return node;
            }
        }
    }

    ExpressionLexer &m_lexer;
    int m_depth = 0;
    int m_unaryDepth = 0;
};

} // namespace

// ---------------------------------------------------------------- template tree

struct Template::Node
{
    enum class Kind { Sequence, Text, Output, If, For, Set };
    Kind kind = Kind::Sequence;
    QString text;
    QList<ExprPtr> expressions;                 // Output: 1; If: one per branch; For: iterable; Set: value
    QList<QList<std::shared_ptr<const Node>>> bodies;   // If: one per branch (+ else); For: body (+ else)
    QStringList names;                          // For / Set targets
    bool hasElse = false;
    qsizetype position = 0;
};

namespace {

using NodePtr = std::shared_ptr<const Template::Node>;

// One lexed piece of a template: text, an output tag, or a block tag.
struct Piece
{
    enum class Kind { Text, Output, Block };
    Kind kind = Kind::Text;
    QString text;          // Text; Block: the keyword
    ExprPtr expression;    // Output; if/elif/for/set
    QStringList names;     // for/set targets
    qsizetype position = 0;
};

struct Lexed
{
    QList<Piece> pieces;
};

bool isBlank(QChar c)
{
    return c == QLatin1Char(' ') || c == QLatin1Char('\t');
}

Result<Lexed> lexTemplate(const QString &source, const TemplateSyntax &syntax)
{
    Lexed lexed;
    QString text;
    bool trimNextText = false;    // a "-%}" / "-}}" before
    bool trimBlockNewline = false;   // trimBlocks after a block tag
    auto flushText = [&](bool trimEnd, bool isBlockTag) {
        if (trimEnd) {
            qsizetype end = text.size();
            while (end > 0 && text[end - 1].isSpace())
                --end;
            text.truncate(end);
        } else if (isBlockTag && syntax.lstripBlocks) {
            qsizetype end = text.size();
            while (end > 0 && isBlank(text[end - 1]))
                --end;
            if (end == 0 || text[end - 1] == QLatin1Char('\n'))
                text.truncate(end);
        }
        if (!text.isEmpty())
            {
            Piece piece;
            piece.text = text;
            lexed.pieces.append(piece);
        }
        text.clear();
    };
    qsizetype pos = 0;
    const qsizetype size = source.size();
    while (pos < size) {
        const QStringView rest = QStringView(source).mid(pos);
        const bool output = rest.startsWith(syntax.variableStart);
        const bool block = rest.startsWith(QLatin1String("{%"));
        const bool comment = rest.startsWith(QLatin1String("{#"));
        if (!output && !block && !comment) {
            QChar c = source[pos++];
            if (trimNextText && c.isSpace())
                continue;
            trimNextText = false;
            if (trimBlockNewline) {
                trimBlockNewline = false;
                if (c == QLatin1Char('\n'))
                    continue;
                if (c == QLatin1Char('\r') && pos < size && source[pos] == QLatin1Char('\n')) {
                    ++pos;
                    continue;
                }
            }
            text += c;
            continue;
        }
        trimNextText = false;
        trimBlockNewline = false;
        const qsizetype tagStart = pos;
        const qsizetype open = output ? syntax.variableStart.size() : 2;
        const bool trimBefore = pos + open < size && source[pos + open] == QLatin1Char('-');
        pos += open + (trimBefore ? 1 : 0);
        if (comment) {
            const qsizetype end = source.indexOf(QLatin1String("#}"), pos);
            if (end < 0)
                return errorAt(QStringLiteral("unterminated comment (no '#}')"), tagStart);
            const bool trimAfter = end > pos && source[end - 1] == QLatin1Char('-');
            flushText(trimBefore, true);
            pos = end + 2;
            trimNextText = trimAfter;
            trimBlockNewline = syntax.trimBlocks && !trimAfter;
            continue;
        }
        ExpressionLexer lexer(source, pos, output ? syntax.variableEnd : QStringLiteral("%}"));
        ExpressionParser parser(lexer);
        Piece piece;
        piece.position = tagStart;
        if (output) {
            flushText(trimBefore, false);
            auto expression = parser.parseExpression();
            if (!expression)
                return expression.error();
            piece.kind = Piece::Kind::Output;
            piece.expression = expression.value();
        } else {
            flushText(trimBefore, true);
            auto keyword = parser.expect(Token::Type::Name);
            if (!keyword)
                return keyword.error();
            piece.kind = Piece::Kind::Block;
            piece.text = keyword->text;
            const QString &word = keyword->text;
            if (word == QLatin1String("raw")) {
                auto end = parser.expect(Token::Type::End);
                if (!end)
                    return end.error();
                // Everything up to {% endraw %} is text.
                static const QRegularExpression endraw(QStringLiteral("\\{%-?\\s*endraw\\s*-?%\\}"));
                const QRegularExpressionMatch match = endraw.match(source, lexer.position());
                if (!match.hasMatch())
                    return errorAt(QStringLiteral("{% raw %} without {% endraw %}"), tagStart);
                QString raw = source.mid(lexer.position(), match.capturedStart() - lexer.position());
                if (end->trim)
                    raw = raw.trimmed().isEmpty() ? QString() : raw.mid(raw.indexOf(QRegularExpression(QStringLiteral("\\S"))));
                text += raw;
                pos = match.capturedEnd();
                trimNextText = match.captured().contains(QLatin1String("-%}"));
                trimBlockNewline = syntax.trimBlocks && !trimNextText;
                continue;
            }
            // "name[, name]" targets of for and set, and the expression a tag ends with.
            auto readNames = [&]() -> Status {
                for (;;) {
                    auto name = parser.expect(Token::Type::Name);
                    if (!name)
                        return name.error();
                    piece.names.append(name->text);
                    auto comma = parser.accept(QStringLiteral(","), Token::Type::Operator);
                    if (!comma)
                        return comma.error();
                    if (!comma.value())
                        return Ok{};
                }
            };
            auto readExpression = [&]() -> Status {
                auto expression = parser.parseExpression();
                if (!expression)
                    return expression.error();
                piece.expression = expression.value();
                return Ok{};
            };
            Status status = Ok{};
            if (word == QLatin1String("if") || word == QLatin1String("elif") || word == QLatin1String("elseif")) {
                piece.text = word == QLatin1String("elseif") ? QStringLiteral("elif") : word;
                status = readExpression();
            } else if (word == QLatin1String("for")) {
                status = readNames();
                if (status) {
                    auto in = parser.expect(Token::Type::Name, QStringLiteral("in"));
                    status = in ? readExpression() : Status(in.error());
                }
            } else if (word == QLatin1String("set")) {
                status = readNames();
                if (status) {
                    auto equals = parser.expect(Token::Type::Operator, QStringLiteral("="));
                    status = equals ? readExpression() : Status(equals.error());
                }
            } else if (word != QLatin1String("else") && word != QLatin1String("endif") && word != QLatin1String("endfor")) {
                return errorAt(QStringLiteral("unknown block tag '%1'").arg(word), keyword->position);
            }
            if (!status)
                return status.error();
        }
        auto end = parser.expect(Token::Type::End);
        if (!end) {
            // Say where the unclosed tag began, too.
            Error error = end.error();
            int column = 0;
            const int line = lineOf(source, tagStart, &column);
            error.message += QStringLiteral(" (in the tag opened at line %1, column %2)").arg(line).arg(column);
            return error;
        }
        pos = lexer.position();
        lexed.pieces.append(piece);
        trimNextText = end->trim;
        trimBlockNewline = !output && syntax.trimBlocks && !end->trim;
    }
    flushText(false, false);
    return lexed;
}

// Builds the tree from the pieces, from `index` up to a closing keyword in `stops`.
Result<QList<NodePtr>> buildNodes(const QList<Piece> &pieces, qsizetype &index, const QStringList &stops, QString *stoppedAt,
                                  int depth = 0)
{
    QList<NodePtr> nodes;
    if (depth > MaxNesting)
        return errorAt(QStringLiteral("blocks nested more than %1 levels deep").arg(MaxNesting), index < pieces.size() ? pieces.at(index).position : 0);
    while (index < pieces.size()) {
        const Piece &piece = pieces.at(index);
        if (piece.kind == Piece::Kind::Text) {
            auto node = std::make_shared<Template::Node>();
            node->kind = Template::Node::Kind::Text;
            node->text = piece.text;
            nodes.append(node);
            ++index;
            continue;
        }
        if (piece.kind == Piece::Kind::Output) {
            auto node = std::make_shared<Template::Node>();
            node->kind = Template::Node::Kind::Output;
            node->expressions.append(piece.expression);
            node->position = piece.position;
            nodes.append(node);
            ++index;
            continue;
        }
        if (stops.contains(piece.text)) {
            *stoppedAt = piece.text;
            return nodes;
        }
        const qsizetype start = index++;
        if (piece.text == QLatin1String("if")) {
            auto node = std::make_shared<Template::Node>();
            node->kind = Template::Node::Kind::If;
            node->position = piece.position;
            node->expressions.append(piece.expression);
            for (;;) {
                QString stopped;
                auto body = buildNodes(pieces, index, {QStringLiteral("elif"), QStringLiteral("else"), QStringLiteral("endif")}, &stopped, depth + 1);
                if (!body)
                    return body.error();
                node->bodies.append(body.value());
                if (stopped.isEmpty())
                    return errorAt(QStringLiteral("{% if %} without {% endif %}"), pieces.at(start).position);
                const Piece &stop = pieces.at(index++);
                if (stopped == QLatin1String("elif")) {
                    if (node->hasElse)
                        return errorAt(QStringLiteral("{% elif %} after {% else %}"), stop.position);
                    node->expressions.append(stop.expression);
                } else if (stopped == QLatin1String("else")) {
                    if (node->hasElse)
                        return errorAt(QStringLiteral("a second {% else %} in one {% if %}"), stop.position);
                    node->hasElse = true;
                } else {
                    break;
                }
            }
            nodes.append(node);
        } else if (piece.text == QLatin1String("for")) {
            auto node = std::make_shared<Template::Node>();
            node->kind = Template::Node::Kind::For;
            node->position = piece.position;
            node->expressions.append(piece.expression);
            node->names = piece.names;
            QString stopped;
            auto body = buildNodes(pieces, index, {QStringLiteral("else"), QStringLiteral("endfor")}, &stopped, depth + 1);
            if (!body)
                return body.error();
            node->bodies.append(body.value());
            if (stopped == QLatin1String("else")) {
                ++index;
                node->hasElse = true;
                stopped.clear();
                auto otherwise = buildNodes(pieces, index, {QStringLiteral("endfor")}, &stopped, depth + 1);
                if (!otherwise)
                    return otherwise.error();
                node->bodies.append(otherwise.value());
            }
            if (stopped != QLatin1String("endfor"))
                return errorAt(QStringLiteral("{% for %} without {% endfor %}"), pieces.at(start).position);
            ++index;
            nodes.append(node);
        } else if (piece.text == QLatin1String("set")) {
            auto node = std::make_shared<Template::Node>();
            node->kind = Template::Node::Kind::Set;
            node->position = piece.position;
            node->expressions.append(piece.expression);
            node->names = piece.names;
            nodes.append(node);
        } else {
            return errorAt(QStringLiteral("{% %1 %} without its opening tag").arg(piece.text), piece.position);
        }
    }
    return nodes;
}

// ---------------------------------------------------------------- evaluation

class Scope
{
public:
    explicit Scope(const QJsonObject &context) : m_context(context) { m_frames.append(QHash<QString, QJsonValue>()); }

    QJsonValue lookup(const QString &name) const
    {
        for (auto frame = m_frames.crbegin(); frame != m_frames.crend(); ++frame) {
            const auto found = frame->constFind(name);
            if (found != frame->cend())
                return *found;
        }
        return m_context.contains(name) ? m_context.value(name) : QJsonValue(QJsonValue::Undefined);
    }
    void set(const QString &name, const QJsonValue &value) { m_frames.last().insert(name, value); }
    void push() { m_frames.append(QHash<QString, QJsonValue>()); }
    void pop() { m_frames.removeLast(); }

private:
    const QJsonObject &m_context;
    QList<QHash<QString, QJsonValue>> m_frames;
};

class Evaluator
{
public:
    Evaluator(const TemplateEnvironment &environment, const QJsonObject &context) : m_environment(environment), m_scope(context) {}

    Result<QJsonValue> evaluate(const Expr &expr)
    {
        switch (expr.kind) {
        case Expr::Kind::Literal:
            return expr.value;
        case Expr::Kind::Symbol:
            return m_scope.lookup(expr.name);
        case Expr::Kind::Member: {
            auto target = evaluate(*expr.children.at(0));
            if (!target)
                return target;
            auto key = evaluate(*expr.children.at(1));
            if (!key)
                return key;
            return member(target.value(), key.value());
        }
        case Expr::Kind::Array: {
            QJsonArray array;
            for (const ExprPtr &item : expr.children) {
                auto value = evaluate(*item);
                if (!value)
                    return value;
                array.append(value.value());
            }
            return QJsonValue(array);
        }
        case Expr::Kind::Object: {
            QJsonObject object;
            for (qsizetype i = 0; i + 1 < expr.children.size(); i += 2) {
                auto value = evaluate(*expr.children.at(i + 1));
                if (!value)
                    return value;
                object.insert(expr.children.at(i)->value.toString(), value.value());
            }
            return QJsonValue(object);
        }
        case Expr::Kind::Conditional: {
            auto condition = evaluate(*expr.children.at(0));
            if (!condition)
                return condition;
            if (templateTruthy(condition.value()))
                return evaluate(*expr.children.at(1));
            if (expr.children.size() > 2)
                return evaluate(*expr.children.at(2));
            return QJsonValue(QJsonValue::Undefined);
        }
        case Expr::Kind::Unary: {
            auto operand = evaluate(*expr.children.at(0));
            if (!operand)
                return operand;
            if (expr.name == QLatin1String("not"))
                return QJsonValue(!templateTruthy(operand.value()));
            const double number = toNumber(operand.value());
            return QJsonValue(expr.name == QLatin1String("-") ? -number : number);
        }
        case Expr::Kind::Binary:
            return binary(expr);
        case Expr::Kind::Is: {
            auto subject = evaluate(*expr.children.at(0));
            if (!subject)
                return subject;
            auto arguments = collectArguments(expr, 1);
            if (!arguments)
                return arguments.error();
            auto result = applyTest(expr.name, subject.value(), arguments.value());
            if (!result)
                return at(result.error(), expr.position);
            return QJsonValue(result.value() != expr.negated);
        }
        case Expr::Kind::Filter: {
            auto input = evaluate(*expr.children.at(0));
            if (!input)
                return input;
            if (!hasFilter(expr.name, m_environment))
                return at(Error::input(QStringLiteral("filter not found: %1").arg(expr.name)), expr.position);
            auto arguments = collectArguments(expr, 1);
            if (!arguments)
                return arguments.error();
            auto result = applyFilter(expr.name, input.value(), arguments.value(), m_environment);
            if (!result)
                return at(result.error(), expr.position);
            return result;
        }
        case Expr::Kind::Call:
            return call(expr);
        }
        return QJsonValue(QJsonValue::Undefined);
    }

    Scope &scope() { return m_scope; }
    // Counts one loop iteration; false once the budget is spent.
    bool spendIteration() { return ++m_iterations <= MaxLoopIterations; }

    Error at(Error error, qsizetype position) const
    {
        if (error.column == 0 && error.line == 0)
            error.column = int(position);
        return error;
    }

private:
    static QJsonValue member(const QJsonValue &target, const QJsonValue &key)
    {
        // Nunjucks: a member of undefined or null is undefined, not an error.
        if (target.isObject()) {
            const QJsonObject object = target.toObject();
            const QString name = key.isDouble() ? numberText(key.toDouble()) : templateText(key);
            return QJsonValue(object.contains(name) ? object.value(name) : QJsonValue(QJsonValue::Undefined));
        }
        if (target.isArray() && key.isDouble()) {
            const QJsonArray array = target.toArray();
            const double index = key.toDouble();
            return QJsonValue(index >= 0 && index < array.size() && index == std::floor(index) ? array.at(qsizetype(index)) : QJsonValue(QJsonValue::Undefined));
        }
        if (target.isString() && key.isDouble()) {
            const QString text = target.toString();
            const double index = key.toDouble();
            return QJsonValue(index >= 0 && index < text.size() ? QJsonValue(QString(text.at(qsizetype(index)))) : QJsonValue(QJsonValue::Undefined));
        }
        if (key.isString())
            return QJsonValue(property(target, key.toString()));
        return QJsonValue(QJsonValue::Undefined);
    }

    Result<Arguments> collectArguments(const Expr &expr, qsizetype first)
    {
        Arguments arguments;
        for (qsizetype i = first; i < expr.children.size(); ++i) {
            auto value = evaluate(*expr.children.at(i));
            if (!value)
                return value.error();
            arguments.positional.append(value.value());
        }
        // Nunjucks passes keyword arguments as one more positional object
        // (its built-in filters take none), so `sort(attr='n')` does what it does there.
        if (!expr.keywords.isEmpty()) {
            QJsonObject keywords{{QStringLiteral("__keywords"), true}};
            for (const auto &[name, valueExpr] : expr.keywords) {
                auto value = evaluate(*valueExpr);
                if (!value)
                    return value.error();
                keywords.insert(name, value.value());
            }
            arguments.positional.append(keywords);
        }
        return arguments;
    }

    Result<QJsonValue> call(const Expr &expr)
    {
        const Expr &callee = *expr.children.at(0);
        auto arguments = collectArguments(expr, 1);
        if (!arguments)
            return arguments.error();
        if (callee.kind == Expr::Kind::Member && callee.children.at(1)->kind == Expr::Kind::Literal) {
            auto target = evaluate(*callee.children.at(0));
            if (!target)
                return target;
            const QString method = callee.children.at(1)->value.toString();
            if (target->isUndefined() || target->isNull())
                return at(Error::input(QStringLiteral("Unable to call `%1`, which is undefined or falsey").arg(method)), callee.position);
            auto result = callMethod(target.value(), method, arguments.value());
            if (!result)
                return at(result.error(), callee.position);
            return result;
        }
        if (callee.kind == Expr::Kind::Symbol) {
            if (const auto function = m_environment.globals.constFind(callee.name); function != m_environment.globals.cend()) {
                auto result = (*function)(arguments->positional);
                if (!result)
                    return at(result.error(), expr.position);
                return result;
            }
            bool known = false;
            auto result = callBuiltinGlobal(callee.name, arguments.value(), &known);
            if (known)
                return result ? result : Result<QJsonValue>(at(result.error(), expr.position));
            return at(Error::input(QStringLiteral("Unable to call `%1`, which is undefined or falsey").arg(callee.name)), expr.position);
        }
        return at(Error::input(QStringLiteral("this expression cannot be called")), expr.position);
    }

    Result<QJsonValue> binary(const Expr &expr)
    {
        const QString &op = expr.name;
        auto left = evaluate(*expr.children.at(0));
        if (!left)
            return left;
        // and/or return an operand, as in JavaScript.
        if (op == QLatin1String("and"))
            return templateTruthy(left.value()) ? evaluate(*expr.children.at(1)) : left;
        if (op == QLatin1String("or"))
            return templateTruthy(left.value()) ? left : evaluate(*expr.children.at(1));
        auto right = evaluate(*expr.children.at(1));
        if (!right)
            return right;
        const QJsonValue &a = left.value();
        const QJsonValue &b = right.value();
        if (op == QLatin1String("=="))
            return QJsonValue(looseEquals(a, b));
        if (op == QLatin1String("!="))
            return QJsonValue(!looseEquals(a, b));
        if (op == QLatin1String("==="))
            return QJsonValue(strictEquals(a, b));
        if (op == QLatin1String("!=="))
            return QJsonValue(!strictEquals(a, b));
        // JavaScript's string concatenation: undefined and null spell themselves.
        auto concatText = [](const QJsonValue &v) {
            return v.isUndefined() ? QStringLiteral("undefined") : v.isNull() ? QStringLiteral("null") : templateText(v);
        };
        if (op == QLatin1String("~"))
            return QJsonValue(concatText(a) + concatText(b));
        if (op == QLatin1String("in")) {
            if (b.isArray()) {
                const QJsonArray array = b.toArray();
                return QJsonValue(std::any_of(array.begin(), array.end(), [&a](const QJsonValue &item) { return strictEquals(item, a); }));
            }
            if (b.isString())
                return QJsonValue(b.toString().contains(templateText(a)));
            if (b.isObject())
                return QJsonValue(b.toObject().contains(templateText(a)));
            return at(Error::input(QStringLiteral("Cannot use \"in\" operator to search for \"%1\" in unexpected types.").arg(templateText(a))),
                      expr.position);
        }
        if (op == QLatin1String("+")) {
            const bool textual = a.isString() || b.isString() || a.isArray() || b.isArray() || a.isObject() || b.isObject();
            if (textual)
                return QJsonValue(concatText(a) + concatText(b));
            return QJsonValue(toNumber(a) + toNumber(b));
        }
        if (op == QLatin1String("<") || op == QLatin1String(">") || op == QLatin1String("<=") || op == QLatin1String(">=")) {
            int order = 0;
            if (a.isString() && b.isString()) {
                order = QString::compare(a.toString(), b.toString());
            } else {
                const double x = toNumber(a);
                const double y = toNumber(b);
                if (std::isnan(x) || std::isnan(y))
                    return QJsonValue(false);
                order = x < y ? -1 : x > y ? 1 : 0;
            }
            if (op == QLatin1String("<"))
                return QJsonValue(order < 0);
            if (op == QLatin1String(">"))
                return QJsonValue(order > 0);
            if (op == QLatin1String("<="))
                return QJsonValue(order <= 0);
            return QJsonValue(order >= 0);
        }
        const double x = toNumber(a);
        const double y = toNumber(b);
        if (op == QLatin1String("-"))
            return QJsonValue(x - y);
        if (op == QLatin1String("*"))
            return QJsonValue(x * y);
        if (op == QLatin1String("/"))
            return QJsonValue(x / y);
        if (op == QLatin1String("//"))
            return QJsonValue(std::floor(x / y));
        if (op == QLatin1String("%"))
            return QJsonValue(std::fmod(x, y));
        if (op == QLatin1String("**"))
            return QJsonValue(std::pow(x, y));
        return at(Error::input(QStringLiteral("unknown operator '%1'").arg(op)), expr.position);
    }

    const TemplateEnvironment &m_environment;
    Scope m_scope;
    qint64 m_iterations = 0;
};

Status renderNodes(Evaluator &evaluator, const QList<NodePtr> &nodes, QString &out);

Status renderNode(Evaluator &evaluator, const Template::Node &node, QString &out)
{
    switch (node.kind) {
    case Template::Node::Kind::Sequence:
        return renderNodes(evaluator, node.bodies.value(0), out);
    case Template::Node::Kind::Text:
        out += node.text;
        return Ok{};
    case Template::Node::Kind::Output: {
        auto value = evaluator.evaluate(*node.expressions.first());
        if (!value)
            return value.error();
        out += templateText(value.value());
        return Ok{};
    }
    case Template::Node::Kind::Set: {
        auto value = evaluator.evaluate(*node.expressions.first());
        if (!value)
            return value.error();
        for (const QString &name : node.names)
            evaluator.scope().set(name, value.value());
        return Ok{};
    }
    case Template::Node::Kind::If:
        for (qsizetype i = 0; i < node.expressions.size(); ++i) {
            auto condition = evaluator.evaluate(*node.expressions.at(i));
            if (!condition)
                return condition.error();
            if (templateTruthy(condition.value()))
                return renderNodes(evaluator, node.bodies.at(i), out);
        }
        if (node.hasElse)
            return renderNodes(evaluator, node.bodies.last(), out);
        return Ok{};
    case Template::Node::Kind::For: {
        auto iterable = evaluator.evaluate(*node.expressions.first());
        if (!iterable)
            return iterable.error();
        QList<std::pair<QJsonValue, QJsonValue>> items;   // key (or nothing), value
        if (iterable->isArray()) {
            for (const QJsonValue &item : iterable->toArray())
                items.append({QJsonValue(QJsonValue::Undefined), item});
        } else if (iterable->isObject() && node.names.size() >= 2) {
            // One name over an object iterates nothing in Nunjucks (its else runs).
            const QJsonObject object = iterable->toObject();
            for (auto it = object.begin(); it != object.end(); ++it)
                items.append({it.key(), it.value()});
        } else if (iterable->isString()) {
            for (const QChar c : iterable->toString())
                items.append({QJsonValue(QJsonValue::Undefined), QString(c)});
        }
        if (items.isEmpty()) {
            if (node.hasElse)
                return renderNodes(evaluator, node.bodies.last(), out);
            return Ok{};
        }
        Scope &scope = evaluator.scope();
        scope.push();
        const qsizetype count = items.size();
        for (qsizetype i = 0; i < count; ++i) {
            if (!evaluator.spendIteration() || out.size() > MaxOutputSize) {
                scope.pop();
                return errorAt(QStringLiteral("the template renders too much (over %1 loop iterations or %2 MB)")
                                   .arg(MaxLoopIterations).arg(MaxOutputSize / (1024 * 1024)),
                               node.position);
            }
            const auto &[key, value] = items.at(i);
            if (iterable->isObject() && node.names.size() >= 2) {
                scope.set(node.names.at(0), key);
                scope.set(node.names.at(1), value);
            } else if (node.names.size() >= 2 && value.isArray()) {
                const QJsonArray tuple = value.toArray();   // for a, b in [[1, 2], ...]
                for (qsizetype n = 0; n < node.names.size(); ++n)
                    scope.set(node.names.at(n), tuple.at(n));
            } else {
                scope.set(node.names.first(), iterable->isObject() ? key : value);
            }
            scope.set(QStringLiteral("loop"), QJsonObject{{QStringLiteral("index"), double(i + 1)},
                                                          {QStringLiteral("index0"), double(i)},
                                                          {QStringLiteral("revindex"), double(count - i)},
                                                          {QStringLiteral("revindex0"), double(count - i - 1)},
                                                          {QStringLiteral("first"), i == 0},
                                                          {QStringLiteral("last"), i == count - 1},
                                                          {QStringLiteral("length"), double(count)}});
            const Status status = renderNodes(evaluator, node.bodies.first(), out);
            if (!status) {
                scope.pop();
                return status;
            }
        }
        scope.pop();
        return Ok{};
    }
    }
    return Ok{};
}

Status renderNodes(Evaluator &evaluator, const QList<NodePtr> &nodes, QString &out)
{
    for (const NodePtr &node : nodes) {
        const Status status = renderNode(evaluator, *node, out);
        if (!status)
            return status;
    }
    return Ok{};
}

// Offsets kept in `column` become line and column of `name`.
Error located(Error error, const QString &source, const QString &name)
{
    if (error.line == 0) {
        const qsizetype offset = std::clamp<qsizetype>(error.column, 0, source.size());
        int column = 0;
        error.line = lineOf(source, offset, &column);
        error.column = column;
    }
    if (error.file.isEmpty())
        error.file = name;
    return error;
}

} // namespace

Result<Template> Template::parse(const QString &text, const TemplateEnvironment &environment, const QString &name)
{
    auto lexed = lexTemplate(text, environment.syntax);
    if (!lexed)
        return located(lexed.error(), text, name);
    qsizetype index = 0;
    QString stopped;
    auto nodes = buildNodes(lexed->pieces, index, {}, &stopped);
    if (!nodes)
        return located(nodes.error(), text, name);
    auto root = std::make_shared<Node>();
    root->kind = Node::Kind::Sequence;
    root->bodies.append(nodes.value());
    root->text = text;   // kept for error positions
    Template result;
    result.m_root = root;
    result.m_environment = std::make_shared<TemplateEnvironment>(environment);
    result.m_name = name;
    return result;
}

Result<QString> Template::render(const QJsonObject &context) const
{
    Evaluator evaluator(*m_environment, context);
    QString out;
    const Status status = renderNode(evaluator, *m_root, out);
    if (!status)
        return located(status.error(), m_root->text, m_name);
    return out;
}

bool Template::isSingleExpression() const
{
    const QList<NodePtr> &nodes = m_root->bodies.first();
    return nodes.size() == 1 && nodes.first()->kind == Node::Kind::Output;
}

bool Template::isSingleBlock() const
{
    const QList<NodePtr> &nodes = m_root->bodies.first();
    return nodes.size() == 1 && (nodes.first()->kind == Node::Kind::If || nodes.first()->kind == Node::Kind::For);
}

Result<QJsonValue> Template::evaluateSingleExpression(const QJsonObject &context) const
{
    if (!isSingleExpression())
        return Error::internal(QStringLiteral("not a single expression"));
    Evaluator evaluator(*m_environment, context);
    auto value = evaluator.evaluate(*m_root->bodies.first().first()->expressions.first());
    if (!value)
        return located(value.error(), m_root->text, m_name);
    return value;
}

QString templateText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Undefined:
    case QJsonValue::Null:
        return {};
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        return numberText(value.toDouble());
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Array: {
        // Array.prototype.toString: items joined by ",", null and undefined as "".
        QStringList parts;
        for (const QJsonValue &item : value.toArray())
            parts.append(templateText(item));
        return parts.join(QLatin1Char(','));
    }
    case QJsonValue::Object:
        if (isRegex(value))
            return QStringLiteral("/%1/%2").arg(value[QLatin1String("__regex")].toString(), value[QLatin1String("__flags")].toString());
        return QStringLiteral("[object Object]");
    }
    return {};
}

bool templateTruthy(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Undefined:
    case QJsonValue::Null:
        return false;
    case QJsonValue::Bool:
        return value.toBool();
    case QJsonValue::Double:
        return value.toDouble() != 0 && !std::isnan(value.toDouble());
    case QJsonValue::String:
        return !value.toString().isEmpty();
    case QJsonValue::Array:
    case QJsonValue::Object:
        return true;
    }
    return false;
}

} // namespace Greenroom::Scaffold
