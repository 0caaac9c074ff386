// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "yamldocument.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
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
 * libyaml parses, being about eight times faster than yaml-cpp (a 37 MB file
 * of 100,000 entities: 0.8 s against 6.7 s); yaml-cpp reads again whatever
 * libyaml cannot read as yaml-cpp would (a syntax error, a document our rules
 * refuse, text where the two disagree on lines), so errors are yaml-cpp's.
 * Where yaml-cpp would go round forever on a token it cannot place (a ','
 * outside any flow collection), the stream ends with an error there.
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

// A run of whole documents of a stream, bytes [begin, end), whose first line
// is line `firstLine` (1-based) of the stream.
struct StreamPart
{
    qsizetype begin = 0;
    qsizetype end = 0;
    int firstLine = 1;
    bool markerFollows = false;   // the stream goes on, with a "---" line
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
    // False when a syntax error ended the stream early.
    static bool readEach(QByteArrayView text, const QString &sourceName, const YamlLimits &limits,
                         const std::function<void(YamlDocument &&document)> &each);
    // Cuts a stream into about `count` parts that parse apart, each cut at a
    // line that starts a document ("---"), so big files parse in parallel.
    // Each part read with readPart gives the documents, lines and errors one
    // read of the whole gives, up to the first syntax error (a read of the
    // whole stops there: so must its parts'). One part, the whole, when the
    // stream has directives (%YAML, %TAG), is UTF-16 or UTF-32, or has bare
    // CR line breaks.
    static QList<StreamPart> partsOf(const QByteArray &text, int count);
    // One part of `stream`, as partsOf cut it; false as readEach.
    static bool readPart(const QByteArray &stream, const StreamPart &part, const QString &sourceName, const YamlLimits &limits,
                         const std::function<void(YamlDocument &&document)> &each);
};

} // namespace Greenroom::Yaml
