// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>
#include <model/entityproblem.h>

#include <QJsonObject>
#include <QString>
#include <functional>
#include <optional>

namespace Greenroom::Ingest {

/*
 * Backstage's PlaceholderProcessor: an object with the single key `$text`,
 * `$json` or `$yaml` is replaced by the content of what it names, relative to
 * the entity's own file (or URL, or file in a git repository): as a string,
 * parsed JSON, or the one document of a YAML file.
 */
class PlaceholderResolver
{
public:
    // Reads what a placeholder names (`reference` as written); an error's
    // message says why it could not ("it is outside /srv/catalog", ...).
    using Reader = std::function<Result<QByteArray>(const QString &reference)>;
    explicit PlaceholderResolver(Reader reader);

    // Files next to `entityFile`; paths may not leave `allowedRoot`, so a
    // catalog file cannot pull in arbitrary files of the server.
    static Reader fileReader(const QString &entityFile, const QString &allowedRoot, qint64 maxBytes);

    // Resolves in place; on failure describes it as Backstage does.
    std::optional<Model::EntityProblem> resolve(QJsonObject &entity) const;

private:
    Reader m_reader;
};

} // namespace Greenroom::Ingest
