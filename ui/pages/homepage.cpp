// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "homepage.h"

#include "models/catalogcache.h"
#include "models/entitypresentation.h"
#include "models/userpreferences.h"
#include "widgets/heading.h"

#include <model/entityref.h>

#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QVBoxLayout>

namespace Greenroom::Ui {

HomePage::HomePage(CatalogCache &cache, UserPreferences &preferences, QWidget *parent)
    : QWidget(parent), m_cache(cache), m_preferences(preferences)
{
    QLabel *title = makeHeading(tr("Welcome to Greenroom"));
    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("catalogSummary"));
    m_starred = new QListWidget;
    m_starred->setObjectName(QStringLiteral("starredEntities"));
    m_recent = new QListWidget;
    m_recent->setObjectName(QStringLiteral("recentEntities"));
    auto *starredBox = new QGroupBox(tr("Starred entities"));
    (new QVBoxLayout(starredBox))->addWidget(m_starred);
    auto *recentBox = new QGroupBox(tr("Recently visited"));
    (new QVBoxLayout(recentBox))->addWidget(m_recent);
    auto *cards = new QHBoxLayout;
    cards->addWidget(starredBox);
    cards->addWidget(recentBox);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(m_summary);
    layout->addLayout(cards, 1);

    for (QListWidget *list : {m_starred, m_recent}) {
        connect(list, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
            const QString ref = item->data(Qt::UserRole).toString();
            if (!ref.isEmpty())
                Q_EMIT entityActivated(ref);
        });
    }
    connect(&m_preferences, &UserPreferences::starredChanged, this, &HomePage::reload);
    connect(&m_preferences, &UserPreferences::recentChanged, this, &HomePage::reload);
    connect(&m_cache, &CatalogCache::changed, this, &HomePage::reload);
    reload();
}

void HomePage::fill(QListWidget *list, const QStringList &refs, const QString &empty)
{
    list->clear();
    for (const QString &ref : refs) {
        const QJsonObject entity = m_cache.entity(ref);
        auto *item = new QListWidgetItem(entity.isEmpty() ? Model::EntityRef::humanize(ref)
                                                          : QStringLiteral("%1  —  %2").arg(EntityPresentation::displayName(entity),
                                                                                            Model::EntityRef::humanize(ref)));
        item->setData(Qt::UserRole, ref);
        list->addItem(item);
    }
    if (refs.isEmpty()) {
        auto *item = new QListWidgetItem(empty);
        item->setFlags(Qt::NoItemFlags);
        list->addItem(item);
    }
}

void HomePage::reload()
{
    fill(m_starred, m_preferences.starred(), tr("Star an entity with ☆ on its page to keep it here."));
    fill(m_recent, m_preferences.recent(), tr("Entities you open appear here."));
    QStringList counts;
    auto kinds = m_cache.store().facets({QStringLiteral("kind")}, {});
    if (kinds && !kinds.value().isEmpty()) {
        for (const Store::FacetCount &count : kinds.value().first().second)
            counts.append(QStringLiteral("%1 %2").arg(count.count).arg(count.value));
    }
    m_summary->setText(counts.isEmpty() ? tr("The catalog is empty so far.") : tr("The catalog holds %1.").arg(counts.join(QStringLiteral(", "))));
}

} // namespace Greenroom::Ui
