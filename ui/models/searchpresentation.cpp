// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "searchpresentation.h"

#include <model/entityref.h>
#include <search/searchdocuments.h>

#include <QJsonDocument>
#include <QJsonObject>

namespace Greenroom::Ui {

namespace {

// Escaped for rich text, the highlight tags as marks.
QString markedHtml(const QString &marked)
{
    QString html = marked.toHtmlEscaped();
    html.replace(HighlightStart, QStringLiteral("<span style=\"background-color:#f6e05e; color:#1a1a1a\">"));
    html.replace(HighlightEnd, QStringLiteral("</span>"));
    return html;
}

QString plain(QString marked)
{
    return marked.remove(HighlightStart).remove(HighlightEnd);
}

} // namespace

QString snippetAround(const QString &marked, int length)
{
    const qsizetype match = marked.indexOf(HighlightStart);
    if (marked.size() <= length)
        return marked;
    qsizetype start = match < 0 ? 0 : std::max<qsizetype>(0, match - length / 3);
    // Start and end at word boundaries, never inside a mark.
    while (start > 0 && !marked.at(start - 1).isSpace())
        --start;
    qsizetype end = std::min<qsizetype>(marked.size(), start + length);
    while (end < marked.size() && !marked.at(end).isSpace())
        ++end;
    QString cut = marked.mid(start, end - start);
    if (cut.count(HighlightStart) > cut.count(HighlightEnd))
        cut += HighlightEnd;
    return (start > 0 ? QStringLiteral("… ") : QString()) + cut + (end < marked.size() ? QStringLiteral(" …") : QString());
}

SearchResultView presentSearchHit(const Search::SearchHit &hit)
{
    const QJsonObject document = QJsonDocument::fromJson(hit.document).object();
    QHash<QString, QString> marked;
    for (const auto &[field, text] : hit.highlights)
        marked.insert(field, text);
    // MkDocs' page texts keep the headings' permalink marks (¶); they say nothing here.
    const auto field = [&](const char *name) {
        const QString key = QString::fromLatin1(name);
        return marked.value(key, document.value(key).toVariant().toString()).remove(QChar(0xb6));
    };

    SearchResultView view;
    view.target.entityRef = hit.entityRef;
    view.title = plain(field("title"));
    QStringList facts;
    if (hit.type == Search::techDocsType()) {
        view.target.kind = SearchTarget::Kind::Docs;
        view.target.docsLocation = document.value(QLatin1String("path")).toString();
        const QString entityTitle = document.value(QLatin1String("entityTitle")).toString();
        const QString owner = document.value(QLatin1String("owner")).toString();
        facts.append(QObject::tr("Docs of %1").arg(entityTitle.isEmpty() ? Model::EntityRef::humanize(hit.entityRef) : entityTitle));
        if (!owner.isEmpty())
            facts.append(QObject::tr("Owner: %1").arg(owner));
    } else {
        const QString kind = document.value(QLatin1String("kind")).toString();
        view.target.kind = kind.compare(QLatin1String("Template"), Qt::CaseInsensitive) == 0 ? SearchTarget::Kind::Template
                                                                                                 : SearchTarget::Kind::Entity;
        for (const auto &[label, key] : {std::pair{QObject::tr("Kind"), "kind"}, std::pair{QObject::tr("Type"), "type"},
                                         std::pair{QObject::tr("Lifecycle"), "lifecycle"}, std::pair{QObject::tr("Owner"), "owner"}}) {
            const QString value = plain(field(key));
            if (!value.isEmpty() && !(qstrcmp(key, "type") == 0 && value == QLatin1String("other")))
                facts.append(QStringLiteral("%1: %2").arg(label, value));
        }
    }
    const QString text = snippetAround(field("text"));
    view.snippet = plain(text);
    view.html = QStringLiteral("<div style=\"font-size:large\"><b>%1</b></div>").arg(markedHtml(field("title")));
    view.html += QStringLiteral("<div style=\"color:%1\">%2</div>").arg(MutedColour, facts.join(QStringLiteral("  ·  ")).toHtmlEscaped());
    if (!text.isEmpty())
        view.html += QStringLiteral("<div>%1</div>").arg(markedHtml(text));
    view.oneLine = view.target.kind == SearchTarget::Kind::Docs
                       ? QObject::tr("Docs: %1   ·   %2").arg(view.title, facts.value(0))
                       : QStringLiteral("%1   ·   %2%3").arg(view.title, Model::EntityRef::humanize(hit.entityRef),
                                                             text.isEmpty() ? QString() : QStringLiteral("   ·   ") + plain(text));
    return view;
}

QStringList ownerFilterValues(const QString &ownerRef)
{
    auto ref = Model::EntityRef::parse(ownerRef);
    if (!ref)
        return {ownerRef};
    const QString &name = ref->name();
    QStringList values{name, ref->toString(), QStringLiteral("%1/%2").arg(ref->namespaceName(), name),
                       QStringLiteral("%1:%2").arg(ref->kind(), name)};
    values.removeDuplicates();
    return values;
}

} // namespace Greenroom::Ui
