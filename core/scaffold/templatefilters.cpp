// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The template language's values as JavaScript sees them, Nunjucks' filters
// and tests, the scaffolder's own filters (parseRepoUrl, parseEntityRef,
// pick, projectSlug) and the JavaScript string and array methods templates
// call.
#include "templatelanguage_p.h"

#include <common/jsonkeyorder.h>
#include <common/jsonstringify.h>

#include <QJsonDocument>
#include <QRandomGenerator>
#include <QUrl>
#include <QUrlQuery>

#include <cmath>

namespace Greenroom::Scaffold::Detail {

QJsonValue Arguments::get(int index, const char *name, const QJsonValue &fallback) const
{
    Q_UNUSED(name);
    return index < positional.size() && !positional.at(index).isUndefined() ? positional.at(index) : fallback;
}

QString numberText(double value)
{
    if (std::isnan(value))
        return QStringLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("Infinity") : QStringLiteral("-Infinity");
    return javaScriptNumber(value);
}

double toNumber(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Double:
        return value.toDouble();
    case QJsonValue::Bool:
        return value.toBool() ? 1 : 0;
    case QJsonValue::Null:
        return 0;
    case QJsonValue::String: {
        const QString text = value.toString().trimmed();
        if (text.isEmpty())
            return 0;
        bool ok = false;
        const double number = text.toDouble(&ok);
        return ok ? number : std::nan("");
    }
    default:
        return std::nan("");
    }
}

bool strictEquals(const QJsonValue &a, const QJsonValue &b)
{
    if (a.type() != b.type())
        return false;
    if (a.isArray() || a.isObject())
        return a == b;   // JavaScript compares identity; equal content is the closest we have
    return a == b;
}

bool looseEquals(const QJsonValue &a, const QJsonValue &b)
{
    const bool aNullish = a.isNull() || a.isUndefined();
    const bool bNullish = b.isNull() || b.isUndefined();
    if (aNullish || bNullish)
        return aNullish && bNullish;
    if (a.type() == b.type())
        return strictEquals(a, b);
    if (a.isArray() || a.isObject())
        return templateText(a) == (b.isString() ? b.toString() : templateText(b));
    if (b.isArray() || b.isObject())
        return looseEquals(b, a);
    return toNumber(a) == toNumber(b);
}

QJsonValue makeRegex(const QString &pattern, const QString &flags)
{
    return QJsonObject{{QStringLiteral("__regex"), pattern}, {QStringLiteral("__flags"), flags}};
}

bool isRegex(const QJsonValue &value)
{
    return value.isObject() && value.toObject().contains(QLatin1String("__regex"));
}

QRegularExpression regexOf(const QJsonValue &value, bool *global)
{
    const QString flags = value[QLatin1String("__flags")].toString();
    if (global)
        *global = flags.contains(QLatin1Char('g'));
    QRegularExpression::PatternOptions options;
    if (flags.contains(QLatin1Char('i')))
        options |= QRegularExpression::CaseInsensitiveOption;
    if (flags.contains(QLatin1Char('m')))
        options |= QRegularExpression::MultilineOption;
    return QRegularExpression(value[QLatin1String("__regex")].toString(), options);
}

namespace {

// a[i], or undefined past the end (QJsonArray has no value()).
QJsonValue item(const QJsonArray &array, qsizetype i)
{
    return i >= 0 && i < array.size() ? array.at(i) : QJsonValue(QJsonValue::Undefined);
}

// QJsonArray's iterators cannot be sorted or reversed in place.
QList<QJsonValue> listOf(const QJsonArray &array)
{
    return QList<QJsonValue>(array.begin(), array.end());
}

QJsonArray arrayOf(const QList<QJsonValue> &list)
{
    QJsonArray array;
    for (const QJsonValue &value : list)
        array.append(value);
    return array;
}

Error filterError(const QString &message)
{
    return Error::input(message);
}

QString htmlEscape(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        switch (c.unicode()) {
        case '&': out += QStringLiteral("&amp;"); break;
        case '<': out += QStringLiteral("&lt;"); break;
        case '>': out += QStringLiteral("&gt;"); break;
        case '"': out += QStringLiteral("&quot;"); break;
        case '\'': out += QStringLiteral("&#39;"); break;
        default: out += c; break;
        }
    }
    return out;
}

// JavaScript's replacement patterns for String.prototype.replace with a regex: $1, $&, $$.
QString expandReplacement(const QString &replacement, const QRegularExpressionMatch &match)
{
    QString out;
    for (qsizetype i = 0; i < replacement.size(); ++i) {
        const QChar c = replacement[i];
        if (c != QLatin1Char('$') || i + 1 >= replacement.size()) {
            out += c;
            continue;
        }
        const QChar next = replacement[i + 1];
        if (next == QLatin1Char('$')) {
            out += QLatin1Char('$');
            ++i;
        } else if (next == QLatin1Char('&')) {
            out += match.captured(0);
            ++i;
        } else if (next.isDigit()) {
            int group = next.digitValue();
            ++i;
            if (i + 1 < replacement.size() && replacement[i + 1].isDigit() && group * 10 + replacement[i + 1].digitValue() <= match.lastCapturedIndex()) {
                group = group * 10 + replacement[i + 1].digitValue();
                ++i;
            }
            out += match.captured(group);
        } else {
            out += c;
        }
    }
    return out;
}

QString regexReplace(const QString &text, const QJsonValue &regex, const QString &replacement)
{
    bool global = false;
    const QRegularExpression re = regexOf(regex, &global);
    QString out;
    qsizetype last = 0;
    QRegularExpressionMatchIterator it = re.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        out += QStringView(text).mid(last, match.capturedStart() - last);
        out += expandReplacement(replacement, match);
        last = match.capturedEnd();
        if (!global)
            break;
    }
    out += QStringView(text).mid(last);
    return out;
}

