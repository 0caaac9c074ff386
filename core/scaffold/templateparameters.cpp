// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "templateparameters.h"

#include "templatelanguage.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <valijson/adapters/qtjson_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <cmath>
#include <stdexcept>

namespace Greenroom::Scaffold {

namespace {

const QString DefaultPageTitle = QStringLiteral("Please enter the following information");

// valijson's context ["<root>", "[nested]", "[0]"] as "nested[0]".
QString fieldOf(const std::vector<std::string> &context)
{
    QString field;
    for (const std::string &part : context) {
        QString text = QString::fromStdString(part);
        if (text == QLatin1String("<root>"))
            continue;
        if (text.startsWith(QLatin1Char('[')) && text.endsWith(QLatin1Char(']')))
            text = text.mid(1, text.size() - 2);
        bool isIndex = false;
        text.toInt(&isIndex);
        if (isIndex)
            field += QLatin1Char('[') + text + QLatin1Char(']');
        else
            field += (field.isEmpty() ? QString() : QStringLiteral(".")) + text;
    }
    return field;
}

// The sub-schema of `field` within a page schema (through properties and items).
QJsonObject schemaAt(const QJsonObject &schema, const QString &field)
{
    QJsonObject current = schema;
    static const QRegularExpression part(QStringLiteral("[^.\\[\\]]+"));
    QRegularExpressionMatchIterator it = part.globalMatch(field);
    while (it.hasNext()) {
        const QString key = it.next().captured(0);
        bool isIndex = false;
        key.toInt(&isIndex);
        current = isIndex ? current.value(QLatin1String("items")).toObject()
                          : current.value(QLatin1String("properties")).toObject().value(key).toObject();
    }
    return current;
}

// The enum as JavaScript's Array.toString() prints it in jsonschema's message.
QString joined(const QJsonArray &values)
{
    QStringList parts;
    for (const QJsonValue &value : values) {
        if (value.isString())
            parts.append(value.toString());
        else if (value.isBool())
            parts.append(value.toBool() ? QStringLiteral("true") : QStringLiteral("false"));
        else if (value.isDouble())
            parts.append(std::trunc(value.toDouble()) == value.toDouble() && std::abs(value.toDouble()) < 1e21
                             ? QString::number(qint64(value.toDouble()))
                             : QString::number(value.toDouble(), 'g', 17));
        else if (value.isArray())
            parts.append(joined(value.toArray()));
        else if (value.isObject())
            parts.append(QStringLiteral("[object Object]"));
        else
            parts.append(QString());   // null
    }
    return parts.join(QLatin1Char(','));
}

// valijson's description of a failure as a keyword and a message in the
// words of Backstage's validator (jsonschema); nullopt for the summaries
// valijson adds above the failure itself.
std::optional<ParameterProblem> problemOf(const std::string &description, const QString &field, const QJsonObject &pageSchema)
{
    const QString text = QString::fromStdString(description);
    const QJsonObject schema = schemaAt(pageSchema, field);
    auto number = [&text]() {
        static const QRegularExpression digits(QStringLiteral("(-?[0-9]+)"));
        return digits.match(text).captured(1);
    };
    // The bound as the schema writes it (valijson prints doubles with six decimals).
    auto bound = [&schema](const char *keyword) {
        const double value = schema.value(QLatin1String(keyword)).toDouble();
        return QString::number(value, 'g', 15);
    };
    ParameterProblem problem;
    problem.field = field;
    if (text.startsWith(QLatin1String("Missing required property '"))) {
        const QString name = text.section(QLatin1Char('\''), 1, 1);
        problem.field = field.isEmpty() ? name : field + QLatin1Char('.') + name;
        problem.keyword = QStringLiteral("required");
        problem.message = QStringLiteral("is a required property");
    } else if (text.startsWith(QLatin1String("Failed to match regex"))) {
        problem.keyword = QStringLiteral("pattern");
        problem.message = QStringLiteral("does not match pattern \"%1\"").arg(schema.value(QLatin1String("pattern")).toString());
    } else if (text.startsWith(QLatin1String("Failed to match against any enum values"))) {
        problem.keyword = QStringLiteral("enum");
        problem.message = QStringLiteral("is not one of enum values: %1").arg(joined(schema.value(QLatin1String("enum")).toArray()));
    } else if (text.startsWith(QLatin1String("Failed to match expected value set by 'const'"))) {
        problem.keyword = QStringLiteral("const");
        problem.message = QStringLiteral("does not exactly match expected constant");
    } else if (text.startsWith(QLatin1String("Value type not permitted"))) {
        problem.keyword = QStringLiteral("type");
        const QJsonValue type = schema.value(QLatin1String("type"));
        problem.message = QStringLiteral("is not of a type(s) %1").arg(type.isArray() ? joined(type.toArray()) : type.toString());
    } else if (text.startsWith(QLatin1String("String should be no fewer than"))) {
        problem.keyword = QStringLiteral("minLength");
        problem.message = QStringLiteral("does not meet minimum length of %1").arg(number());
    } else if (text.startsWith(QLatin1String("String should be no more than"))) {
        problem.keyword = QStringLiteral("maxLength");
        problem.message = QStringLiteral("does not meet maximum length of %1").arg(number());
    } else if (text.startsWith(QLatin1String("Array should contain no fewer than"))) {
        problem.keyword = QStringLiteral("minItems");
        problem.message = QStringLiteral("does not meet minimum length of %1").arg(number());
    } else if (text.startsWith(QLatin1String("Array should contain no more than"))) {
        problem.keyword = QStringLiteral("maxItems");
        problem.message = QStringLiteral("does not meet maximum length of %1").arg(number());
    } else if (text.startsWith(QLatin1String("Expected number greater than or equal to"))) {
        problem.keyword = QStringLiteral("minimum");
        problem.message = QStringLiteral("must be greater than or equal to %1").arg(bound("minimum"));
    } else if (text.startsWith(QLatin1String("Expected number greater than"))) {
        problem.keyword = QStringLiteral("exclusiveMinimum");
        problem.message = QStringLiteral("must be greater than %1").arg(bound("exclusiveMinimum"));
    } else if (text.startsWith(QLatin1String("Expected number less than or equal to"))) {
        problem.keyword = QStringLiteral("maximum");
        problem.message = QStringLiteral("must be less than or equal to %1").arg(bound("maximum"));
    } else if (text.startsWith(QLatin1String("Expected number less than"))) {
        problem.keyword = QStringLiteral("exclusiveMaximum");
        problem.message = QStringLiteral("must be less than %1").arg(bound("exclusiveMaximum"));
    } else if (text.contains(QLatin1String("violate uniqueness constraint"))) {
        problem.keyword = QStringLiteral("uniqueItems");
        problem.message = QStringLiteral("contains duplicate item");
    } else if (text.startsWith(QLatin1String("Missing dependency '"))) {
        problem.keyword = QStringLiteral("dependencies");
        problem.message = QStringLiteral("property %1 not found, required by %2").arg(text.section(QLatin1Char('\''), 1, 1), field);
    } else if (text.startsWith(QLatin1String("Failed to validate against exactly one child schema")) ||
               text.contains(QLatin1String("child schemas allowed by oneOf"))) {
        problem.keyword = QStringLiteral("oneOf");
        problem.message = QStringLiteral("is not exactly one from the allowed choices");
    } else if (text.startsWith(QLatin1String("Failed to validate against any schemas allowed by anyOf"))) {
        problem.keyword = QStringLiteral("anyOf");
        problem.message = QStringLiteral("is not any of the allowed choices");
    } else if (text.startsWith(QLatin1String("Failed to validate against schema associated with property name")) ||
               text.startsWith(QLatin1String("Failed to validate item #")) || text.startsWith(QLatin1String("Failed to validate against child schema #")) ||
               text.startsWith(QLatin1String("Failed to validate against dependent schema")) ||
               text.startsWith(QLatin1String("Failed to validate against a conditional schema"))) {
        return std::nullopt;   // a summary of the failures reported below it
    } else {
        problem.keyword = QStringLiteral("schema");
        problem.message = text;
    }
    return problem;
}

// The page object as a validation schema: `when` is Backstage's, not JSON Schema's.
QJsonObject validationSchema(const ParameterPage &page)
{
    QJsonObject schema = page.schema;
    if (!schema.contains(QLatin1String("type")))
        schema.insert(QStringLiteral("type"), QStringLiteral("object"));
    return schema;
}

void fillDefaults(QJsonObject &values, const QJsonObject &schema)
{
    const QJsonObject properties = schema.value(QLatin1String("properties")).toObject();
    for (auto it = properties.begin(); it != properties.end(); ++it) {
        const QJsonObject property = it.value().toObject();
        if (!values.contains(it.key()) && property.contains(QLatin1String("default")))
            values.insert(it.key(), property.value(QLatin1String("default")));
        if (property.value(QLatin1String("type")).toString() == QLatin1String("object")
            && (values.value(it.key()).isObject() || property.contains(QLatin1String("properties")))) {
            QJsonObject nested = values.value(it.key()).toObject();
            fillDefaults(nested, property);
            if (!nested.isEmpty() || values.contains(it.key()))
                values.insert(it.key(), nested);
        }
    }
}

} // namespace

QString ParameterProblem::stack() const
{
    // jsonschema names the object that lacks a required property, not the property.
    if (keyword == QLatin1String("required")) {
        const qsizetype dot = field.lastIndexOf(QLatin1Char('.'));
        const QString parent = dot < 0 ? QString() : field.left(dot);
        return (parent.isEmpty() ? QStringLiteral("instance") : QStringLiteral("instance.") + parent)
               + QStringLiteral(" requires property \"%1\"").arg(field.mid(dot + 1));
    }
    return (field.isEmpty() ? QStringLiteral("instance") : QStringLiteral("instance.") + field) + QLatin1Char(' ') + message;
}

QList<ParameterPage> parameterPages(const QJsonObject &templateEntity, const JsonKeyOrder &keyOrder)
{
    const QJsonValue parameters = templateEntity.value(QLatin1String("spec"))[QLatin1String("parameters")];
    const QString parametersPath = JsonKeyOrder::path({QStringLiteral("spec"), QStringLiteral("parameters")});
    QJsonArray list = parameters.isArray() ? parameters.toArray() : QJsonArray();
    if (parameters.isObject())
        list.append(parameters);
    QList<ParameterPage> pages;
    for (const QJsonValue &value : std::as_const(list)) {
        QJsonObject schema = value.toObject();
        ParameterPage page;
        page.title = schema.value(QLatin1String("title")).toString(DefaultPageTitle);
        page.description = schema.value(QLatin1String("description")).toString();
        page.when = schema.contains(QLatin1String("when")) ? schema.value(QLatin1String("when")) : QJsonValue(QJsonValue::Undefined);
        schema.remove(QStringLiteral("when"));
        page.schema = schema;
        if (!keyOrder.isEmpty())
            page.keyOrder = keyOrder.below(parameters.isArray() ? JsonKeyOrder::childPath(parametersPath, QString::number(pages.size())) : parametersPath);
        pages.append(page);
    }
    return pages;
}

QList<ParameterProblem> validatePage(const QJsonObject &values, const ParameterPage &page)
{
    QList<ParameterProblem> problems;
    const QJsonValue schemaDocument = validationSchema(page);
    valijson::Schema schema;
    try {
        valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
        valijson::adapters::QtJsonAdapter schemaAdapter(schemaDocument);
        parser.populateSchema(schemaAdapter, schema);
    } catch (const std::exception &error) {
        problems.append({QString(), QStringLiteral("schema"),
                         QStringLiteral("the page \"%1\" is not a valid JSON Schema: %2").arg(page.title, QString::fromUtf8(error.what()))});
        return problems;
    }
    valijson::Validator validator(valijson::Validator::kStrongTypes);
    valijson::ValidationResults results;
    const QJsonValue document(values);
    valijson::adapters::QtJsonAdapter target(document);
    if (validator.validate(schema, target, &results))
        return problems;
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
        if (auto problem = problemOf(error.description, fieldOf(error.context), page.schema)) {
            const bool seen = std::any_of(problems.cbegin(), problems.cend(), [&](const ParameterProblem &p) {
                return p.field == problem->field && p.keyword == problem->keyword;
            });
            if (!seen)
                problems.append(*problem);
        }
    }
    // In a oneOf/anyOf (the forms' dependencies), the branches whose `const`
    // selector did not match are not mistakes to show; the chosen branch's are.
    const bool choice = std::any_of(problems.cbegin(), problems.cend(), [](const ParameterProblem &p) {
        return p.keyword == QLatin1String("oneOf") || p.keyword == QLatin1String("anyOf");
    });
    if (choice)
        problems.removeIf([](const ParameterProblem &p) { return p.keyword == QLatin1String("const"); });
    return problems;
}

