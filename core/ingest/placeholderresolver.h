// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <model/entityproblem.h>

#include <QJsonObject>
#include <QString>
#include <optional>

namespace Greenroom::Ingest {

/*
 * Backstage's PlaceholderProcessor for file locations: an object with the
 * single key `$text`, `$json` or `$yaml` is replaced by the content of the file
 * it names (relative to the entity's file): as a string, parsed JSON, or the
 * one document of a YAML file. Paths may not leave `allowedRoot`, so a catalog
 * file cannot pull in arbitrary files of the server.
 */
class PlaceholderResolver
{
public:
    PlaceholderResolver(QString entityFile, QString allowedRoot, qint64 maxBytes);

    // Resolves in place; on failure describes it as Backstage does.
    std::optional<Model::EntityProblem> resolve(QJsonObject &entity) const;

private:
    QString m_entityFile;
    QString m_allowedRoot;
    qint64 m_maxBytes;
};

} // namespace Greenroom::Ingest
