// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "searchpage.h"

#include "delegates/richtextdelegate.h"
#include "models/catalogcache.h"
#include "widgets/heading.h"
#include "widgets/resultlistkeys.h"

#include <model/entityfilter.h>
#include <model/entityref.h>
#include <search/searchdocuments.h>
#include <search/searchtext.h>

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QResizeEvent>
#include <QShowEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

namespace Greenroom::Ui {

namespace {

constexpr int TargetKindRole = Qt::UserRole + 1;
constexpr int EntityRefRole = Qt::UserRole + 2;
constexpr int LocationRole = Qt::UserRole + 3;
constexpr int TypeRole = Qt::UserRole + 4;

// The type tabs: Backstage's "Result Type" accordion.
const QList<std::pair<QString, const char *>> &typeTabs()
{
    static const QList<std::pair<QString, const char *>> tabs{
        {QString(), QT_TRANSLATE_NOOP("Greenroom::Ui::SearchPage", "All")},
        {Search::catalogType(), QT_TRANSLATE_NOOP("Greenroom::Ui::SearchPage", "Software Catalog")},
        {Search::techDocsType(), QT_TRANSLATE_NOOP("Greenroom::Ui::SearchPage", "Documentation")},
    };
    return tabs;
}

// Backstage shows ">10000" above ten thousand; so counting stops there.
constexpr qint64 CountLimit = 10001;
QString countText(qint64 count)
{
    return count >= CountLimit ? QStringLiteral(">10000") : QString::number(count);
}

} // namespace

SearchPage::SearchPage(CatalogCache &cache, QWidget *parent) : QWidget(parent), m_cache(cache)
{
    setObjectName(QStringLiteral("searchPage"));
    m_input = new QLineEdit;
    m_input->setObjectName(QStringLiteral("searchPageInput"));
    m_input->setPlaceholderText(tr("Search the catalog, docs and templates"));
    m_input->setClearButtonEnabled(true);
    m_input->installEventFilter(this);
    QFont inputFont = m_input->font();
    inputFont.setPointSizeF(inputFont.pointSizeF() * 1.3);
    m_input->setFont(inputFont);

    m_types = new QListWidget;
    m_types->setObjectName(QStringLiteral("searchTypes"));
    m_types->setFixedWidth(220);
    m_types->setFrameShape(QFrame::NoFrame);
    for (int i = 0; i < typeTabs().size(); ++i) {
        auto *item = new QListWidgetItem(tr(typeTabs().at(i).second));
        item->setData(TypeRole, typeTabs().at(i).first);
        m_types->addItem(item);
    }
    m_types->setCurrentRow(0);
    m_types->setFixedHeight(m_types->sizeHintForRow(0) * int(typeTabs().size()) + 8);

    m_kind = new QComboBox;
    m_kind->setObjectName(QStringLiteral("searchKind"));
    m_owner = new QComboBox;
    m_owner->setObjectName(QStringLiteral("searchOwner"));
    m_tag = new QComboBox;
    m_tag->setObjectName(QStringLiteral("searchTag"));
    m_lifecycleBox = new QWidget;
    new QVBoxLayout(m_lifecycleBox);
    m_lifecycleBox->layout()->setContentsMargins(0, 0, 0, 0);

    auto *filters = new QFormLayout;
    filters->setRowWrapPolicy(QFormLayout::WrapAllRows);
    filters->addRow(tr("Kind"), m_kind);
    filters->addRow(tr("Lifecycle"), m_lifecycleBox);
    filters->addRow(tr("Owner"), m_owner);
    filters->addRow(tr("Tag"), m_tag);
    auto *side = new QVBoxLayout;
    side->addWidget(makeHeading(tr("Result type"), 1.1));
    side->addWidget(m_types);
    side->addSpacing(8);
    side->addWidget(makeHeading(tr("Filters"), 1.1));
    side->addLayout(filters);
    side->addStretch(1);

    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("searchSummary"));
    m_corrections = new QLabel;
    m_corrections->setObjectName(QStringLiteral("searchCorrections"));
    m_corrections->setTextFormat(Qt::PlainText);
    m_corrections->hide();
    m_results = new QListWidget;
    m_results->setObjectName(QStringLiteral("searchPageResults"));
    m_results->setItemDelegate(new RichTextDelegate(MutedColour, m_results));
    m_results->setWordWrap(true);
    m_results->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_results->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_previous = new QPushButton(tr("Previous"));
    m_previous->setObjectName(QStringLiteral("searchPrevious"));
    m_next = new QPushButton(tr("Next"));
    m_next->setObjectName(QStringLiteral("searchNext"));
    auto *pager = new QHBoxLayout;
    pager->addWidget(m_summary, 1);
    pager->addWidget(m_previous);
    pager->addWidget(m_next);

