// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "catalogpage.h"

#include "delegates/tablecelldelegate.h"
#include "models/catalogcache.h"
#include "models/entitypresentation.h"
#include "models/entitytablemodel.h"
#include "models/userpreferences.h"
#include "widgets/heading.h"

#include <model/relation.h>

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QTimer>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>
#include <QVBoxLayout>

namespace Greenroom::Ui {

namespace {

// Filter keys of the panel, in Backstage's order, with their labels.
const QList<std::pair<QString, const char *>> &facetKeys()
{
    static const QList<std::pair<QString, const char *>> keys{
        {QStringLiteral("type"), QT_TRANSLATE_NOOP("CatalogPage", "Type")},
        {QStringLiteral("owner"), QT_TRANSLATE_NOOP("CatalogPage", "Owner")},
        {QStringLiteral("lifecycle"), QT_TRANSLATE_NOOP("CatalogPage", "Lifecycle")},
        {QStringLiteral("tag"), QT_TRANSLATE_NOOP("CatalogPage", "Tags")},
        {QStringLiteral("namespace"), QT_TRANSLATE_NOOP("CatalogPage", "Namespace")},
    };
    return keys;
}

// A kind as Backstage spells it ("api" -> "API", "component" -> "Component").
QString kindLabel(const QString &kind)
{
    static const QHash<QString, QString> known{{QStringLiteral("api"), QStringLiteral("API")}};
    const QString lower = kind.toLower();
    return known.value(lower, lower.isEmpty() ? lower : lower.left(1).toUpper() + lower.mid(1));
}

// Enter opens the current row, as a double click does.
class EntityTableView : public QTableView
{
public:
    using QTableView::QTableView;
    std::function<void(const QModelIndex &)> onActivate;

protected:
    void keyPressEvent(QKeyEvent *event) override
    {
        if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) && currentIndex().isValid()) {
            onActivate(currentIndex());
            return;
        }
        QTableView::keyPressEvent(event);
    }
};

} // namespace