// lodash's get: "a.b[0].c".
QJsonValue pathValue(const QJsonValue &root, const QString &path)
{
    QJsonValue current = root;
    static const QRegularExpression part(QStringLiteral("[^.\\[\\]]+"));
    QRegularExpressionMatchIterator it = part.globalMatch(path);
    while (it.hasNext()) {
        const QString key = it.next().captured(0);
        if (current.isObject()) {
            const QJsonObject object = current.toObject();
            if (!object.contains(key))
                return QJsonValue(QJsonValue::Undefined);
            current = object.value(key);
        } else if (current.isArray()) {
            bool ok = false;
            const int index = key.toInt(&ok);
            if (!ok || index < 0 || index >= current.toArray().size())
                return QJsonValue(QJsonValue::Undefined);
            current = current.toArray().at(index);
        } else {
            return QJsonValue(QJsonValue::Undefined);
        }
    }
    return current;
}

// The scaffolder's repoUrl: "host?owner=o&repo=r" (section 2 of the reference).
Result<QJsonValue> parseRepoUrl(const QJsonValue &input)
{
    const QString text = templateText(input);
    const QUrl url(QStringLiteral("https://") + text);
    if (!url.isValid() || url.host().isEmpty())
        return filterError(QStringLiteral("Invalid repo URL passed to publisher: https://%1").arg(text));
    // JavaScript's URL.host: with the port when there is one.
    QJsonObject result{{QStringLiteral("host"), url.port() < 0 ? url.host() : url.host() + QLatin1Char(':') + QString::number(url.port())}};
    const QList<std::pair<QString, QString>> items = QUrlQuery(url).queryItems(QUrl::FullyDecoded);
    auto trimmed = [](QString value) {
        while (value.startsWith(QLatin1Char('/')))
            value.remove(0, 1);
        while (value.endsWith(QLatin1Char('/')))
            value.chop(1);
        return value;
    };
    for (const auto &[key, value] : items) {
        if (QStringList{QStringLiteral("owner"), QStringLiteral("repo"), QStringLiteral("organization"), QStringLiteral("workspace"),
                        QStringLiteral("project")}.contains(key))
            result.insert(key, trimmed(value));
    }
    // github.com and hosts like it need owner and repo.
    for (const char *key : {"owner", "repo"}) {
        if (!result.contains(QLatin1String(key)) && !result.contains(QLatin1String("project")))
            return filterError(QStringLiteral("Invalid repo URL passed to publisher: https://%1, missing %2").arg(text, QLatin1String(key)));
    }
    return QJsonValue(result);
}

Result<QJsonValue> parseEntityRef(const QJsonValue &input, const QJsonValue &options)
{
    const QString defaultKind = options[QLatin1String("defaultKind")].toString();
    const QString defaultNamespace = options[QLatin1String("defaultNamespace")].toString(QStringLiteral("default"));
    QString kind, space, name;
    if (input.isObject()) {
        kind = input[QLatin1String("kind")].toString(defaultKind);
        space = input[QLatin1String("namespace")].toString(defaultNamespace);
        name = input[QLatin1String("name")].toString();
    } else {
        QString text = templateText(input);
        const qsizetype colon = text.indexOf(QLatin1Char(':'));
        if (colon >= 0) {
            kind = text.left(colon);
            text = text.mid(colon + 1);
        } else {
            kind = defaultKind;
        }
        const qsizetype slash = text.indexOf(QLatin1Char('/'));
        if (slash >= 0) {
            space = text.left(slash);
            name = text.mid(slash + 1);
        } else {
            space = defaultNamespace;
            name = text;
        }
    }
    if (kind.isEmpty())
        return filterError(QStringLiteral("Entity reference \"%1\" had missing or empty kind (e.g. did not start with \"component:\" or similar)")
                               .arg(templateText(input)));
    if (name.isEmpty())
        return filterError(QStringLiteral("Entity reference \"%1\" had missing or empty name").arg(templateText(input)));
    return QJsonValue(QJsonObject{{QStringLiteral("kind"), kind}, {QStringLiteral("namespace"), space}, {QStringLiteral("name"), name}});
}

QJsonArray asArray(const QJsonValue &value)
{
    if (value.isArray())
        return value.toArray();
    if (value.isString()) {
        QJsonArray chars;
        for (const QChar c : value.toString())
            chars.append(QString(c));
        return chars;
    }
    if (value.isObject()) {
        QJsonArray pairs;
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            pairs.append(QJsonArray{it.key(), it.value()});
        return pairs;
    }
    return {};
}

int compareValues(const QJsonValue &a, const QJsonValue &b, bool caseSensitive)
{
    if (a.isDouble() && b.isDouble())
        return a.toDouble() < b.toDouble() ? -1 : a.toDouble() > b.toDouble() ? 1 : 0;
    return QString::compare(templateText(a), templateText(b), caseSensitive ? Qt::CaseSensitive : Qt::CaseInsensitive);
}

QString dump(const QJsonValue &value, const QJsonValue &indent)
{
    if (value.isUndefined())
        return {};
    // Nunjucks' dump is JSON.stringify(value, null, spaces): a number of
    // spaces (at most 10) or a string to indent with.
    QString unit;
    if (indent.isDouble())
        unit = QString(qBound(0, int(indent.toDouble()), 10), QLatin1Char(' '));
    else if (indent.isString())
        unit = indent.toString();
    return jsonStringify(value, unit);
}

using Filter = std::function<Result<QJsonValue>(const QJsonValue &, const Arguments &)>;

