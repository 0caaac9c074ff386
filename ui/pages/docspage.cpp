// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "docspage.h"

#include "models/catalogcache.h"
#include "models/entitypresentation.h"
#include "widgets/docsreader.h"
#include "widgets/heading.h"

#include <model/annotations.h>
#include <model/entityref.h>

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

namespace Greenroom::Ui {

namespace {

enum Column { Name, Owner, Kind, Type, Description, ColumnCount };
constexpr int RefRole = Qt::UserRole;

// Owner and kind must match exactly; the text may appear in any column.
class DocsFilter : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    void set(const QString &owner, const QString &kind, const QString &text)
    {
        m_owner = owner;
        m_kind = kind;
        m_text = text.trimmed();
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        const QAbstractItemModel *model = sourceModel();
        auto cell = [&](int column) { return model->index(row, column, parent).data().toString(); };
        if (!m_owner.isEmpty() && cell(Owner) != m_owner)
            return false;
        if (!m_kind.isEmpty() && cell(Kind) != m_kind)
            return false;
        if (m_text.isEmpty())
            return true;
        for (int column = 0; column < ColumnCount; ++column) {
            if (cell(column).contains(m_text, Qt::CaseInsensitive))
                return true;
        }
        return model->index(row, Name, parent).data(RefRole).toString().contains(m_text, Qt::CaseInsensitive);
    }

private:
    QString m_owner;
    QString m_kind;
    QString m_text;
};

QString ownerOf(const QJsonObject &entity)
{
    for (const QJsonValue &relation : entity.value(QLatin1String("relations")).toArray()) {
        if (relation[QLatin1String("type")].toString() == QLatin1String("ownedBy"))
            return Model::EntityRef::humanize(relation[QLatin1String("targetRef")].toString(), QStringLiteral("group"));
    }
    return entity.value(QLatin1String("spec"))[QLatin1String("owner")].toString();
}

void fillCombo(QComboBox *box, const QString &all, QStringList values)
{
    const QString current = box->currentData().toString();
    values.removeDuplicates();
    values.removeAll(QString());
    values.sort(Qt::CaseInsensitive);
    box->blockSignals(true);
    box->clear();
    box->addItem(all, QString());
    for (const QString &value : std::as_const(values))
        box->addItem(value, value);
    box->setCurrentIndex(std::max(0, box->findData(current)));
    box->blockSignals(false);
}

} // namespace

DocsPage::DocsPage(CatalogCache &cache, DocsWeb &web, QWidget *parent) : QWidget(parent), m_cache(cache)
{
    auto *listing = new QWidget;
    auto *heading = makeHeading(tr("Documentation"));
    m_count = new QLabel;
    m_count->setObjectName(QStringLiteral("docsCount"));
    m_text = new QLineEdit;
    m_text->setObjectName(QStringLiteral("docsTextFilter"));
    m_text->setPlaceholderText(tr("Filter documentation"));
    m_text->setClearButtonEnabled(true);
    m_owner = new QComboBox;
    m_owner->setObjectName(QStringLiteral("docsOwnerFilter"));
    m_kind = new QComboBox;
    m_kind->setObjectName(QStringLiteral("docsKindFilter"));
    for (QComboBox *box : {m_owner, m_kind})
        box->setSizeAdjustPolicy(QComboBox::AdjustToContents);

    m_model = new QStandardItemModel(0, ColumnCount, this);
    m_model->setHorizontalHeaderLabels({tr("Name"), tr("Owner"), tr("Kind"), tr("Type"), tr("Description")});
    m_filtered = new DocsFilter(this);
    m_filtered->setSourceModel(m_model);
    m_filtered->setSortCaseSensitivity(Qt::CaseInsensitive);
    m_table = new QTableView;
    m_table->setObjectName(QStringLiteral("docsTable"));
    m_table->setModel(m_filtered);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(Name, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->setShowGrid(false);
    m_table->setAlternatingRowColors(true);
    m_table->horizontalHeader()->setStretchLastSection(true);

    auto *filters = new QHBoxLayout;
    filters->addWidget(new QLabel(tr("Owner")));
    filters->addWidget(m_owner);
    filters->addWidget(new QLabel(tr("Kind")));
    filters->addWidget(m_kind);
    filters->addStretch(1);
    filters->addWidget(m_text, 2);
    auto *titleRow = new QHBoxLayout;
    titleRow->addWidget(heading);
    titleRow->addStretch(1);
    titleRow->addWidget(m_count, 0, Qt::AlignBottom);
    auto *listingLayout = new QVBoxLayout(listing);
    listingLayout->setContentsMargins(0, 0, 0, 0);
    listingLayout->addLayout(titleRow);
    listingLayout->addLayout(filters);
    listingLayout->addWidget(m_table, 1);

    m_reader = new DocsReader(web);
    m_reader->setObjectName(QStringLiteral("docsReader"));
    m_stack = new QStackedWidget;
    m_stack->addWidget(listing);
    m_stack->addWidget(m_reader);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    connect(m_text, &QLineEdit::textChanged, this, &DocsPage::applyFilters);
    connect(m_owner, &QComboBox::currentIndexChanged, this, &DocsPage::applyFilters);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &DocsPage::applyFilters);
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex &index) {
        Q_EMIT siteActivated(index.siblingAtColumn(Name).data(RefRole).toString());
    });
    connect(m_reader, &DocsReader::entityLinkActivated, this, &DocsPage::entityActivated);
    connect(&cache, &CatalogCache::changed, this, [this] {
        m_stale = true;
        if (!readingSite() && isVisible())
            reload();
        m_reader->refresh();
    });
}