bool pageCondition(const QJsonValue &when, const QJsonObject &values)
{
    if (when.isUndefined() || when.isNull())
        return true;
    if (when.isBool())
        return when.toBool();
    if (!when.isString())
        return true;
    const QString expression = when.toString().trimmed();
    if (expression.isEmpty())
        return true;
    const QString source = expression.startsWith(QLatin1String("${{")) ? expression : QStringLiteral("${{ %1 }}").arg(expression);
    auto parsed = Template::parse(source, {}, QStringLiteral("when"));
    if (!parsed)
        return true;   // a condition that cannot be read shows the page, as upstream does
    const QJsonObject context{{QStringLiteral("parameters"), values}};
    QJsonValue result;
    if (parsed->isSingleExpression()) {
        auto value = parsed->evaluateSingleExpression(context);
        if (!value)
            return true;
        result = value.value();
    } else {
        auto text = parsed->render(context);
        if (!text)
            return true;
        result = text.value();
    }
    return result.isArray() ? !result.toArray().isEmpty() : templateTruthy(result);
}

namespace {

QStringList declaredProperties(const QJsonObject &schema)
{
    QStringList names = schema.value(QLatin1String("properties")).toObject().keys();
    for (const char *keyword : {"allOf", "anyOf", "oneOf"}) {
        for (const QJsonValue &part : schema.value(QLatin1String(keyword)).toArray())
            names += declaredProperties(part.toObject());
    }
    for (const char *keyword : {"then", "else"}) {
        if (schema.value(QLatin1String(keyword)).isObject())
            names += declaredProperties(schema.value(QLatin1String(keyword)).toObject());
    }
    const QJsonObject dependencies = schema.value(QLatin1String("dependencies")).toObject();
    for (auto it = dependencies.begin(); it != dependencies.end(); ++it) {
        if (it.value().isObject())
            names += declaredProperties(it.value().toObject());
    }
    return names;
}

// The values without what only hidden pages declare.
QJsonObject visibleValues(const QJsonObject &values, const QList<ParameterPage> &pages, const QList<bool> &visible)
{
    QStringList shown, hidden;
    for (qsizetype i = 0; i < visible.size(); ++i)
        (visible.at(i) ? shown : hidden) += declaredProperties(pages.at(i).schema);
    QJsonObject kept = values;
    for (const QString &name : std::as_const(hidden)) {
        if (!shown.contains(name))
            kept.remove(name);
    }
    return kept;
}

} // namespace

