// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "entitytablemodel.h"

#include "catalogcache.h"
#include "entitypresentation.h"

#include <QJsonArray>

namespace Greenroom::Ui {

namespace {

// The field each column sorts by (Backstage's table sorts these columns too).
QString orderField(int column)
{
    switch (column) {
    case EntityTableModel::System: return QStringLiteral("spec.system");
    case EntityTableModel::Owner: return QStringLiteral("spec.owner");
    case EntityTableModel::Type: return QStringLiteral("spec.type");
    case EntityTableModel::Lifecycle: return QStringLiteral("spec.lifecycle");
    case EntityTableModel::Description: return QStringLiteral("metadata.description");
    case EntityTableModel::Tags: return QStringLiteral("metadata.tags");
    default: return QStringLiteral("metadata.name");
    }
}

} // namespace

EntityTableModel::EntityTableModel(CatalogCache &cache, QObject *parent) : QAbstractTableModel(parent), m_cache(cache)
{
    reload(0);
}

void EntityTableModel::setFilter(const Model::EntityFilter &filter)
{
    m_filter = filter;
    reload(0);
}

void EntityTableModel::setTextFilter(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    reload(0);
}

void EntityTableModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= ColumnCount)
        return;
    m_sortColumn = column;
    m_sortOrder = order;
    reload(0);
}

void EntityTableModel::refresh()
{
    reload(int(m_rows.size()));
}

QList<EntityTableModel::Row> EntityTableModel::read(qint64 offset, qint64 limit, bool countTotal)
{
    Store::EntityQuery query;
    query.filter = m_filter;
    query.fullText.term = m_text;
    query.fullText.fields = {QStringLiteral("metadata.name"), QStringLiteral("metadata.title"),
                             QStringLiteral("metadata.description"), QStringLiteral("metadata.tags"),
                             QStringLiteral("spec.type"), QStringLiteral("spec.lifecycle"), QStringLiteral("spec.owner")};
    query.order = {{orderField(m_sortColumn), m_sortOrder == Qt::DescendingOrder}};
    query.keepEntitiesWithoutOrderValue = true;
    query.tieBreakFollowsOrder = false;
    query.offset = offset;
    query.limit = limit;
    query.countTotal = countTotal;
    QList<Row> rows;
    auto page = m_cache.store().queryEntities(query);
    if (!page) {
        m_error = page.error().message;
        m_hasMore = false;
        return rows;
    }
    m_error.clear();
    m_hasMore = page.value().hasMore;
    if (countTotal)
        m_total = page.value().totalItems;
    using namespace EntityPresentation;
    rows.reserve(page.value().items.size());
    for (const Store::StoredEntity &stored : page.value().items) {
        const QJsonObject &e = stored.entity;
        const QJsonObject metadata = e.value(QLatin1String("metadata")).toObject();
        const QJsonObject spec = e.value(QLatin1String("spec")).toObject();
        Row row;
        row.ref = stored.ref;
        row.cells[Name] = displayName(e);
        QStringList systems;
        for (const QString &ref : relationTargets(e, QStringLiteral("partOf"), QStringLiteral("system")))
            systems.append(humanizeRef(ref, QStringLiteral("system")));
        row.cells[System] = systems.join(QStringLiteral(", "));
        QStringList owners;
        for (const QString &ref : relationTargets(e, QStringLiteral("ownedBy")))
            owners.append(humanizeRef(ref, QStringLiteral("group")));
        row.cells[Owner] = owners.join(QStringLiteral(", "));
        row.cells[Type] = spec.value(QLatin1String("type")).toString();
        row.cells[Lifecycle] = spec.value(QLatin1String("lifecycle")).toString();
        row.cells[Description] = metadata.value(QLatin1String("description")).toString();
        QStringList tags;
        for (const QJsonValue &tag : metadata.value(QLatin1String("tags")).toArray())
            tags.append(tag.toString());
        row.cells[Tags] = tags.join(QStringLiteral(", "));
        rows.append(std::move(row));
    }
    return rows;
}

void EntityTableModel::reload(int keepRows)
{
    const qint64 previousTotal = m_total;
    beginResetModel();
    m_rows = read(0, std::max(keepRows, PageSize), true);
    endResetModel();
    if (m_total != previousTotal)
        Q_EMIT totalCountChanged(m_total);
}

QString EntityTableModel::refAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).ref : QString();
}

int EntityTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EntityTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EntityTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return row.cells[index.column()];
    case Qt::ToolTipRole:
        return index.column() == Description || index.column() == Tags ? row.cells[index.column()] : row.ref;
    case RefRole:
        return row.ref;
    default:
        return {};
    }
}

QVariant EntityTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Name");
    case System: return tr("System");
    case Owner: return tr("Owner");
    case Type: return tr("Type");
    case Lifecycle: return tr("Lifecycle");
    case Description: return tr("Description");
    case Tags: return tr("Tags");
    default: return {};
    }
}

bool EntityTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_hasMore;
}

void EntityTableModel::fetchMore(const QModelIndex &parent)
{
    if (parent.isValid() || !m_hasMore)
        return;
    const QList<Row> more = read(m_rows.size(), PageSize, false);
    if (more.isEmpty())
        return;
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + more.size() - 1));
    m_rows += more;
    endInsertRows();
}

} // namespace Greenroom::Ui