const QHash<QString, Filter> &filters()
{
    static const QHash<QString, Filter> table = [] {
        QHash<QString, Filter> f;
        f.insert(QStringLiteral("abs"), [](const QJsonValue &v, const Arguments &) { return QJsonValue(std::fabs(toNumber(v))); });
        f.insert(QStringLiteral("capitalize"), [](const QJsonValue &v, const Arguments &) {
            const QString text = templateText(v).toLower();
            return QJsonValue(text.isEmpty() ? text : text.at(0).toUpper() + text.mid(1));
        });
        f.insert(QStringLiteral("center"), [](const QJsonValue &v, const Arguments &a) {
            const QString text = templateText(v);
            const int width = int(toNumber(a.get(0, "width", 80)));
            if (text.size() >= width)
                return QJsonValue(text);
            const int left = int((width - text.size()) / 2);
            return QJsonValue(QString(left, QLatin1Char(' ')) + text + QString(width - text.size() - left, QLatin1Char(' ')));
        });
        Filter defaultFilter = [](const QJsonValue &v, const Arguments &a) {
            const bool onFalsy = templateTruthy(a.get(1, "boolean", false));
            if (onFalsy ? !templateTruthy(v) : v.isUndefined())
                return Result<QJsonValue>(a.get(0, "value"));
            return Result<QJsonValue>(v);
        };
        f.insert(QStringLiteral("default"), defaultFilter);
        f.insert(QStringLiteral("d"), defaultFilter);
        f.insert(QStringLiteral("dictsort"), [](const QJsonValue &v, const Arguments &a) -> Result<QJsonValue> {
            if (!v.isObject())
                return filterError(QStringLiteral("dictsort filter: val must be an object"));
            const bool caseSensitive = templateTruthy(a.get(0, "caseSensitive", false));
            const bool byValue = templateText(a.get(1, "by", QStringLiteral("key"))) == QLatin1String("value");
            QList<QJsonValue> pairs = listOf(asArray(v));
            std::stable_sort(pairs.begin(), pairs.end(), [&](const QJsonValue &x, const QJsonValue &y) {
                return compareValues(x.toArray().at(byValue ? 1 : 0), y.toArray().at(byValue ? 1 : 0), caseSensitive) < 0;
            });
            return QJsonValue(arrayOf(pairs));
        });
        Filter dumpFilter = [](const QJsonValue &v, const Arguments &a) { return Result<QJsonValue>(dump(v, a.get(0, "spaces"))); };
        f.insert(QStringLiteral("dump"), dumpFilter);
        Filter escape = [](const QJsonValue &v, const Arguments &) { return Result<QJsonValue>(htmlEscape(templateText(v))); };
        f.insert(QStringLiteral("escape"), escape);
        f.insert(QStringLiteral("e"), escape);
        f.insert(QStringLiteral("forceescape"), escape);
        f.insert(QStringLiteral("first"), [](const QJsonValue &v, const Arguments &) {
            const QJsonArray items = asArray(v);
            return QJsonValue(items.isEmpty() ? QJsonValue(QJsonValue::Undefined) : items.first());
        });
        f.insert(QStringLiteral("last"), [](const QJsonValue &v, const Arguments &) {
            const QJsonArray items = asArray(v);
            return QJsonValue(items.isEmpty() ? QJsonValue(QJsonValue::Undefined) : items.last());
        });
        f.insert(QStringLiteral("float"), [](const QJsonValue &v, const Arguments &a) {
            const double number = toNumber(v);
            return std::isnan(number) ? a.get(0, "default", 0.0) : QJsonValue(number);
        });
        f.insert(QStringLiteral("int"), [](const QJsonValue &v, const Arguments &a) {
            double number = v.isString() ? double(templateText(v).trimmed().toLongLong()) : toNumber(v);
            if (v.isString()) {
                bool ok = false;
                const QString text = templateText(v).trimmed();
                static const QRegularExpression leadingInt(QStringLiteral("^[+-]?\\d+"));
                const QRegularExpressionMatch m = leadingInt.match(text);
                number = m.hasMatch() ? m.captured(0).toDouble(&ok) : std::nan("");
            }
            return std::isnan(number) ? a.get(0, "default", 0.0) : QJsonValue(std::trunc(number));
        });
        f.insert(QStringLiteral("indent"), [](const QJsonValue &v, const Arguments &a) {
            const QString text = templateText(v);
            const int width = int(toNumber(a.get(0, "width", 4)));
            const bool first = templateTruthy(a.get(1, "indentfirst", false));
            QStringList lines = text.split(QLatin1Char('\n'));
            const QString pad(width, QLatin1Char(' '));
            for (qsizetype i = 0; i < lines.size(); ++i) {
                if ((i > 0 || first) && !lines[i].isEmpty())
                    lines[i] = pad + lines[i];
            }
            return QJsonValue(lines.join(QLatin1Char('\n')));
        });
        f.insert(QStringLiteral("join"), [](const QJsonValue &v, const Arguments &a) {
            const QString separator = templateText(a.get(0, "del", QString()));
            const QJsonValue attribute = a.get(1, "attr");
            QStringList parts;
            for (const QJsonValue &item : asArray(v))
                parts.append(templateText(attribute.isUndefined() ? item : item[attribute.toString()]));
            return QJsonValue(parts.join(separator));
        });
        f.insert(QStringLiteral("length"), [](const QJsonValue &v, const Arguments &) {
            if (v.isString())
                return QJsonValue(double(v.toString().size()));
            if (v.isArray())
                return QJsonValue(double(v.toArray().size()));
            if (v.isObject())
                return QJsonValue(double(v.toObject().size()));
            return QJsonValue(0);
        });
        f.insert(QStringLiteral("list"), [](const QJsonValue &v, const Arguments &) { return QJsonValue(asArray(v)); });
        f.insert(QStringLiteral("lower"), [](const QJsonValue &v, const Arguments &) { return QJsonValue(templateText(v).toLower()); });
        f.insert(QStringLiteral("upper"), [](const QJsonValue &v, const Arguments &) { return QJsonValue(templateText(v).toUpper()); });
        f.insert(QStringLiteral("nl2br"), [](const QJsonValue &v, const Arguments &) {
            return QJsonValue(templateText(v).replace(QStringLiteral("\r\n"), QStringLiteral("<br />\n")).replace(QLatin1Char('\n'), QStringLiteral("<br />\n")));
        });
        f.insert(QStringLiteral("random"), [](const QJsonValue &v, const Arguments &) {
            const QJsonArray items = asArray(v);
            return items.isEmpty() ? QJsonValue(QJsonValue::Undefined) : items.at(QRandomGenerator::global()->bounded(int(items.size())));
        });
        f.insert(QStringLiteral("replace"), [](const QJsonValue &v, const Arguments &a) -> Result<QJsonValue> {
            const QJsonValue from = a.get(0, "old");
            const QString to = templateText(a.get(1, "new"));
            if (isRegex(from))
                return QJsonValue(regexReplace(templateText(v), from, to));
            QString text = templateText(v);
            const QString old = templateText(from);
            const double maxCount = toNumber(a.get(2, "maxCount", -1));
            if (maxCount < 0)
                return QJsonValue(old.isEmpty() ? text : text.replace(old, to));
            QString out;
            qsizetype pos = 0;
            for (int n = 0; n < maxCount; ++n) {
                const qsizetype found = text.indexOf(old, pos);
                if (found < 0 || old.isEmpty())
                    break;
                out += text.mid(pos, found - pos) + to;
                pos = found + old.size();
            }
            return QJsonValue(out + text.mid(pos));
        });
        f.insert(QStringLiteral("reverse"), [](const QJsonValue &v, const Arguments &) {
            if (v.isString()) {
                QString text = v.toString();
                std::reverse(text.begin(), text.end());
                return QJsonValue(text);
            }
            QList<QJsonValue> items = listOf(asArray(v));
            std::reverse(items.begin(), items.end());
            return QJsonValue(arrayOf(items));
        });
        f.insert(QStringLiteral("round"), [](const QJsonValue &v, const Arguments &a) {
            const double precision = std::pow(10.0, toNumber(a.get(0, "precision", 0)));
            const QString method = templateText(a.get(1, "method", QStringLiteral("common")));
            const double scaled = toNumber(v) * precision;
            const double rounded = method == QLatin1String("ceil") ? std::ceil(scaled) : method == QLatin1String("floor") ? std::floor(scaled) : std::round(scaled);
            return QJsonValue(rounded / precision);
        });
        f.insert(QStringLiteral("safe"), [](const QJsonValue &v, const Arguments &) { return v; });
        f.insert(QStringLiteral("string"), [](const QJsonValue &v, const Arguments &) { return QJsonValue(templateText(v)); });
        f.insert(QStringLiteral("slice"), [](const QJsonValue &v, const Arguments &a) {
            const QJsonArray items = asArray(v);
            const int slices = std::max(1, int(toNumber(a.get(0, "slices", 1))));
            const qsizetype per = items.size() / slices;
            const qsizetype extra = items.size() % slices;
            QJsonArray out;
            qsizetype offset = 0;
            for (int s = 0; s < slices; ++s) {
                const qsizetype count = per + (s < extra ? 1 : 0);
                QJsonArray slice;
                for (qsizetype i = 0; i < count; ++i)
                    slice.append(items.at(offset + i));
                if (s >= extra && a.get(1, "fillWith").isUndefined() == false && extra > 0)
                    slice.append(a.get(1, "fillWith"));
                offset += count;
                out.append(slice);
            }
            return QJsonValue(out);
        });
        f.insert(QStringLiteral("batch"), [](const QJsonValue &v, const Arguments &a) {
            const QJsonArray items = asArray(v);
            const int size = std::max(1, int(toNumber(a.get(0, "linecount", 1))));
            const QJsonValue fill = a.get(1, "fillWith");
            QJsonArray out, row;
            for (const QJsonValue &item : items) {
                row.append(item);
                if (row.size() == size) {
                    out.append(row);
                    row = {};
                }
            }
            if (!row.isEmpty()) {
                while (!fill.isUndefined() && row.size() < size)
                    row.append(fill);
                out.append(row);
            }
            return QJsonValue(out);
        });
        f.insert(QStringLiteral("sort"), [](const QJsonValue &v, const Arguments &a) {
            QList<QJsonValue> items = listOf(asArray(v));
            const bool reverse = templateTruthy(a.get(0, "reverse", false));
            const bool caseSensitive = templateTruthy(a.get(1, "caseSens", false));
            const QJsonValue attribute = a.get(2, "attr");
            std::stable_sort(items.begin(), items.end(), [&](const QJsonValue &x, const QJsonValue &y) {
                const QJsonValue left = attribute.isUndefined() ? x : pathValue(x, attribute.toString());
                const QJsonValue right = attribute.isUndefined() ? y : pathValue(y, attribute.toString());
                const int order = compareValues(left, right, caseSensitive);
                return reverse ? order > 0 : order < 0;
            });
            return QJsonValue(arrayOf(items));
        });
        f.insert(QStringLiteral("striptags"), [](const QJsonValue &v, const Arguments &) {
            static const QRegularExpression tags(QStringLiteral("<\\/?([a-z][a-z0-9]*)\\b[^>]*>|<!--[\\s\\S]*?-->"), QRegularExpression::CaseInsensitiveOption);
            static const QRegularExpression spaces(QStringLiteral("\\s+"));
            return QJsonValue(templateText(v).remove(tags).replace(spaces, QStringLiteral(" ")).trimmed());
        });
        f.insert(QStringLiteral("sum"), [](const QJsonValue &v, const Arguments &a) {
            double total = toNumber(a.get(1, "start", 0));
            const QJsonValue attribute = a.get(0, "attr");
            for (const QJsonValue &item : asArray(v))
                total += toNumber(attribute.isUndefined() ? item : pathValue(item, attribute.toString()));
            return QJsonValue(total);
        });
        f.insert(QStringLiteral("title"), [](const QJsonValue &v, const Arguments &) {
            QStringList words = templateText(v).split(QLatin1Char(' '));
            for (QString &word : words)
                word = word.isEmpty() ? word : word.at(0).toUpper() + word.mid(1).toLower();
            return QJsonValue(words.join(QLatin1Char(' ')));
        });
        f.insert(QStringLiteral("trim"), [](const QJsonValue &v, const Arguments &) { return QJsonValue(templateText(v).trimmed()); });
        f.insert(QStringLiteral("truncate"), [](const QJsonValue &v, const Arguments &a) {
            QString text = templateText(v);
            const int length = int(toNumber(a.get(0, "length", 255)));
            if (text.size() <= length)
                return QJsonValue(text);
            const bool killWords = templateTruthy(a.get(1, "killwords", false));
            const QString end = a.get(2, "end").isUndefined() ? QStringLiteral("...") : templateText(a.get(2, "end"));
            if (killWords)
                return QJsonValue(text.left(length) + end);
            qsizetype cut = text.lastIndexOf(QLatin1Char(' '), length);
            if (cut <= 0)
                cut = length;
            return QJsonValue(text.left(cut) + end);
        });
        f.insert(QStringLiteral("urlencode"), [](const QJsonValue &v, const Arguments &) {
            return QJsonValue(QString::fromLatin1(QUrl::toPercentEncoding(templateText(v))));
        });
        f.insert(QStringLiteral("urlize"), [](const QJsonValue &v, const Arguments &) {
            static const QRegularExpression url(QStringLiteral("\\b(https?://[^\\s<]+)"));
            return QJsonValue(templateText(v).replace(url, QStringLiteral("<a href=\"\\1\">\\1</a>")));
        });
        f.insert(QStringLiteral("wordcount"), [](const QJsonValue &v, const Arguments &) {
            static const QRegularExpression words(QStringLiteral("\\w+"));
            return QJsonValue(double(templateText(v).count(words)));
        });
        auto selectOrReject = [](bool keep) {
            return [keep](const QJsonValue &v, const Arguments &a) -> Result<QJsonValue> {
                const QString test = a.get(0, "test").isUndefined() ? QStringLiteral("truthy") : templateText(a.get(0, "test"));
                Arguments rest;
                for (qsizetype i = 1; i < a.positional.size(); ++i)
                    rest.positional.append(a.positional.at(i));
                QJsonArray out;
                for (const QJsonValue &item : asArray(v)) {
                    auto passed = applyTest(test, item, rest);
                    if (!passed)
                        return passed.error();
                    if (passed.value() == keep)
                        out.append(item);
                }
                return QJsonValue(out);
            };
        };
        f.insert(QStringLiteral("select"), selectOrReject(true));
        f.insert(QStringLiteral("reject"), selectOrReject(false));
        auto byAttribute = [](bool keep) {
            return [keep](const QJsonValue &v, const Arguments &a) -> Result<QJsonValue> {
                const QString attribute = templateText(a.get(0, "attr"));
                QJsonArray out;
                for (const QJsonValue &item : asArray(v)) {
                    if (templateTruthy(pathValue(item, attribute)) == keep)
                        out.append(item);
                }
                return QJsonValue(out);
            };
        };
        f.insert(QStringLiteral("selectattr"), byAttribute(true));
        f.insert(QStringLiteral("rejectattr"), byAttribute(false));
        f.insert(QStringLiteral("groupby"), [](const QJsonValue &v, const Arguments &a) {
            const QString attribute = templateText(a.get(0, "attr"));
            QJsonObject groups;
            for (const QJsonValue &item : asArray(v)) {
                const QString key = templateText(pathValue(item, attribute));
                QJsonArray group = groups.value(key).toArray();
                group.append(item);
                groups.insert(key, group);
            }
            return QJsonValue(groups);
        });
        // The scaffolder's own.
        f.insert(QStringLiteral("parseRepoUrl"), [](const QJsonValue &v, const Arguments &) { return parseRepoUrl(v); });
        f.insert(QStringLiteral("projectSlug"), [](const QJsonValue &v, const Arguments &) -> Result<QJsonValue> {
            auto parsed = parseRepoUrl(v);
            if (!parsed)
                return parsed;
            return QJsonValue(parsed.value()[QLatin1String("owner")].toString() + QLatin1Char('/') + parsed.value()[QLatin1String("repo")].toString());
        });
        f.insert(QStringLiteral("parseEntityRef"), [](const QJsonValue &v, const Arguments &a) { return parseEntityRef(v, a.get(0, "options", QJsonObject())); });
        f.insert(QStringLiteral("pick"), [](const QJsonValue &v, const Arguments &a) { return Result<QJsonValue>(pathValue(v, templateText(a.get(0, "path")))); });
        return f;
    }();
    return table;
}

} // namespace

