// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The entity page's built-in Overview cards: About (with view/edit links)
// and the relation lists. They are registered like any plugin's card.
#include "entitypage.h"

#include "models/catalogcache.h"
#include "models/entitypresentation.h"

#include <model/annotations.h>
#include <model/entityref.h>
#include <model/relation.h>

#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QListWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace Greenroom::Ui {

namespace {

using namespace EntityPresentation;

// Relation lists of the Overview tab, in the order Backstage's cards appear.
const QList<std::pair<QString, const char *>> &relationTitles()
{
    static const QList<std::pair<QString, const char *>> titles{
        {QStringLiteral("hasPart"), QT_TRANSLATE_NOOP("EntityPage", "Has part")},
        {QStringLiteral("partOf"), QT_TRANSLATE_NOOP("EntityPage", "Part of")},
        {QStringLiteral("providesApi"), QT_TRANSLATE_NOOP("EntityPage", "Provided APIs")},
        {QStringLiteral("consumesApi"), QT_TRANSLATE_NOOP("EntityPage", "Consumed APIs")},
        {QStringLiteral("apiProvidedBy"), QT_TRANSLATE_NOOP("EntityPage", "Providers")},
        {QStringLiteral("apiConsumedBy"), QT_TRANSLATE_NOOP("EntityPage", "Consumers")},
        {QStringLiteral("dependsOn"), QT_TRANSLATE_NOOP("EntityPage", "Depends on")},
        {QStringLiteral("dependencyOf"), QT_TRANSLATE_NOOP("EntityPage", "Dependency of")},
        {QStringLiteral("hasMember"), QT_TRANSLATE_NOOP("EntityPage", "Members")},
        {QStringLiteral("memberOf"), QT_TRANSLATE_NOOP("EntityPage", "Groups")},
        {QStringLiteral("parentOf"), QT_TRANSLATE_NOOP("EntityPage", "Child groups")},
        {QStringLiteral("childOf"), QT_TRANSLATE_NOOP("EntityPage", "Parent group")},
        {QStringLiteral("ownerOf"), QT_TRANSLATE_NOOP("EntityPage", "Owns")},
    };
    return titles;
}

} // namespace

