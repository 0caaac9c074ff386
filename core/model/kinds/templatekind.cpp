// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "kindhelpers_p.h"

namespace Greenroom::Model::Kinds {

using namespace Internal;
using namespace Schema;

namespace {

JsonSchema::Ptr permissions()
{
    return object({}, {{QStringLiteral("tags"), arrayOf(string())}});
}

JsonSchema::Ptr stringOrBoolean()
{
    return typed({QStringLiteral("string"), QStringLiteral("boolean")});
}

JsonSchema::Ptr parameters()
{
    auto s = std::make_shared<JsonSchema>();
    s->oneOf = {object({}, {{QStringLiteral("backstage:permissions"), permissions()}}),
                arrayOf(object({}, {{QStringLiteral("when"), stringOrBoolean()},
                                    {QStringLiteral("backstage:permissions"), permissions()}}))};
    return s;
}

JsonSchema::Ptr formDecorators()
{
    return arrayOf(object({}, {{QStringLiteral("id"), string()},
                               {QStringLiteral("input"), typed({QStringLiteral("object")})}}));
}

JsonSchema::Ptr output()
{
    auto links = arrayOf(object({}, {{QStringLiteral("if"), stringOrBoolean()},
                                     {QStringLiteral("url"), string(1)},
                                     {QStringLiteral("entityRef"), string(1)},
                                     {QStringLiteral("title"), string(1)},
                                     {QStringLiteral("icon"), string(1)}}));
    auto text = arrayOf(object({}, {{QStringLiteral("if"), stringOrBoolean()},
                                    {QStringLiteral("title"), string(1)},
                                    {QStringLiteral("icon"), string(1)},
                                    {QStringLiteral("content"), string()}}));
    auto s = std::make_shared<JsonSchema>(*object({}, {{QStringLiteral("links"), links},
                                                       {QStringLiteral("text"), text}}));
    s->additionalProperties = string();
    return s;
}

} // namespace

// Defined by @backstage/plugin-scaffolder-common, validated by the scaffolder's
// catalog processor rather than BuiltinKinds.
const KindDefinition &templateV1beta3()
{
    static const KindDefinition definition = [] {
        const QStringList apiVersions{QStringLiteral("scaffolder.backstage.io/v1beta3")};
        auto step = object({QStringLiteral("action")},
                           {{QStringLiteral("id"), string()},
                            {QStringLiteral("name"), string()},
                            {QStringLiteral("action"), string()},
                            {QStringLiteral("input"), typed({QStringLiteral("object")})},
                            {QStringLiteral("if"), stringOrBoolean()},
                            {QStringLiteral("backstage:permissions"), permissions()}});
        auto spec = object(
            {QStringLiteral("type"), QStringLiteral("steps")},
            {{QStringLiteral("type"), string(1)},
             {QStringLiteral("owner"), string(1)},
             {QStringLiteral("lifecycle"), string(1)},
             {QStringLiteral("parameters"), parameters()},
             {QStringLiteral("secrets"), object({}, {{QStringLiteral("schema"), typed({QStringLiteral("object")})}})},
             {QStringLiteral("presentation"),
              object({}, {{QStringLiteral("buttonLabels"),
                           object({}, {{QStringLiteral("backButtonText"), string()},
                                       {QStringLiteral("createButtonText"), string()},
                                       {QStringLiteral("reviewButtonText"), string()}})}})},
             {QStringLiteral("EXPERIMENTAL_recovery"),
              object({}, {{QStringLiteral("EXPERIMENTAL_strategy"), string()}})},
             {QStringLiteral("formDecorators"), formDecorators()},
             {QStringLiteral("EXPERIMENTAL_formDecorators"), formDecorators()},
             {QStringLiteral("steps"), arrayOf(step)},
             {QStringLiteral("output"), output()}});
        return KindDefinition{QStringLiteral("Template"), apiVersions,
                              EntitySchemas::kind(QStringLiteral("Template"), apiVersions, spec),
                              {ownerField()},
                              QStringLiteral("ScaffolderEntitiesProcessor")};
    }();
    return definition;
}

} // namespace Greenroom::Model::Kinds
