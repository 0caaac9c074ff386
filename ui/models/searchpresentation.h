// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <search/searchrequest.h>

#include <QString>
#include <QStringList>

namespace Greenroom::Ui {

// What a search result opens: an entity, a template's wizard, or a docs page.
struct SearchTarget
{
    enum class Kind { Entity, Template, Docs };
    Kind kind = Kind::Entity;
    QString entityRef;
    QString docsLocation;   // within the site ("setup/#install"), for docs
};

/*
 * How the desktop shows a search hit: its title with matched words marked,
 * a line of facts (Backstage's chips: kind, type, lifecycle, owner; or whose
 * docs a section is in), and the part of its text around the first match.
 * Hits must have been asked for with HighlightStart/HighlightEnd as tags.
 */
struct SearchResultView
{
    SearchTarget target;
    QString title;     // plain
    QString html;      // for RichTextDelegate
    QString oneLine;   // plain, for compact lists (the Ctrl+K palette)
    QString snippet;   // plain: the text around the first match
};

inline const QString HighlightStart = QStringLiteral("\u0001");
// Where `html` writes its grey: a delegate painting a selected row puts a colour that reads on the selection there.
inline const QString MutedColour = QStringLiteral("#7d7d7d");
inline const QString HighlightEnd = QStringLiteral("\u0002");

SearchResultView presentSearchHit(const Search::SearchHit &hit);

// The part of `marked` (text with highlight tags) around its first match, at
// most about `length` characters, with an ellipsis where it was cut.
QString snippetAround(const QString &marked, int length = 220);

// The filter values an owner filter needs to find `ownerRef` ("group:default/team-a")
// however entities write their owner: "team-a", "group:team-a", "default/team-a" or the full ref.
QStringList ownerFilterValues(const QString &ownerRef);

} // namespace Greenroom::Ui
