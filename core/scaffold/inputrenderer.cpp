// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "inputrenderer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Greenroom::Scaffold {

namespace {

// JSON.parse of a block statement's output; nullopt when it is not JSON.
std::optional<QJsonValue> parseJson(const QString &text)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray("[") + text.toUtf8() + "]", &error);
    if (error.error != QJsonParseError::NoError || !document.isArray() || document.array().size() != 1)
        return std::nullopt;
    return document.array().first();
}

QJsonValue renderString(const QString &text, const QJsonObject &context, const TemplateEnvironment &environment, const QString &where,
                        QList<RenderProblem> *problems)
{
    if (!text.contains(environment.syntax.variableStart) && !text.contains(QLatin1String("{%")) && !text.contains(QLatin1String("{#")))
        return text;
    auto report = [&](const Error &error) {
        if (problems)
            problems->append({where, error});
        return QJsonValue(text);   // rule 4: the template text stays
    };
    auto parsed = Template::parse(text, environment, where);
    if (!parsed)
        return report(parsed.error());
    if (parsed->isSingleExpression()) {
        auto value = parsed->evaluateSingleExpression(context);
        if (!value)
            return report(value.error());
        // JSON has no undefined: an undefined value drops the key; "" stays "".
        return value.value();
    }
    auto rendered = parsed->render(context);
    if (!rendered)
        return report(rendered.error());
    if (rendered->isEmpty())
        return QJsonValue(QJsonValue::Undefined);
    if (parsed->isSingleBlock()) {
        if (const std::optional<QJsonValue> json = parseJson(rendered.value()))
            return *json;
    }
    return rendered.value();
}

} // namespace

QJsonValue renderTemplatedValue(const QJsonValue &input, const QJsonObject &context, const TemplateEnvironment &environment,
                                const QString &where, QList<RenderProblem> *problems)
{
    if (input.isString())
        return renderString(input.toString(), context, environment, where, problems);
    if (input.isObject()) {
        const QJsonObject object = input.toObject();
        QJsonObject out;
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QJsonValue value = renderTemplatedValue(it.value(), context, environment, where + QLatin1Char('.') + it.key(), problems);
            if (!value.isUndefined())
                out.insert(it.key(), value);
        }
        return out;
    }
    if (input.isArray()) {
        const QJsonArray array = input.toArray();
        QJsonArray out;
        for (qsizetype i = 0; i < array.size(); ++i)
            out.append(renderTemplatedValue(array.at(i), context, environment, QStringLiteral("%1[%2]").arg(where).arg(i), problems));
        return out;
    }
    return input;
}

} // namespace Greenroom::Scaffold
