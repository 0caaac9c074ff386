// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "yamldocument.h"

#include <QByteArray>
#include <QString>

#include <functional>

namespace Greenroom::Yaml {

/*
 * Reads YAML the way Backstage's catalog does (the `yaml` npm package with its
 * defaults): YAML 1.2 core schema (so `yes`/`on` stay strings), several
 * documents per stream, duplicate keys rejected, merge keys (`<<`) kept as
 * ordinary keys, and alias expansion bounded against "billion laughs" inputs.
 * Nesting is bounded too, so nothing downstream needs deep recursion.
 *
 * Stateless; safe to call from several threads at once.
 */
struct YamlLimits
{
    int maxDepth = 256;          // nested collections per document
    int maxAliasCount = 100;     // same rule and default as the `yaml` package
    // PyYAML-style files (mkdocs.yml) carry application tags such as
    // `!!python/name:pymdownx.emoji.to_svg` or `!ENV`. When set, a scalar with
    // a tag outside YAML's core schema becomes {"!tag": "<tag>", "value": "<text>"}
    // and a tagged map gains a "!tag" member, so the reader can judge the tag.
    bool keepCustomTags = false;
};

class YamlReader
{
public:
    // `sourceName` is used in error messages only (file path or location ref).
    static YamlStream read(const QByteArray &text, const QString &sourceName,
                           const YamlLimits &limits = {});
    // The same documents one at a time, as they are parsed, so a file of
    // 100,000 documents is never held as a whole (a broken one, with its
    // error, is the last).
    static void readEach(const QByteArray &text, const QString &sourceName, const YamlLimits &limits,
                         const std::function<void(YamlDocument &&document)> &each);
};

} // namespace Greenroom::Yaml