CatalogPage::CatalogPage(CatalogCache &cache, UserPreferences &preferences, const QString &fixedKind, QWidget *parent)
    : QWidget(parent), m_cache(cache), m_preferences(preferences), m_fixedKind(fixedKind),
      m_model(new EntityTableModel(cache, this))
{
    auto *panel = new QWidget;
    panel->setObjectName(QStringLiteral("filterPanel"));
    auto *form = new QFormLayout(panel);
    form->setRowWrapPolicy(QFormLayout::WrapAllRows);
    m_kind = new QComboBox;
    m_kind->setObjectName(QStringLiteral("kindFilter"));
    form->addRow(tr("Kind"), m_kind);
    if (!m_fixedKind.isEmpty())
        m_kind->setVisible(false), form->labelForField(m_kind)->setVisible(false);
    for (const auto &[key, label] : facetKeys()) {
        auto *box = new QComboBox;
        box->setObjectName(key);
        form->addRow(tr(label), box);
        m_facets.insert(key, box);
        connect(box, &QComboBox::currentIndexChanged, this, &CatalogPage::applyFilters);
    }
    m_starred = new QCheckBox(tr("Starred"));
    m_owned = new QCheckBox(tr("Owned by me"));
    form->addRow(m_starred);
    form->addRow(m_owned);
    panel->setFixedWidth(230);

    m_title = makeHeading({}, 1.4);
    m_title->setObjectName(QStringLiteral("pageTitle"));
    m_text = new QLineEdit;
    m_text->setPlaceholderText(tr("Filter"));
    m_text->setClearButtonEnabled(true);
    m_text->setObjectName(QStringLiteral("textFilter"));
    m_text->setMinimumWidth(300);

    auto *table = new EntityTableView;
    table->onActivate = [this](const QModelIndex &index) { Q_EMIT entityActivated(m_model->refAt(index.row())); };
    m_table = table;
    m_table->setModel(m_model);
    m_table->setItemDelegate(new TableCellDelegate(m_table));
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(EntityTableModel::Name, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    // Rows as tall as a line of text, as in Backstage's dense table.
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    // The description takes what the other columns leave.
    QHeaderView *columns = m_table->horizontalHeader();
    columns->setSectionResizeMode(EntityTableModel::Description, QHeaderView::Stretch);
    const QList<std::pair<int, int>> widths{{EntityTableModel::Name, 180}, {EntityTableModel::System, 120},
                                            {EntityTableModel::Owner, 120}, {EntityTableModel::Type, 90},
                                            {EntityTableModel::Lifecycle, 90}, {EntityTableModel::Tags, 130}};
    for (const auto &[column, width] : widths)
        m_table->setColumnWidth(column, width);
    m_table->setWordWrap(false);
    connect(m_table, &QTableView::doubleClicked, this,
            [this](const QModelIndex &index) { Q_EMIT entityActivated(m_model->refAt(index.row())); });

    auto *right = new QVBoxLayout;
    auto *header = new QHBoxLayout;
    header->addWidget(m_title, 1);
    header->addWidget(m_text);
    right->addLayout(header);
    right->addWidget(m_table, 1);
    auto *layout = new QHBoxLayout(this);
    layout->addWidget(panel);
    layout->addLayout(right, 1);

    connect(m_kind, &QComboBox::currentIndexChanged, this, [this] {
        if (m_updating)
            return;
        applyFilters();
        reloadFacets();
    });
    connect(m_text, &QLineEdit::textChanged, m_model, &EntityTableModel::setTextFilter);
    // The filter box searches text held in memory: load it before the first keystroke.
    connect(m_text, &QLineEdit::textEdited, m_model, &EntityTableModel::prepareTextSearch);
    connect(m_starred, &QCheckBox::toggled, this, &CatalogPage::applyFilters);
    connect(m_owned, &QCheckBox::toggled, this, &CatalogPage::applyFilters);
    connect(m_model, &EntityTableModel::totalCountChanged, this, &CatalogPage::updateTitle);
    connect(m_model, &QAbstractItemModel::modelReset, this, &CatalogPage::updateTitle);
    connect(&m_preferences, &UserPreferences::starredChanged, this, [this] {
        if (m_starred->isChecked())
            applyFilters();
    });
    connect(&m_cache, &CatalogCache::changed, this, [this] {
        m_model->refresh();
        reloadFacets();
    });

    // The table first (the first paint needs it); the filter panel's
    // values a moment later: counting them reads every row of the kind.
    if (m_fixedKind.isEmpty()) {
        m_updating = true;   // not a choice of the person's: no re-query
        m_kind->addItem(kindLabel(QStringLiteral("component")), QStringLiteral("component"));
        m_updating = false;
    }
    applyFilters();
    // The rest waits for the first paint of the table: the panel's values and
    // the filter box's search text are read in the background then.
    m_table->viewport()->installEventFilter(this);
}

bool CatalogPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_table->viewport() && event->type() == QEvent::Paint && !m_painted) {
        m_painted = true;
        QTimer::singleShot(0, this, [this] {
            reloadFacets();
            m_model->prepareTextSearch();
        });
    }
    return QWidget::eventFilter(watched, event);
}

void CatalogPage::setKind(const QString &kind)
{
    const int index = m_kind->findData(kind.toLower());
    if (index >= 0)
        m_kind->setCurrentIndex(index);
}

namespace {

struct FacetValues
{
    QList<Store::FacetCount> kinds;
    QHash<QString, QList<Store::FacetCount>> byKey;
};

// Counting a facet reads every row of the kind: done on a worker with a
// connection of its own, so the window never waits for it.
FacetValues readFacets(const QString &cachePath, const QString &kind, bool withKinds)
{
    FacetValues values;
    auto store = Store::SqliteCatalogStore::open(cachePath, Store::SqliteCatalogStore::Memory::Desktop);
    if (!store)
        return values;
    if (withKinds) {
        if (auto kinds = store.value()->listingFacet(QStringLiteral("kind"), {}))
            values.kinds = kinds.value();
    }
    Store::ListingFilter byKind;
    byKind.kind = kind;
    for (const auto &[key, label] : facetKeys()) {
        if (auto counts = store.value()->listingFacet(key, byKind))
            values.byKey.insert(key, counts.value());
    }
    return values;
}

} // namespace

