// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "entityschemas.h"

namespace Greenroom::Model::EntitySchemas {

using namespace Schema;

namespace {

JsonSchema::Ptr stringMap()
{
    auto s = std::make_shared<JsonSchema>();
    s->types = {QStringLiteral("object")};
    s->allKeys = string();
    return s;
}

JsonSchema::Ptr entityMeta()
{
    auto link = object({QStringLiteral("url")},
                       {{QStringLiteral("url"), string(1)},
                        {QStringLiteral("title"), string(1)},
                        {QStringLiteral("icon"), string(1)},
                        {QStringLiteral("type"), string(1)}});
    return object({QStringLiteral("name")},
                  {{QStringLiteral("uid"), string(1)},
                   {QStringLiteral("etag"), string(1)},
                   {QStringLiteral("name"), string(1)},
                   {QStringLiteral("namespace"), string(1)},
                   {QStringLiteral("title"), string(1)},
                   {QStringLiteral("description"), string()},
                   {QStringLiteral("labels"), stringMap()},
                   {QStringLiteral("annotations"), stringMap()},
                   {QStringLiteral("tags"), arrayOf(string(1))},
                   {QStringLiteral("links"), arrayOf(link)}});
}

JsonSchema::Ptr relation()
{
    auto type = std::make_shared<JsonSchema>(*string(1));
    type->pattern = QStringLiteral("^\\w+$");
    auto reference = std::make_shared<JsonSchema>(*object(
        {QStringLiteral("kind"), QStringLiteral("namespace"), QStringLiteral("name")},
        {{QStringLiteral("kind"), string(1)},
         {QStringLiteral("namespace"), string(1)},
         {QStringLiteral("name"), string(1)}}));
    reference->forbidAdditionalProperties = true;
    auto s = std::make_shared<JsonSchema>(*object(
        {QStringLiteral("type"), QStringLiteral("targetRef")},
        {{QStringLiteral("type"), type},
         {QStringLiteral("target"), reference},
         {QStringLiteral("targetRef"), string(1)}}));
    s->forbidAdditionalProperties = true;
    return s;
}

JsonSchema::Ptr status()
{
    auto level = std::make_shared<JsonSchema>(*string());
    level->enumValues = {QStringLiteral("info"), QStringLiteral("warning"), QStringLiteral("error")};
    auto error = object({QStringLiteral("name"), QStringLiteral("message")},
                        {{QStringLiteral("name"), string(1)},
                         {QStringLiteral("message"), string()},
                         {QStringLiteral("code"), string()},
                         {QStringLiteral("stack"), string()}});
    auto item = object({QStringLiteral("type"), QStringLiteral("level"), QStringLiteral("message")},
                       {{QStringLiteral("type"), string(1)},
                        {QStringLiteral("level"), level},
                        {QStringLiteral("message"), string()},
                        {QStringLiteral("error"), error}});
    return object({}, {{QStringLiteral("items"), arrayOf(item)}});
}

} // namespace

JsonSchema::Ptr envelope()
{
    static const JsonSchema::Ptr schema = object(
        {QStringLiteral("apiVersion"), QStringLiteral("kind"), QStringLiteral("metadata")},
        {{QStringLiteral("apiVersion"), string(1)},
         {QStringLiteral("kind"), string(1)},
         {QStringLiteral("metadata"), object({QStringLiteral("name")},
                                             {{QStringLiteral("name"), string(1)},
                                              {QStringLiteral("namespace"), string(1)}})}});
    return schema;
}

JsonSchema::Ptr entity()
{
    static const JsonSchema::Ptr schema = [] {
        auto s = std::make_shared<JsonSchema>(*object(
            {QStringLiteral("apiVersion"), QStringLiteral("kind"), QStringLiteral("metadata")},
            {{QStringLiteral("apiVersion"), string(1)},
             {QStringLiteral("kind"), string(1)},
             {QStringLiteral("metadata"), entityMeta()},
             {QStringLiteral("spec"), typed({QStringLiteral("object")})},
             {QStringLiteral("relations"), arrayOf(relation())},
             {QStringLiteral("status"), status()}}));
        s->forbidAdditionalProperties = true;
        return JsonSchema::Ptr(s);
    }();
    return schema;
}

JsonSchema::Ptr kind(const QString &kind, const QStringList &apiVersions, JsonSchema::Ptr spec)
{
    auto specific = object({QStringLiteral("spec")},
                           {{QStringLiteral("apiVersion"), enumOf(apiVersions)},
                            {QStringLiteral("kind"), enumOf({kind})},
                            {QStringLiteral("spec"), std::move(spec)}});
    return allOf({entity(), specific});
}

JsonSchema::Ptr kindSpecificPart(const JsonSchema::Ptr &kindSchema)
{
    return kindSchema->allOf.size() == 2 ? kindSchema->allOf.at(1) : kindSchema;
}

} // namespace Greenroom::Model::EntitySchemas
