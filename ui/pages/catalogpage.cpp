// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "catalogpage.h"

#include "models/catalogcache.h"
#include "models/entitypresentation.h"
#include "models/entitytablemodel.h"
#include "models/userpreferences.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QVBoxLayout>

namespace Greenroom::Ui {

namespace {

// Filter keys of the panel, in Backstage's order, with their labels.
const QList<std::pair<QString, const char *>> &facetKeys()
{
    static const QList<std::pair<QString, const char *>> keys{
        {QStringLiteral("spec.type"), QT_TRANSLATE_NOOP("CatalogPage", "Type")},
        {QStringLiteral("relations.ownedBy"), QT_TRANSLATE_NOOP("CatalogPage", "Owner")},
        {QStringLiteral("spec.lifecycle"), QT_TRANSLATE_NOOP("CatalogPage", "Lifecycle")},
        {QStringLiteral("metadata.tags"), QT_TRANSLATE_NOOP("CatalogPage", "Tags")},
        {QStringLiteral("metadata.namespace"), QT_TRANSLATE_NOOP("CatalogPage", "Namespace")},
    };
    return keys;
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

    m_title = new QLabel;
    m_title->setObjectName(QStringLiteral("pageTitle"));
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_text = new QLineEdit;
    m_text->setPlaceholderText(tr("Filter"));
    m_text->setClearButtonEnabled(true);
    m_text->setObjectName(QStringLiteral("textFilter"));
    m_text->setMinimumWidth(300);

    auto *table = new EntityTableView;
    table->onActivate = [this](const QModelIndex &index) { Q_EMIT entityActivated(m_model->refAt(index.row())); };
    m_table = table;
    m_table->setModel(m_model);
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
    const QList<std::pair<int, int>> widths{{EntityTableModel::Name, 190}, {EntityTableModel::System, 130},
                                            {EntityTableModel::Owner, 130}, {EntityTableModel::Type, 100},
                                            {EntityTableModel::Lifecycle, 100}, {EntityTableModel::Tags, 150}};
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
        reloadFacets();
        applyFilters();
    });
    connect(m_text, &QLineEdit::textChanged, m_model, &EntityTableModel::setTextFilter);
    connect(m_starred, &QCheckBox::toggled, this, &CatalogPage::applyFilters);
    connect(m_owned, &QCheckBox::toggled, this, &CatalogPage::applyFilters);
    connect(m_model, &EntityTableModel::totalCountChanged, this, &CatalogPage::updateTitle);
    connect(m_model, &QAbstractItemModel::modelReset, this, &CatalogPage::updateTitle);
    connect(&m_preferences, &UserPreferences::starredChanged, this, [this] {
        if (m_starred->isChecked())
            applyFilters();
    });
    connect(&m_cache, &CatalogCache::changed, this, [this] {
        reloadFacets();
        m_model->refresh();
    });

    reloadFacets();
    if (m_fixedKind.isEmpty())
        setKind(QStringLiteral("Component"));
    applyFilters();
}

void CatalogPage::setKind(const QString &kind)
{
    const int index = m_kind->findText(kind, Qt::MatchFixedString);
    if (index >= 0)
        m_kind->setCurrentIndex(index);
}

void CatalogPage::reloadFacets()
{
    m_updating = true;
    // Kinds present in the cache (Backstage lists those the catalog has).
    if (m_fixedKind.isEmpty()) {
        const QString current = m_kind->currentText();
        m_kind->clear();
        auto kinds = m_cache.store().facets({QStringLiteral("kind")}, {});
        if (kinds && !kinds.value().isEmpty()) {
            for (const Store::FacetCount &count : kinds.value().first().second)
                m_kind->addItem(count.value);
        }
        const int index = m_kind->findText(current.isEmpty() ? QStringLiteral("Component") : current, Qt::MatchFixedString);
        m_kind->setCurrentIndex(std::max(index, 0));
    }
    const QString kind = m_fixedKind.isEmpty() ? m_kind->currentText() : m_fixedKind;
    Model::EntityFilter byKind;
    if (!kind.isEmpty())
        byKind.anyOf = {{{QStringLiteral("kind"), {kind.toLower()}}}};
    QStringList keys;
    for (const auto &[key, label] : facetKeys())
        keys.append(key);
    auto facets = m_cache.store().facets(keys, byKind);
    for (const auto &[key, label] : facetKeys()) {
        QComboBox *box = m_facets.value(key);
        const QString current = box->currentData().toString();
        box->blockSignals(true);
        box->clear();
        box->addItem(tr("All"), QString());
        if (facets) {
            for (const auto &[facetKey, counts] : facets.value()) {
                if (facetKey != key)
                    continue;
                for (const Store::FacetCount &count : counts) {
                    const QString text = key == QLatin1String("relations.ownedBy")
                                             ? EntityPresentation::humanizeRef(count.value, QStringLiteral("group"))
                                             : count.value;
                    box->addItem(QStringLiteral("%1 (%2)").arg(text).arg(count.count), count.value);
                }
            }
        }
        box->setCurrentIndex(std::max(box->findData(current), 0));
        box->setEnabled(box->count() > 1);
        box->blockSignals(false);
    }
    m_updating = false;
}

void CatalogPage::applyFilters()
{
    if (m_updating)
        return;
    Model::EntityFilter::AllOf conditions;
    const QString kind = m_fixedKind.isEmpty() ? m_kind->currentText() : m_fixedKind;
    if (!kind.isEmpty())
        conditions.append({QStringLiteral("kind"), {kind.toLower()}});
    for (const auto &[key, label] : facetKeys()) {
        const QString value = m_facets.value(key)->currentData().toString();
        if (!value.isEmpty())
            conditions.append({key.toLower(), {value.toLower()}});
    }
    if (m_starred->isChecked()) {
        QStringList uids;
        auto starred = m_cache.store().entitiesByRefs(m_preferences.starred(), {});
        if (starred) {
            for (const auto &entity : starred.value()) {
                if (entity)
                    uids.append(entity->uid.toLower());
            }
        }
        conditions.append({QStringLiteral("metadata.uid"), uids.isEmpty() ? QStringList{QStringLiteral("-")} : uids});
    }
    if (m_owned->isChecked()) {
        // Me and my groups, as Backstage's "Owned" filter takes ownership.
        QStringList owners;
        const QString me = m_preferences.identity();
        if (!me.isEmpty()) {
            owners.append(me.toLower());
            for (const QString &group : EntityPresentation::relationTargets(m_cache.entity(me), QStringLiteral("memberOf")))
                owners.append(group.toLower());
        }
        conditions.append({QStringLiteral("relations.ownedby"), owners.isEmpty() ? QStringList{QStringLiteral("-")} : owners});
    }
    Model::EntityFilter filter;
    filter.anyOf = {conditions};
    m_model->setFilter(filter);
}

void CatalogPage::updateTitle()
{
    const QString kind = m_fixedKind.isEmpty() ? m_kind->currentText() : m_fixedKind;
    QString plural = kind.toLower();
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