    auto *main = new QVBoxLayout;
    main->addWidget(m_corrections);
    main->addWidget(m_results, 1);
    main->addLayout(pager);
    auto *columns = new QHBoxLayout;
    columns->addLayout(side);
    columns->addLayout(main, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(makeHeading(tr("Search")));
    layout->addWidget(m_input);
    layout->addLayout(columns, 1);

    connect(m_input, &QLineEdit::textChanged, this, [this] {
        m_page = 0;
        refresh();
    });
    connect(m_types, &QListWidget::currentRowChanged, this, [this] {
        m_page = 0;
        refresh();
    });
    for (QComboBox *box : {m_kind, m_owner, m_tag}) {
        connect(box, &QComboBox::currentIndexChanged, this, [this] {
            if (m_filling)
                return;
            m_page = 0;
            refresh();
        });
    }
    connect(m_previous, &QPushButton::clicked, this, [this] { turnPage(-1); });
    connect(m_next, &QPushButton::clicked, this, [this] { turnPage(1); });
    connect(m_results, &QListWidget::itemActivated, this, &SearchPage::activate);
    m_results->viewport()->installEventFilter(this);
    m_counting = new QTimer(this);
    m_counting->setSingleShot(true);
    m_counting->setInterval(0);
    connect(m_counting, &QTimer::timeout, this, &SearchPage::updateTypeCounts);
    // Counting the filters' values reads the whole cache (over a second
    // with a million entities): not while the window starts with this page
    // hidden, nor on every sync while it stays hidden.
    connect(&m_cache, &CatalogCache::changed, this, [this] {
        m_stale = true;
        if (isVisible())
            loadIfStale();
    });
}

void SearchPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    loadIfStale();
}

void SearchPage::loadIfStale()
{
    if (!m_stale)
        return;
    m_stale = false;
    reloadFilterValues();
    refresh();
}

void SearchPage::search(const QString &term)
{
    if (std::exchange(m_stale, false))
        reloadFilterValues();   // the results are read just below
    if (m_input->text() == term)
        refresh();
    else
        m_input->setText(term);   // refreshes
    focusInput();
}

void SearchPage::focusInput()
{
    m_input->setFocus();
    m_input->selectAll();
}

