// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "jsonstringify.h"

#include <QJsonArray>
#include <QJsonObject>

#include <cmath>

namespace Greenroom {

namespace {

void appendString(QString &out, const QString &text)
{
    out += QLatin1Char('"');
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        const char16_t u = c.unicode();
        switch (u) {
        case u'"': out += QLatin1String("\\\""); continue;
        case u'\\': out += QLatin1String("\\\\"); continue;
        case u'\b': out += QLatin1String("\\b"); continue;
        case u'\f': out += QLatin1String("\\f"); continue;
        case u'\n': out += QLatin1String("\\n"); continue;
        case u'\r': out += QLatin1String("\\r"); continue;
        case u'\t': out += QLatin1String("\\t"); continue;
        default: break;
        }
        // Control characters, and (well-formed JSON.stringify) lone surrogates.
        const bool pairedHigh = c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate();
        const bool pairedLow = c.isLowSurrogate() && i > 0 && text.at(i - 1).isHighSurrogate();
        if (u < 0x20 || (c.isSurrogate() && !pairedHigh && !pairedLow))
            out += QStringLiteral("\\u%1").arg(u, 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    out += QLatin1Char('"');
}

void append(QString &out, const QJsonValue &value, const QString &indent, const QString &margin)
{
    // An object's or array's members, one per line when indented; "{}" and
    // "[]" when there are none.
    auto members = [&](QChar open, QChar close, qsizetype count, const auto &member) {
        out += open;
        if (count > 0) {
            const QString inner = margin + indent;
            for (qsizetype i = 0; i < count; ++i) {
                if (i > 0)
                    out += QLatin1Char(',');
                if (!indent.isEmpty())
                    out += QLatin1Char('\n') + inner;
                member(i, inner);
            }
            if (!indent.isEmpty())
                out += QLatin1Char('\n') + margin;
        }
        out += close;
    };
    switch (value.type()) {
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        const QStringList keys = object.keys();
        members(QLatin1Char('{'), QLatin1Char('}'), keys.size(), [&](qsizetype i, const QString &inner) {
            appendString(out, keys.at(i));
            out += indent.isEmpty() ? QStringLiteral(":") : QStringLiteral(": ");
            append(out, object.value(keys.at(i)), indent, inner);
        });
        return;
    }
    case QJsonValue::Array: {
        const QJsonArray array = value.toArray();
        members(QLatin1Char('['), QLatin1Char(']'), array.size(),
                [&](qsizetype i, const QString &inner) { append(out, array.at(i), indent, inner); });
        return;
    }
    case QJsonValue::String: appendString(out, value.toString()); return;
    case QJsonValue::Double: out += javaScriptNumber(value.toDouble()); return;
    case QJsonValue::Bool: out += value.toBool() ? QLatin1String("true") : QLatin1String("false"); return;
    case QJsonValue::Null:
    case QJsonValue::Undefined: out += QLatin1String("null"); return;
    }
}

} // namespace

QString javaScriptNumber(double number)
{
    if (!std::isfinite(number))
        return QStringLiteral("null");
    if (number == 0)
        return QStringLiteral("0");   // -0 too
    // The shortest digits that read back as `number`, and its exponent:
    // "d.ddde±x" from Qt, then laid out by ECMAScript's Number::toString.
    const QString scientific = QString::number(std::fabs(number), 'e', QLocale::FloatingPointShortest);
    const qsizetype e = scientific.indexOf(QLatin1Char('e'));
    QString digits = scientific.left(e).remove(QLatin1Char('.'));
    const int exponent = scientific.mid(e + 1).toInt();
    while (digits.size() > 1 && digits.endsWith(QLatin1Char('0')))
        digits.chop(1);
    const int k = int(digits.size());
    const int n = exponent + 1;   // the decimal point sits after n digits
    QString text;
    if (k <= n && n <= 21)
        text = digits + QString(n - k, QLatin1Char('0'));
    else if (0 < n && n <= 21)
        text = digits.left(n) + QLatin1Char('.') + digits.mid(n);
    else if (-6 < n && n <= 0)
        text = QLatin1String("0.") + QString(-n, QLatin1Char('0')) + digits;
    else {
        const QString power = (n - 1 >= 0 ? QLatin1String("+") : QLatin1String("-")) + QString::number(std::abs(n - 1));
        text = digits.left(1) + (k > 1 ? QLatin1Char('.') + digits.mid(1) : QString()) + QLatin1Char('e') + power;
    }
    return number < 0 ? QLatin1Char('-') + text : text;
}

QString jsonStringify(const QJsonValue &value, const QString &indent)
{
    QString out;
    append(out, value, indent.left(10), QString());
    return out;
}

} // namespace Greenroom