void DocsPage::showListing()
{
    if (m_stale)
        reload();
    m_stack->setCurrentIndex(0);
}

bool DocsPage::showSite(const QString &entityRef, const QString &location)
{
    m_stack->setCurrentWidget(m_reader);
    return m_reader->open(entityRef, location);
}

bool DocsPage::readingSite() const
{
    return m_stack->currentWidget() == m_reader;
}

void DocsPage::reload()
{
    m_stale = false;
    m_model->removeRows(0, m_model->rowCount());
    QStringList owners;
    QStringList kinds;
    // Every documented entity, as Backstage's docs index lists them: a site
    // not built yet is built when it is first opened. Read a page at a time.
    Store::EntityQuery query;
    query.filter.anyOf = {{{QStringLiteral("metadata.annotations.") + Model::Annotations::TechDocsRef, {}}}};
    query.limit = 500;
    for (bool more = true; more;) {
        auto page = m_cache.store().queryEntities(query);
        if (!page)
            break;
        for (const Store::StoredEntity &stored : std::as_const(page->items)) {
            const QJsonObject &entity = stored.entity;
            const QJsonObject metadata = entity.value(QLatin1String("metadata")).toObject();
            QList<QStandardItem *> row;
            row.append(new QStandardItem(EntityPresentation::displayName(entity)));
            row.append(new QStandardItem(ownerOf(entity)));
            row.append(new QStandardItem(entity.value(QLatin1String("kind")).toString()));
            row.append(new QStandardItem(entity.value(QLatin1String("spec"))[QLatin1String("type")].toString()));
            row.append(new QStandardItem(metadata.value(QLatin1String("description")).toString()));
            row.first()->setData(stored.ref, RefRole);
            row.first()->setToolTip(Model::EntityRef::humanize(stored.ref));
            owners.append(row.at(Owner)->text());
            kinds.append(row.at(Kind)->text());
            m_model->appendRow(row);
        }
        more = page->hasMore;
        query.after = page->lastKey;
    }
    fillCombo(m_owner, tr("All owners"), owners);
    fillCombo(m_kind, tr("All kinds"), kinds);
    m_table->resizeColumnsToContents();
    applyFilters();
}

void DocsPage::applyFilters()
{
    static_cast<DocsFilter *>(m_filtered)->set(m_owner->currentData().toString(), m_kind->currentData().toString(), m_text->text());
    m_count->setText(m_filtered->rowCount() == m_model->rowCount()
                         ? tr("%n documented entities", nullptr, m_model->rowCount())
                         : tr("%1 of %n documented entities", nullptr, m_model->rowCount()).arg(m_filtered->rowCount()));
}

} // namespace Greenroom::Ui