void SearchPage::reloadFilterValues()
{
    m_filling = true;
    const auto fill = [](QComboBox *box, const QString &any, const QList<std::pair<QString, QString>> &values) {
        const QVariant chosen = box->currentData();
        box->clear();
        box->addItem(any);
        for (const auto &[label, value] : values)
            box->addItem(label, value);
        const int again = box->findData(chosen);
        box->setCurrentIndex(again < 0 ? 0 : again);
    };
    auto facets = m_cache.store().facets(
        QStringList{QStringLiteral("kind"), QStringLiteral("spec.lifecycle"), QStringLiteral("relations.ownedBy"), QStringLiteral("metadata.tags")},
        Model::EntityFilter());
    QHash<QString, QList<std::pair<QString, QString>>> values;
    if (facets) {
        for (const auto &[key, counts] : facets.value()) {
            for (const Store::FacetCount &count : counts) {
                const QString label = key == QLatin1String("relations.ownedBy") ? Model::EntityRef::humanize(count.value) : count.value;
                values[key].append({QStringLiteral("%1 (%2)").arg(label).arg(count.count), count.value});
            }
        }
    }
    fill(m_kind, tr("Any kind"), values.value(QStringLiteral("kind")));
    fill(m_owner, tr("Any owner"), values.value(QStringLiteral("relations.ownedBy")));
    fill(m_tag, tr("Any tag"), values.value(QStringLiteral("metadata.tags")));

    // Backstage's two lifecycle checkboxes, and any other lifecycle the catalog has.
    QStringList lifecycles{QStringLiteral("experimental"), QStringLiteral("production")};
    for (const auto &[label, value] : values.value(QStringLiteral("spec.lifecycle"))) {
        if (!lifecycles.contains(value))
            lifecycles.append(value);
    }
    QStringList checked;
    for (QCheckBox *box : std::as_const(m_lifecycles)) {
        if (box->isChecked())
            checked.append(box->text());
    }
    if (lifecycles != [this] {
            QStringList shown;
            for (QCheckBox *box : std::as_const(m_lifecycles))
                shown.append(box->text());
            return shown;
        }()) {
        qDeleteAll(m_lifecycles);
        m_lifecycles.clear();
        for (const QString &lifecycle : std::as_const(lifecycles)) {
            auto *box = new QCheckBox(lifecycle);
            box->setObjectName(QStringLiteral("searchLifecycle-") + lifecycle);
            box->setChecked(checked.contains(lifecycle));
            connect(box, &QCheckBox::toggled, this, [this] {
                m_page = 0;
                refresh();
            });
            m_lifecycleBox->layout()->addWidget(box);
            m_lifecycles.append(box);
        }
    }
    m_filling = false;
}

Search::SearchRequest SearchPage::request(const QString &type) const
{
    Search::SearchRequest request;
    request.term = m_input->text();
    if (!type.isEmpty())
        request.types = {type};
    if (!m_kind->currentData().toString().isEmpty())
        request.filters.append({QStringLiteral("kind"), {Search::folded(m_kind->currentData().toString())}});
    QStringList lifecycles;
    for (QCheckBox *box : m_lifecycles) {
        if (box->isChecked())
            lifecycles.append(Search::folded(box->text()));
    }
    if (!lifecycles.isEmpty())
        request.filters.append({QStringLiteral("lifecycle"), lifecycles});
    if (!m_owner->currentData().toString().isEmpty()) {
        QStringList owners;
        for (const QString &value : ownerFilterValues(m_owner->currentData().toString()))
            owners.append(Search::folded(value));
        request.filters.append({QStringLiteral("owner"), owners});
    }
    if (!m_tag->currentData().toString().isEmpty())
        request.filters.append({QStringLiteral("tags"), {Search::folded(m_tag->currentData().toString())}});
    request.preTag = HighlightStart;
    request.postTag = HighlightEnd;
    request.countLimit = CountLimit;
    return request;
}

void SearchPage::refresh()
{
    const QString type = m_types->currentItem() ? m_types->currentItem()->data(TypeRole).toString() : QString();
    Search::SearchRequest page = request(type);
    page.offset = qint64(m_page) * PageSize;
    page.limit = PageSize;
    auto found = m_cache.store().searchDocuments(page);
    m_results->clear();
    if (!found) {
        m_total = 0;
        m_summary->setText(tr("Search failed: %1").arg(found.error().message));
        m_previous->setEnabled(false);
        m_next->setEnabled(false);
        return;
    }
    m_total = found->total;
    for (const Search::SearchHit &hit : found->hits) {
        const SearchResultView view = presentSearchHit(hit);
        auto *item = new QListWidgetItem;
        item->setData(RichTextDelegate::HtmlRole, view.html);
        item->setData(Qt::AccessibleTextRole, view.title);
        item->setData(Qt::ToolTipRole, view.oneLine);
        item->setData(TargetKindRole, int(view.target.kind));
        item->setData(EntityRefRole, view.target.entityRef);
        item->setData(LocationRole, view.target.docsLocation);
        m_results->addItem(item);
    }
    if (m_results->count() > 0)
        m_results->setCurrentRow(0);

    sizeResults();
    m_counting->start();

    QStringList corrections = found->corrections;
    corrections.removeDuplicates();
    m_corrections->setVisible(!corrections.isEmpty());
    m_corrections->setText(tr("Also searched for: %1").arg(corrections.join(QStringLiteral(", "))));
    const qint64 first = qint64(m_page) * PageSize;
    m_summary->setText(m_total == 0 ? (m_input->text().trimmed().isEmpty() ? tr("Nothing to search yet") : tr("No results"))
                                    : tr("%1–%2 of %3").arg(first + 1).arg(first + m_results->count()).arg(countText(m_total)));
    m_previous->setEnabled(m_page > 0);
    m_next->setEnabled(first + m_results->count() < m_total || (m_total >= CountLimit && m_results->count() == PageSize));
}