void CatalogPage::reloadFacets()
{
    if (m_facetsLoading.isRunning()) {
        m_facetsAgain = true;   // the cache or the kind changed meanwhile
        return;
    }
    const bool withKinds = m_fixedKind.isEmpty();
    const QString kind = currentKind();
    auto *watcher = new QFutureWatcher<FacetValues>(this);
    connect(watcher, &QFutureWatcher<FacetValues>::finished, this, [this, watcher, kind] {
        watcher->deleteLater();
        applyFacets(watcher->result().kinds, watcher->result().byKey, kind);
        if (m_facetsAgain) {
            m_facetsAgain = false;
            reloadFacets();
        }
    });
    const QFuture<FacetValues> future = QtConcurrent::run(readFacets, m_cache.path(), kind, withKinds);
    m_facetsLoading = future;
    watcher->setFuture(future);
}

void CatalogPage::applyFacets(const QList<Store::FacetCount> &kinds, const QHash<QString, QList<Store::FacetCount>> &byKey,
                              const QString &forKind)
{
    m_updating = true;
    // Kinds present in the cache (Backstage lists those the catalog has).
    if (m_fixedKind.isEmpty() && !kinds.isEmpty()) {
        const QString current = m_kind->currentData().toString();
        m_kind->clear();
        for (const Store::FacetCount &count : kinds)
            m_kind->addItem(kindLabel(count.value), count.value);
        m_kind->setCurrentIndex(std::max(m_kind->findData(current), 0));
    }
    m_updating = false;
    if (forKind != currentKind()) {   // the kind changed while these were counted
        reloadFacets();
        return;
    }
    for (const auto &[key, label] : facetKeys()) {
        QComboBox *box = m_facets.value(key);
        const QString current = box->currentData().toString();
        box->blockSignals(true);
        box->clear();
        box->addItem(tr("All"), QString());
        for (const Store::FacetCount &count : byKey.value(key))
            box->addItem(QStringLiteral("%1 (%2)").arg(count.value).arg(count.count), count.value);
        box->setCurrentIndex(std::max(box->findData(current), 0));
        box->setEnabled(box->count() > 1);
        box->blockSignals(false);
    }
}

QString CatalogPage::currentKind() const
{
    return m_fixedKind.isEmpty() ? m_kind->currentData().toString() : m_fixedKind.toLower();
}

void CatalogPage::applyFilters()
{
    if (m_updating)
        return;
    Store::ListingFilter filter;
    filter.kind = currentKind();
    const auto facet = [this](const char *key) { return m_facets.value(QLatin1String(key))->currentData().toString(); };
    filter.type = facet("type");
    filter.owner = facet("owner");
    filter.lifecycle = facet("lifecycle");
    filter.tag = facet("tag");
    filter.namespaceName = facet("namespace");
    if (m_starred->isChecked())
        filter.refs = m_preferences.starred();
    if (m_owned->isChecked()) {
        // Me and my groups, as Backstage's "Owned" filter takes ownership.
        QStringList owners;
        const QString me = m_preferences.identity();
        if (!me.isEmpty()) {
            owners.append(me);
            owners += Model::relationTargets(m_cache.entity(me), QStringLiteral("memberOf"));
        }
        filter.ownedByAny = owners;
    }
    m_model->setFilter(filter);
}

void CatalogPage::updateTitle()
{
    QString plural = currentKind();
    if (plural == QLatin1String("api"))
        plural = QStringLiteral("APIs");
    else if (plural.endsWith(QLatin1Char('y')))
        plural = plural.chopped(1) + QStringLiteral("ies");
    else
        plural += plural.endsWith(QLatin1Char('s')) ? QStringLiteral("es") : QStringLiteral("s");
    m_title->setText(tr("All %1 (%2)").arg(plural)
                         .arg(m_model->totalCount()));
}

} // namespace Greenroom::Ui