bool hasFilter(const QString &name, const TemplateEnvironment &environment)
{
    return filters().contains(name) || (environment.cookiecutterFilters && name == QLatin1String("jsonify"));
}

Result<QJsonValue> applyFilter(const QString &name, const QJsonValue &input, const Arguments &arguments, const TemplateEnvironment &environment)
{
    if (environment.cookiecutterFilters && name == QLatin1String("jsonify"))
        return filters().value(QStringLiteral("dump"))(input, arguments);
    const auto filter = filters().constFind(name);
    if (filter == filters().cend())
        return filterError(QStringLiteral("filter not found: %1").arg(name));
    return (*filter)(input, arguments);
}

Result<bool> applyTest(const QString &name, const QJsonValue &value, const Arguments &arguments)
{
    const QJsonValue other = arguments.get(0, "other");
    if (name == QLatin1String("defined"))
        return !value.isUndefined();
    if (name == QLatin1String("undefined"))
        return value.isUndefined();
    if (name == QLatin1String("null"))
        return value.isNull();
    if (name == QLatin1String("string"))
        return value.isString();
    if (name == QLatin1String("number"))
        return value.isDouble();
    if (name == QLatin1String("boolean"))
        return value.isBool();
    if (name == QLatin1String("mapping"))
        return value.isObject() && !isRegex(value);
    if (name == QLatin1String("iterable"))
        return value.isArray() || value.isString() || value.isObject();
    if (name == QLatin1String("callable"))
        return false;
    if (name == QLatin1String("truthy"))
        return templateTruthy(value);
    if (name == QLatin1String("falsy"))
        return !templateTruthy(value);
    if (name == QLatin1String("odd"))
        return std::fmod(toNumber(value), 2) != 0;
    if (name == QLatin1String("even"))
        return std::fmod(toNumber(value), 2) == 0;
    if (name == QLatin1String("divisibleby"))
        return std::fmod(toNumber(value), toNumber(other)) == 0;
    if (name == QLatin1String("lower"))
        return value.isString() && value.toString() == value.toString().toLower();
    if (name == QLatin1String("upper"))
        return value.isString() && value.toString() == value.toString().toUpper();
    if (name == QLatin1String("equalto") || name == QLatin1String("eq") || name == QLatin1String("sameas"))
        return strictEquals(value, other);
    if (name == QLatin1String("ne"))
        return !strictEquals(value, other);
    if (name == QLatin1String("escaped"))
        return false;
    if (name == QLatin1String("gt") || name == QLatin1String("greaterthan"))
        return toNumber(value) > toNumber(other);
    if (name == QLatin1String("ge"))
        return toNumber(value) >= toNumber(other);
    if (name == QLatin1String("lt") || name == QLatin1String("lessthan"))
        return toNumber(value) < toNumber(other);
    if (name == QLatin1String("le"))
        return toNumber(value) <= toNumber(other);
    return filterError(QStringLiteral("test not found: %1").arg(name));
}