QWidget *EntityPage::makeAboutCard(const QJsonObject &entity)
{
    const QJsonObject metadata = entity.value(QLatin1String("metadata")).toObject();
    const QJsonObject spec = entity.value(QLatin1String("spec")).toObject();
    auto *about = new QGroupBox(tr("About"));
    about->setObjectName(QStringLiteral("aboutCard"));
    auto *form = new QFormLayout(about);
    auto link = [this](const QStringList &refs, const QString &defaultKind) {
        QStringList links;
        for (const QString &ref : refs)
            links.append(QStringLiteral("<a href=\"%1\">%2</a>").arg(ref.toHtmlEscaped(), Model::EntityRef::humanize(ref, defaultKind).toHtmlEscaped()));
        auto *label = new QLabel(links.isEmpty() ? tr("No information") : links.join(QStringLiteral(", ")));
        label->setTextFormat(Qt::RichText);
        connect(label, &QLabel::linkActivated, this, &EntityPage::entityActivated);
        return label;
    };
    auto text = [](const QString &value) {
        auto *label = new QLabel(value.isEmpty() ? QObject::tr("No information") : value);
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        return label;
    };
    form->addRow(tr("Description"), text(metadata.value(QLatin1String("description")).toString()));
    form->addRow(tr("Owner"), link(Model::relationTargets(entity, QStringLiteral("ownedBy")), QStringLiteral("group")));
    const QStringList systems = Model::relationTargets(entity, QStringLiteral("partOf"), QStringLiteral("system"));
    form->addRow(tr("System"), link(systems, QStringLiteral("system")));
    // The domain: the entity's own (a system's), else its system's.
    QStringList domains = Model::relationTargets(entity, QStringLiteral("partOf"), QStringLiteral("domain"));
    if (domains.isEmpty() && !systems.isEmpty())
        domains = Model::relationTargets(m_cache.entity(systems.first()), QStringLiteral("partOf"), QStringLiteral("domain"));
    form->addRow(tr("Domain"), link(domains, QStringLiteral("domain")));
    form->addRow(tr("Type"), text(spec.value(QLatin1String("type")).toString()));
    form->addRow(tr("Lifecycle"), text(spec.value(QLatin1String("lifecycle")).toString()));
    QStringList tags;
    for (const QJsonValue &tag : metadata.value(QLatin1String("tags")).toArray())
        tags.append(tag.toString());
    form->addRow(tr("Tags"), text(tags.join(QStringLiteral(", "))));
    QStringList links;
    for (const QJsonValue &entry : metadata.value(QLatin1String("links")).toArray()) {
        const QString url = entry[QLatin1String("url")].toString();
        const QString title = entry[QLatin1String("title")].toString();
        links.append(QStringLiteral("<a href=\"%1\">%2</a>").arg(url.toHtmlEscaped(), (title.isEmpty() ? url : title).toHtmlEscaped()));
    }
    // Backstage's "View source" and "Edit" (the catalog adds both for entities read from an SCM host); web links only.
    const QJsonObject annotations = metadata.value(QLatin1String("annotations")).toObject();
    const auto webLink = [](QString url, const QString &label, const QString &name) -> QLabel * {
        const QUrl parsed(url);
        if (!parsed.isValid() || (parsed.scheme() != QLatin1String("https") && parsed.scheme() != QLatin1String("http")))
            return nullptr;
        auto *anchor = new QLabel(QStringLiteral("<a href=\"%1\">%2</a>").arg(url.toHtmlEscaped(), label.toHtmlEscaped()));
        anchor->setObjectName(name);
        anchor->setTextFormat(Qt::RichText);
        anchor->setOpenExternalLinks(true);
        anchor->setToolTip(url);
        return anchor;
    };
    const QString source = annotations.value(Model::Annotations::SourceLocation).toString();
    auto *sourceRow = new QHBoxLayout;
    if (source.startsWith(QLatin1String("url:")))
        if (QLabel *view = webLink(source.mid(4), tr("View source"), QStringLiteral("viewSourceLink")))
            sourceRow->addWidget(view);
    if (QLabel *edit = webLink(annotations.value(Model::Annotations::EditUrl).toString(), tr("Edit"), QStringLiteral("editLink")))
        sourceRow->addWidget(edit);
    if (sourceRow->count() > 0) {
        sourceRow->addStretch();
        form->addRow(tr("Source"), sourceRow);
    } else {
        delete sourceRow;
    }
    if (!links.isEmpty()) {
        auto *linksLabel = new QLabel(links.join(QStringLiteral("<br>")));
        linksLabel->setObjectName(QStringLiteral("links"));
        linksLabel->setTextFormat(Qt::RichText);
        linksLabel->setOpenExternalLinks(true);
        form->addRow(tr("Links"), linksLabel);
    }
    return about;
}

QWidget *EntityPage::makeRelationCards(const QJsonObject &entity)
{
    // Relation cards two abreast; none when the entity has no relations.
    auto *cards = new QWidget;
    cards->setObjectName(QStringLiteral("relationCards"));
    auto *cardGrid = new QGridLayout(cards);
    cardGrid->setContentsMargins(0, 0, 0, 0);
    int card = 0;

    // One list per relation type the entity has, each item opening its entity.
    for (const auto &[type, title] : relationTitles()) {
        const QStringList targets = Model::relationTargets(entity, type);
        if (targets.isEmpty())
            continue;
        auto *box = new QGroupBox(tr(title));
        auto *list = new QListWidget;
        list->setObjectName(type);
        list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        list->setTextElideMode(Qt::ElideRight);
        for (const QString &target : targets) {
            const QJsonObject related = m_cache.entity(target);
            auto *item = new QListWidgetItem(related.isEmpty()
                                                 ? Model::EntityRef::humanize(target)
                                                 : QStringLiteral("%1  —  %2").arg(Model::EntityRef::humanize(target), displayName(related)));
            item->setData(Qt::UserRole, target);
            item->setToolTip(related.value(QLatin1String("metadata"))[QLatin1String("description")].toString());
            list->addItem(item);
        }
        list->setFixedHeight(std::min<int>(int(targets.size()), 8) * (list->sizeHintForRow(0) + 2) + 6);
        connect(list, &QListWidget::itemActivated, this,
                [this](QListWidgetItem *item) { Q_EMIT entityActivated(item->data(Qt::UserRole).toString()); });
        auto *boxLayout = new QVBoxLayout(box);
        boxLayout->addWidget(list);
        cardGrid->addWidget(box, card / 2, card % 2, Qt::AlignTop);
        ++card;
        m_relationLists.insert(tr(title), list);
    }
    if (card == 0) {
        delete cards;
        return nullptr;
    }
    return cards;
}

} // namespace Greenroom::Ui
