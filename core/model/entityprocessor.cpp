// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "entityprocessor.h"

#include "entityref.h"
#include "entityschemas.h"
#include "kinds/kinddefinition.h"
#include "policies/defaultnamespaceentitypolicy.h"
#include "policies/fieldformatentitypolicy.h"
#include "policies/noforeignrootfieldsentitypolicy.h"
#include "policies/schemavalidentitypolicy.h"

#include <QJsonArray>

#include <algorithm>

namespace Greenroom::Model {

namespace {

const QString InputError = QStringLiteral("InputError");

EntityProblem problem(const QString &message, const QString &causeName, const QString &causeMessage,
                      const QStringList &path)
{
    return EntityProblem{InputError, message, causeName, causeMessage, path};
}

// BuiltinKindsEntityProcessor.preProcessEntity: reference arrays made up of
// strings only are sorted by UTF-16 code units, like Array.prototype.sort().
void sortReferenceArrays(QJsonObject &entity)
{
    static const QStringList fields{QStringLiteral("providesApis"), QStringLiteral("consumesApis"),
                                    QStringLiteral("dependsOn"),    QStringLiteral("dependencyOf"),
                                    QStringLiteral("memberOf"),     QStringLiteral("children"),
                                    QStringLiteral("members")};
    const QLatin1StringView specKey("spec");
    if (!entity.value(specKey).isObject())
        return;
    QJsonObject spec = entity.value(specKey).toObject();
    bool changed = false;
    for (const QString &field : fields) {
        const QJsonValue value = spec.value(field);
        if (!value.isArray())
            continue;
        const QJsonArray array = value.toArray();
        if (array.size() < 2)
            continue;
        QStringList strings;
        strings.reserve(array.size());
        for (const QJsonValue &item : array) {
            if (!item.isString())
                break;
            strings.append(item.toString());
        }
        if (strings.size() != array.size() || std::is_sorted(strings.cbegin(), strings.cend()))
            continue;
        std::sort(strings.begin(), strings.end());
        spec.insert(field, QJsonArray::fromStringList(strings));
        changed = true;
    }
    if (changed)
        entity.insert(specKey, spec);
}

// Backstage asks every kind validator in turn; a validator accepts, says
// "not mine" (its only errors at kind/apiVersion are enum mismatches) or
// throws. Once the policies have passed, a validator of another kind always
// has a kind enum mismatch and so always says "not mine", and the Entity half
// of every kind schema is already known to hold. So only the entity's own
// kind needs asking, and only about its kind-specific half: same answers.
std::optional<EntityProblem> checkKind(const QJsonObject &entity, const QString &ref)
{
    const KindDefinition *kind = Kinds::find(entity.value(QLatin1String("kind")).toString());
    if (kind) {
        const QList<SchemaError> errors = EntitySchemas::kindSpecificPart(kind->schema)->validate(entity);
        if (errors.isEmpty())
            return std::nullopt;
        bool soft = false, allEnum = true;
        for (const SchemaError &error : errors) {
            if (error.path.size() == 1
                && (error.path.first() == QLatin1String("kind") || error.path.first() == QLatin1String("apiVersion"))) {
                soft = true;
                allEnum = allEnum && error.keyword == QLatin1String("enum");
            }
        }
        if (!(soft && allEnum)) {
            return problem(QStringLiteral("Processor %1 threw an error while validating the entity %2")
                               .arg(kind->processorName, ref),
                           QStringLiteral("TypeError"), errors.first().describe(true), errors.first().path);
        }
    }
    return EntityProblem{InputError,
                         QStringLiteral("No processor recognized the entity %1 as valid, possibly caused by a foreign "
                                        "kind or apiVersion").arg(ref),
                         {}, {}, {QStringLiteral("kind")}};
}

// `original` is the entity before its arrays were sorted, so an error path
// indexes the array as the author wrote it.
std::optional<EntityProblem> deriveRelations(const QJsonObject &entity, const QJsonObject &original,
                                             const QString &selfRef, QList<Relation> &relations)
{
    const KindDefinition *kind = Kinds::find(entity.value(QLatin1String("kind")).toString());
    if (!kind)
        return std::nullopt;
    const EntityRef self = EntityRef::fromEntity(entity);
    const QJsonObject spec = entity.value(QLatin1String("spec")).toObject();
    for (const RelationField &field : kind->relationFields) {
        const QJsonValue value = spec.value(field.field);
        const QJsonArray targets = value.isArray() ? value.toArray() : QJsonArray{value};
        if (value.isUndefined() || value.isNull() || (value.isString() && value.toString().isEmpty()))
            continue;
        for (qsizetype i = 0; i < targets.size(); ++i) {
            const auto target = EntityRef::parse(targets.at(i).toString(), {field.defaultKind, self.namespaceName()});
            if (!target) {
                QStringList path{QStringLiteral("spec"), field.field};
                if (value.isArray()) {
                    const QJsonArray written = original.value(QLatin1String("spec"))[field.field].toArray();
                    const auto at = std::find(written.begin(), written.end(), targets.at(i));
                    path.append(QString::number(at == written.end() ? i : at - written.begin()));
                }
                return problem(QStringLiteral("Processor %1 threw an error while postprocessing").arg(kind->processorName),
                               target.error().name, target.error().message, path);
            }
            const QString targetRef = target->toString();
            relations.append({selfRef, field.forward, targetRef});
            relations.append({targetRef, field.reverse, selfRef});
        }
    }
    return std::nullopt;
}

} // namespace

ProcessingOutcome EntityProcessor::process(QJsonObject entity)
{
    ProcessingOutcome outcome;
    const QList<SchemaError> envelopeErrors = EntitySchemas::envelope()->validate(entity);
    if (!envelopeErrors.isEmpty()) {
        outcome.problem = problem(QStringLiteral("Entity envelope failed validation before processing"),
                                  QStringLiteral("TypeError"), envelopeErrors.first().describe(true),
                                  envelopeErrors.first().path);
        return outcome;
    }
    const QString ref = EntityRef::canonical(entity);
    const QJsonObject original = entity;

    sortReferenceArrays(entity);

    static const SchemaValidEntityPolicy schemaValid;
    static const DefaultNamespaceEntityPolicy defaultNamespace;
    static const NoForeignRootFieldsEntityPolicy noForeignRootFields;
    static const FieldFormatEntityPolicy fieldFormat;
    static const EntityPolicy *const policies[] = {&schemaValid, &defaultNamespace, &noForeignRootFields, &fieldFormat};
    for (const EntityPolicy *policy : policies) {
        if (auto violation = policy->enforce(entity)) {
            outcome.problem = problem(QStringLiteral("Policy check failed for ") + ref, QStringLiteral("Error"),
                                      violation->message, violation->path);
            return outcome;
        }
    }

    if (auto kindProblem = checkKind(entity, ref)) {
        outcome.problem = kindProblem;
        return outcome;
    }

    outcome.processed.ref = ref;
    if (auto relationProblem = deriveRelations(entity, original, ref, outcome.processed.relations)) {
        outcome.problem = relationProblem;
        return outcome;
    }
    outcome.processed.entity = std::move(entity);
    return outcome;
}

} // namespace Greenroom::Model