ResolvedPages resolvePages(const QJsonObject &values, const QList<ParameterPage> &pages)
{
    ResolvedPages resolved;
    const bool conditions = std::any_of(pages.begin(), pages.end(), [](const ParameterPage &page) { return page.when.isString() || page.when.isBool(); });
    if (!conditions) {
        resolved.visible = QList<bool>(pages.size(), true);
        resolved.values = values;
        return resolved;
    }
    for (const ParameterPage &page : pages) {
        const bool conditional = page.when.isString() || page.when.isBool();
        resolved.visible.append(!conditional || pageCondition(page.when, visibleValues(values, pages, resolved.visible)));
    }
    resolved.values = visibleValues(values, pages, resolved.visible);
    return resolved;
}

QList<ParameterProblem> validateParameters(const QJsonObject &values, const QList<ParameterPage> &pages)
{
    const ResolvedPages resolved = resolvePages(values, pages);
    for (qsizetype i = 0; i < pages.size(); ++i) {
        if (!resolved.visible.at(i))
            continue;   // a hidden page is not checked
        const QList<ParameterProblem> problems = validatePage(values, pages.at(i));
        if (!problems.isEmpty())
            return problems;
    }
    return {};
}

QJsonObject withDefaults(const QJsonObject &values, const QList<ParameterPage> &pages)
{
    QJsonObject filled = values;
    for (const ParameterPage &page : pages)
        fillDefaults(filled, page.schema);
    return filled;
}

} // namespace Greenroom::Scaffold