QJsonValue property(const QJsonValue &target, const QString &name)
{
    if (name == QLatin1String("length")) {
        if (target.isString())
            return double(target.toString().size());
        if (target.isArray())
            return double(target.toArray().size());
    }
    return QJsonValue(QJsonValue::Undefined);
}

Result<QJsonValue> callMethod(const QJsonValue &target, const QString &method, const Arguments &arguments)
{
    const QJsonArray &a = arguments.positional;
    auto index = [&](int i, double fallback) {
        const double n = i < a.size() && !a.at(i).isUndefined() ? toNumber(a.at(i)) : fallback;
        return std::isnan(n) ? 0.0 : n;
    };
    if (target.isString()) {
        const QString text = target.toString();
        const qsizetype size = text.size();
        auto clampIndex = [size](double n) { return qsizetype(n < 0 ? std::max<double>(0, double(size) + n) : std::min<double>(double(size), n)); };
        if (method == QLatin1String("toLowerCase") || method == QLatin1String("toLocaleLowerCase"))
            return QJsonValue(text.toLower());
        if (method == QLatin1String("toUpperCase") || method == QLatin1String("toLocaleUpperCase"))
            return QJsonValue(text.toUpper());
        if (method == QLatin1String("trim"))
            return QJsonValue(text.trimmed());
        if (method == QLatin1String("trimStart") || method == QLatin1String("trimLeft")) {
            qsizetype i = 0;
            while (i < size && text[i].isSpace())
                ++i;
            return QJsonValue(text.mid(i));
        }
        if (method == QLatin1String("trimEnd") || method == QLatin1String("trimRight")) {
            qsizetype i = size;
            while (i > 0 && text[i - 1].isSpace())
                --i;
            return QJsonValue(text.left(i));
        }
        if (method == QLatin1String("startsWith"))
            return QJsonValue(text.mid(qsizetype(index(1, 0))).startsWith(templateText(item(a, 0))));
        if (method == QLatin1String("endsWith"))
            return QJsonValue(text.endsWith(templateText(item(a, 0))));
        if (method == QLatin1String("includes"))
            return QJsonValue(text.indexOf(templateText(item(a, 0)), qsizetype(index(1, 0))) >= 0);
        if (method == QLatin1String("indexOf"))
            return QJsonValue(double(text.indexOf(templateText(item(a, 0)), qsizetype(index(1, 0)))));
        if (method == QLatin1String("lastIndexOf"))
            return QJsonValue(double(text.lastIndexOf(templateText(item(a, 0)))));
        if (method == QLatin1String("charAt")) {
            const qsizetype i = qsizetype(index(0, 0));
            return QJsonValue(i >= 0 && i < size ? QString(text.at(i)) : QString());
        }
        if (method == QLatin1String("slice")) {
            const qsizetype from = clampIndex(index(0, 0));
            const qsizetype to = clampIndex(index(1, double(size)));
            return QJsonValue(to > from ? text.mid(from, to - from) : QString());
        }
        if (method == QLatin1String("substring")) {
            qsizetype from = qsizetype(std::clamp(index(0, 0), 0.0, double(size)));
            qsizetype to = qsizetype(std::clamp(index(1, double(size)), 0.0, double(size)));
            if (from > to)
                std::swap(from, to);
            return QJsonValue(text.mid(from, to - from));
        }
        if (method == QLatin1String("substr")) {
            const qsizetype from = clampIndex(index(0, 0));
            const qsizetype length = qsizetype(std::max(0.0, index(1, double(size))));
            return QJsonValue(text.mid(from, length));
        }
        if (method == QLatin1String("padStart") || method == QLatin1String("padEnd")) {
            const qsizetype width = qsizetype(index(0, 0));
            const QString fill = a.size() > 1 ? templateText(a.at(1)) : QStringLiteral(" ");
            if (width <= size || fill.isEmpty())
                return QJsonValue(text);
            QString pad;
            while (pad.size() < width - size)
                pad += fill;
            pad.truncate(width - size);
            return QJsonValue(method == QLatin1String("padStart") ? pad + text : text + pad);
        }
        if (method == QLatin1String("repeat"))
            return QJsonValue(text.repeated(qsizetype(std::max(0.0, index(0, 0)))));
        if (method == QLatin1String("concat")) {
            QString out = text;
            for (const QJsonValue &part : a)
                out += templateText(part);
            return QJsonValue(out);
        }
        if (method == QLatin1String("replace") || method == QLatin1String("replaceAll")) {
            const QString replacement = templateText(item(a, 1));
            if (isRegex(item(a, 0)))
                return QJsonValue(regexReplace(text, item(a, 0), replacement));
            const QString pattern = templateText(item(a, 0));
            if (method == QLatin1String("replaceAll"))
                return QJsonValue(QString(text).replace(pattern, replacement));
            const qsizetype at = text.indexOf(pattern);
            return QJsonValue(at < 0 ? text : text.left(at) + replacement + text.mid(at + pattern.size()));
        }
        if (method == QLatin1String("split")) {
            QStringList parts;
            if (a.isEmpty() || a.at(0).isUndefined())
                parts = {text};
            else if (isRegex(a.at(0)))
                parts = text.split(regexOf(a.at(0)));
            else if (templateText(a.at(0)).isEmpty()) {
                for (const QChar c : text)
                    parts.append(QString(c));
            } else
                parts = text.split(templateText(a.at(0)));
            if (a.size() > 1 && !a.at(1).isUndefined())
                parts = parts.mid(0, qsizetype(index(1, double(parts.size()))));
            return QJsonValue(QJsonArray::fromStringList(parts));
        }
        if (method == QLatin1String("match")) {
            const QRegularExpression re = isRegex(item(a, 0)) ? regexOf(item(a, 0)) : QRegularExpression(templateText(item(a, 0)));
            const QRegularExpressionMatch match = re.match(text);
            if (!match.hasMatch())
                return QJsonValue(QJsonValue::Null);
            return QJsonValue(QJsonArray::fromStringList(match.capturedTexts()));
        }
        if (method == QLatin1String("toString") || method == QLatin1String("valueOf"))
            return QJsonValue(text);
    }
    if (target.isArray()) {
        const QJsonArray items = target.toArray();
        if (method == QLatin1String("join")) {
            QStringList parts;
            for (const QJsonValue &item : items)
                parts.append(templateText(item));
            return QJsonValue(parts.join(a.isEmpty() ? QStringLiteral(",") : templateText(a.at(0))));
        }
        if (method == QLatin1String("includes"))
            return QJsonValue(std::any_of(items.begin(), items.end(), [&](const QJsonValue &entry) { return strictEquals(entry, item(a, 0)); }));
        if (method == QLatin1String("indexOf")) {
            for (qsizetype i = 0; i < items.size(); ++i) {
                if (strictEquals(items.at(i), item(a, 0)))
                    return QJsonValue(double(i));
            }
            return QJsonValue(-1);
        }
        if (method == QLatin1String("slice")) {
            const qsizetype size = items.size();
            auto clampIndex = [size](double n) { return qsizetype(n < 0 ? std::max<double>(0, double(size) + n) : std::min<double>(double(size), n)); };
            const qsizetype from = clampIndex(index(0, 0));
            const qsizetype to = clampIndex(index(1, double(size)));
            QJsonArray out;
            for (qsizetype i = from; i < to; ++i)
                out.append(items.at(i));
            return QJsonValue(out);
        }
        if (method == QLatin1String("concat")) {
            QJsonArray out = items;
            for (const QJsonValue &part : a) {
                if (part.isArray()) {
                    for (const QJsonValue &item : part.toArray())
                        out.append(item);
                } else {
                    out.append(part);
                }
            }
            return QJsonValue(out);
        }
        if (method == QLatin1String("reverse")) {
            QJsonArray out;
            for (qsizetype i = items.size() - 1; i >= 0; --i)
                out.append(items.at(i));
            return QJsonValue(out);
        }
        if (method == QLatin1String("toString"))
            return QJsonValue(templateText(target));
    }
    if (target.isDouble()) {
        if (method == QLatin1String("toString"))
            return QJsonValue(numberText(target.toDouble()));
        if (method == QLatin1String("toFixed"))
            return QJsonValue(QString::number(target.toDouble(), 'f', int(index(0, 0))));
    }
    if (target.isBool() && method == QLatin1String("toString"))
        return QJsonValue(templateText(target));
    return filterError(QStringLiteral("Unable to call `%1`, which is undefined or falsey").arg(method));
}