void SearchPage::updateTypeCounts()
{
    m_counting->stop();
    // One count per type, as Backstage's page asks pageLimit=0 of each.
    qint64 all = 0;
    for (int row = 1; row < m_types->count(); ++row) {
        Search::SearchRequest count = request(m_types->item(row)->data(TypeRole).toString());
        count.limit = 0;
        count.preTag.clear();
        auto counted = m_cache.store().searchDocuments(count);
        const qint64 n = counted ? counted->total : 0;
        all += n;
        m_types->item(row)->setText(QStringLiteral("%1  (%2)").arg(tr(typeTabs().at(row).second), countText(n)));
    }
    m_types->item(0)->setText(QStringLiteral("%1  (%2)").arg(tr(typeTabs().at(0).second), countText(all)));
}

void SearchPage::sizeResults()
{
    const int width = m_results->viewport()->width();
    for (int row = 0; row < m_results->count(); ++row) {
        QListWidgetItem *item = m_results->item(row);
        item->setSizeHint(RichTextDelegate::sizeFor(item->data(RichTextDelegate::HtmlRole).toString(), m_results->font(), width));
    }
}

void SearchPage::turnPage(int delta)
{
    const int page = m_page + delta;
    if (page < 0 || (m_total < CountLimit && qint64(page) * PageSize >= std::max<qint64>(m_total, 1)))
        return;
    m_page = page;
    refresh();
}

QList<SearchTarget> SearchPage::shownTargets() const
{
    QList<SearchTarget> targets;
    for (int row = 0; row < m_results->count(); ++row) {
        const QListWidgetItem *item = m_results->item(row);
        targets.append({SearchTarget::Kind(item->data(TargetKindRole).toInt()), item->data(EntityRefRole).toString(),
                        item->data(LocationRole).toString()});
    }
    return targets;
}

void SearchPage::activate(QListWidgetItem *item)
{
    if (!item)
        return;
    const QString ref = item->data(EntityRefRole).toString();
    switch (SearchTarget::Kind(item->data(TargetKindRole).toInt())) {
    case SearchTarget::Kind::Docs:
        Q_EMIT docsActivated(ref, item->data(LocationRole).toString());
        break;
    case SearchTarget::Kind::Template:
        Q_EMIT templateActivated(ref);
        break;
    case SearchTarget::Kind::Entity:
        Q_EMIT entityActivated(ref);
        break;
    }
}

bool SearchPage::eventFilter(QObject *watched, QEvent *event)
{
    if (m_results && watched == m_results->viewport() && event->type() == QEvent::Resize) {
        const auto *resize = static_cast<QResizeEvent *>(event);
        if (resize->size().width() != resize->oldSize().width())
            sizeResults();
        return false;
    }
    // Typing stays in the input while the keys that move, open and turn pages act on the results.
    if (watched == m_input && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (moveThroughResults(m_results, key->key()))
            return true;
        switch (key->key()) {
        case Qt::Key_Return:
        case Qt::Key_Enter:
            activate(m_results->currentItem());
            return true;
        case Qt::Key_PageDown:
            turnPage(1);
            return true;
        case Qt::Key_PageUp:
            turnPage(-1);
            return true;
        case Qt::Key_Escape:
            if (m_input->text().isEmpty())
                return false;
            m_input->clear();
            return true;
        default:
            break;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace Greenroom::Ui