Result<QJsonValue> callBuiltinGlobal(const QString &name, const Arguments &arguments, bool *known)
{
    *known = true;
    if (name == QLatin1String("range")) {
        double start = 0, stop = 0, step = 1;
        if (arguments.positional.size() == 1) {
            stop = toNumber(arguments.positional.at(0));
        } else {
            start = toNumber(item(arguments.positional, 0));
            stop = toNumber(item(arguments.positional, 1));
            if (arguments.positional.size() > 2)
                step = toNumber(arguments.positional.at(2));
        }
        if (step == 0 || std::isnan(start) || std::isnan(stop) || std::isnan(step))
            return filterError(QStringLiteral("range() needs numbers and a step other than 0"));
        QJsonArray out;
        for (double i = start; step > 0 ? i < stop : i > stop; i += step) {
            out.append(i);
            if (out.size() > 100000)
                return filterError(QStringLiteral("range() is limited to 100000 items"));
        }
        return QJsonValue(out);
    }
    *known = false;
    return QJsonValue(QJsonValue::Undefined);
}

Result<QJsonValue> parseRepoUrlValue(const QJsonValue &repoUrl)
{
    return parseRepoUrl(repoUrl);
}

} // namespace Greenroom::Scaffold::Detail

namespace Greenroom::Scaffold {

QByteArray templatingExtensionsJson()
{
    // The schemas are upstream's, as zod-to-json-schema writes its filters'
    // zod schemas (clients read them); the descriptions and examples are
    // ours. Kept as text for upstream's key order, and written compact once
    // in that order.
    static const QByteArray compact = [] {
        const QByteArray text = QByteArrayLiteral(R"json(
{
 "filters": {
  "parseRepoUrl": {
   "description": "Splits a RepoUrlPicker value into its host, owner, repository and, where the host has them, organization, workspace or project.",
   "examples": [
    {
     "example": "- id: show-repository\n  action: debug:log\n  input:\n    message: ${{ parameters.repoUrl | parseRepoUrl }}",
     "notes": "- **Input**: `github.com?owner=acme&repo=orders`\n- **Output**: `{\"host\":\"github.com\",\"owner\":\"acme\",\"repo\":\"orders\"}`\n"
    }
   ],
   "schema": {
    "input": {
     "type": "string",
     "description": "repo URL as collected from repository picker",
     "$schema": "http://json-schema.org/draft-07/schema#"
    },
    "output": {
     "type": "object",
     "properties": {
      "repo": {
       "type": "string"
      },
      "host": {
       "type": "string"
      },
      "owner": {
       "type": "string"
      },
      "organization": {
       "type": "string"
      },
      "workspace": {
       "type": "string"
      },
      "project": {
       "type": "string"
      }
     },
     "required": [
      "repo",
      "host"
     ],
     "additionalProperties": false,
     "description": "`RepoSpec`",
     "$schema": "http://json-schema.org/draft-07/schema#"
    }
   }
  },
  "parseEntityRef": {
   "description": "Splits an entity reference into kind, namespace and name, filling in defaults where the reference leaves them out.",
   "examples": [
    {
     "description": "A full reference",
     "example": "- id: show-owner\n  action: debug:log\n  input:\n    message: ${{ parameters.owner | parseEntityRef }}\n",
     "notes": "- **Input**: `group:team-checkout`\n- **Output**: `{\"kind\": \"group\", \"namespace\": \"default\", \"name\": \"team-checkout\"}`\n"
    },
    {
     "description": "A bare name, with defaults",
     "example": "- id: show-owner\n  action: debug:log\n  input:\n    message: ${{ parameters.owner | parseEntityRef({ defaultKind: 'group', defaultNamespace: 'payments' }) }}\n",
     "notes": "- **Input**: `team-checkout`\n- **Output**: `{\"kind\": \"group\", \"namespace\": \"payments\", \"name\": \"team-checkout\"}`\n"
    }
   ],
   "schema": {
    "input": {
     "anyOf": [
      {
       "type": "string",
       "description": "compact entity reference"
      },
      {
       "type": "object",
       "properties": {
        "kind": {
         "type": "string"
        },
        "namespace": {
         "type": "string"
        },
        "name": {
         "type": "string"
        }
       },
       "required": [
        "name"
       ],
       "additionalProperties": false,
       "description": "`CompoundEntityRef`"
      }
     ],
     "$schema": "http://json-schema.org/draft-07/schema#"
    },
    "arguments": [
     {
      "anyOf": [
       {
        "not": {}
       },
       {
        "type": "object",
        "properties": {
         "defaultKind": {
          "type": "string",
          "description": "The default kind, if none is given in the reference"
         },
         "defaultNamespace": {
          "type": "string",
          "description": "The default namespace, if none is given in the reference"
         }
        },
        "additionalProperties": false
       }
      ],
      "$schema": "http://json-schema.org/draft-07/schema#"
     }
    ],
    "output": {
     "type": "object",
     "properties": {
      "kind": {
       "type": "string"
      },
      "namespace": {
       "type": "string"
      },
      "name": {
       "type": "string"
      }
     },
     "required": [
      "kind",
      "namespace",
      "name"
     ],
     "additionalProperties": false,
     "description": "`CompoundEntityRef`",
     "$schema": "http://json-schema.org/draft-07/schema#"
    }
   }
  },
  "pick": {
   "description": "Takes one property (a dotted path works too) out of an object.",
   "examples": [
    {
     "example": "- id: owner-name\n  action: debug:log\n  input:\n    message: ${{ parameters.owner | parseEntityRef | pick('name') }}",
     "notes": "- **Input**: `{ kind: 'group', namespace: 'default', name: 'team-checkout' }`\n- **Output**: `team-checkout`\n"
    }
   ],
   "schema": {
    "input": {
     "$schema": "http://json-schema.org/draft-07/schema#"
    },
    "arguments": [
     {
      "type": "string",
      "description": "Property",
      "$schema": "http://json-schema.org/draft-07/schema#"
     }
    ],
    "output": {
     "description": "Selected property",
     "$schema": "http://json-schema.org/draft-07/schema#"
    }
   }
  },
  "projectSlug": {
   "description": "Turns a RepoUrlPicker value into an owner/repository slug.",
   "examples": [
    {
     "example": "- id: show-slug\n  action: debug:log\n  input:\n    message: ${{ parameters.repoUrl | projectSlug }}",
     "notes": "- **Input**: `github.com?owner=acme&repo=orders`\n- **Output**: `acme/orders`\n"
    }
   ],
   "schema": {
    "input": {
     "type": "string",
     "description": "repo URL as collected from repository picker",
     "$schema": "http://json-schema.org/draft-07/schema#"
    },
    "output": {
     "type": "string",
     "$schema": "http://json-schema.org/draft-07/schema#"
    }
   }
  }
 },
 "globals": {
  "functions": {},
  "values": {}
 }
}
)json");
        return JsonKeyOrder::fromJson(text).toJson(QJsonDocument::fromJson(text).object());
    }();
    return compact;
}

} // namespace Greenroom::Scaffold
