// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "relationgraphview.h"

#include "models/catalogcache.h"
#include "models/entitypresentation.h"

#include <model/entityref.h>

#include <QFileInfo>
#include <QGraphicsItem>
#include <QGraphicsScene>
#include <QImage>
#include <QJsonArray>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QSvgGenerator>
#include <QWheelEvent>

#include <cmath>
#include <map>

namespace Greenroom::Ui {

namespace {

constexpr qreal NodeWidth = 190;
constexpr qreal NodeHeight = 46;
constexpr qreal ColumnGap = 150;
constexpr qreal RowGap = 26;
constexpr int RefRole = 0;

// Kind colours after Backstage's graph (its theme's palette per kind).
QColor kindColor(const QString &kind)
{
    static const QHash<QString, QColor> colors{
        {QStringLiteral("component"), QColor(0x1f, 0x77, 0xb4)}, {QStringLiteral("api"), QColor(0x2c, 0xa0, 0x2c)},
        {QStringLiteral("system"), QColor(0x94, 0x67, 0xbd)},    {QStringLiteral("domain"), QColor(0x8c, 0x56, 0x4b)},
        {QStringLiteral("resource"), QColor(0xff, 0x7f, 0x0e)},  {QStringLiteral("group"), QColor(0xd6, 0x27, 0x28)},
        {QStringLiteral("user"), QColor(0xe3, 0x77, 0xc2)},      {QStringLiteral("location"), QColor(0x7f, 0x7f, 0x7f)},
        {QStringLiteral("template"), QColor(0x17, 0xbe, 0xcf)},
    };
    return colors.value(kind, QColor(0x55, 0x55, 0x55));
}

} // namespace

const QList<std::pair<QString, QString>> &RelationGraphView::relationPairs()
{
    static const QList<std::pair<QString, QString>> pairs{
        {QStringLiteral("ownerOf"), QStringLiteral("ownedBy")},
        {QStringLiteral("consumesApi"), QStringLiteral("apiConsumedBy")},
        {QStringLiteral("providesApi"), QStringLiteral("apiProvidedBy")},
        {QStringLiteral("hasPart"), QStringLiteral("partOf")},
        {QStringLiteral("parentOf"), QStringLiteral("childOf")},
        {QStringLiteral("hasMember"), QStringLiteral("memberOf")},
        {QStringLiteral("dependsOn"), QStringLiteral("dependencyOf")},
    };
    return pairs;
}

RelationGraphView::RelationGraphView(CatalogCache &cache, QWidget *parent) : QGraphicsView(parent), m_cache(cache)
{
    setScene(new QGraphicsScene(this));
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
}

void RelationGraphView::setRoot(const QString &ref)
{
    m_root = ref;
    rebuild();
}

void RelationGraphView::setMaxDepth(int depth)
{
    m_maxDepth = depth;
    rebuild();
}

void RelationGraphView::setRelationFilter(const QSet<QString> &forwardTypes)
{
    m_filter = forwardTypes;
    rebuild();
}

QStringList RelationGraphView::nodeRefs() const
{
    QStringList refs = m_nodes.keys();
    refs.sort();
    return refs;
}

void RelationGraphView::rebuild()
{
    scene()->clear();
    m_nodes.clear();
    m_edges.clear();
    if (m_root.isEmpty())
        return;

    // Forward name of every relation type, and whether it is the inverse.
    QHash<QString, std::pair<QString, bool>> pairOf;
    for (const auto &[forward, inverse] : relationPairs()) {
        pairOf.insert(forward, {forward, false});
        pairOf.insert(inverse, {forward, true});
    }

    // Breadth first from the root, over the relations each entity lists.
    QHash<QString, int> depth{{m_root, 0}};
    QList<QString> queue{m_root};
    // Edges keyed by (source, forward type, target) so a relation and its
    // inverse, listed by both ends, become one edge.
    std::map<std::tuple<QString, QString, QString>, bool> edges;
    QHash<QString, QJsonObject> entities;
    for (qsizetype i = 0; i < queue.size(); ++i) {
        const QString ref = queue.at(i);
        const QJsonObject entity = m_cache.entity(ref);
        entities.insert(ref, entity);
        const int here = depth.value(ref);
        // The frontier is drawn but not expanded: its own relations (among
        // themselves too) would bury the root's in crossing edges.
        if (m_maxDepth > 0 && here >= m_maxDepth)
            continue;
        for (const QJsonValue &relation : entity.value(QLatin1String("relations")).toArray()) {
            const QString type = relation[QLatin1String("type")].toString();
            const QString target = relation[QLatin1String("targetRef")].toString();
            const auto pair = pairOf.constFind(type);
            if (pair == pairOf.cend() || target.isEmpty())
                continue;
            if (!m_filter.isEmpty() && !m_filter.contains(pair->first))
                continue;
            if (!depth.contains(target)) {
                depth.insert(target, here + 1);
                queue.append(target);
            }
            if (pair->second)
                edges[{target, pair->first, ref}] = true;
            else
                edges[{ref, pair->first, target}] = true;
        }
    }

    // Columns by depth; within a column by kind, then name.
    QMap<int, QStringList> columns;
    for (auto it = depth.cbegin(); it != depth.cend(); ++it)
        columns[it.value()].append(it.key());
    const QPalette palette = this->palette();
    qreal tallest = 0;
    for (QStringList &column : columns) {
        std::sort(column.begin(), column.end());
        tallest = std::max(tallest, column.size() * (NodeHeight + RowGap));
    }
    QFont nameFont = font();
    nameFont.setBold(true);
    QFont kindFont = font();
    kindFont.setPointSizeF(kindFont.pointSizeF() * 0.8);
    for (auto column = columns.cbegin(); column != columns.cend(); ++column) {
        const qreal x = column.key() * (NodeWidth + ColumnGap);
        const qreal height = column->size() * (NodeHeight + RowGap) - RowGap;
        qreal y = (tallest - height) / 2;
        for (const QString &ref : *column) {
            const QString kind = EntityPresentation::kindOf(ref);
            const bool root = ref == m_root;
            QPainterPath shape;
            shape.addRoundedRect(QRectF(0, 0, NodeWidth, NodeHeight), 8, 8);
            auto *box = scene()->addPath(shape, QPen(kindColor(kind), root ? 3 : 1.5),
                                         root ? kindColor(kind) : palette.color(QPalette::Base));
            box->setPos(x, y);
            box->setData(RefRole, ref);
            box->setCursor(Qt::PointingHandCursor);
            box->setToolTip(ref);
            const QColor textColor = root ? QColor(Qt::white) : palette.color(QPalette::Text);
            auto *kindText = scene()->addSimpleText(kind, kindFont);
            kindText->setBrush(root ? textColor : kindColor(kind));
            kindText->setParentItem(box);
            kindText->setPos(10, 5);
            const QJsonObject entity = entities.value(ref);
            const QString name = entity.isEmpty() ? Model::EntityRef::humanize(ref).section(QLatin1Char(':'), -1)
                                                  : EntityPresentation::displayName(entity);
            auto *nameText = scene()->addSimpleText(QFontMetrics(nameFont).elidedText(name, Qt::ElideRight, int(NodeWidth - 20)),
                                                    nameFont);
            nameText->setBrush(textColor);
            nameText->setParentItem(box);
            nameText->setPos(10, 21);
            m_nodes.insert(ref, QPointF(x, y));
            y += NodeHeight + RowGap;
        }
    }

    // Edges with an arrow at the target and the relation's name at the middle.
    const QColor edgeColor = palette.color(QPalette::Mid);
    for (const auto &[key, unused] : edges) {
        Q_UNUSED(unused);
        const auto &[source, type, target] = key;
        if (!m_nodes.contains(source) || !m_nodes.contains(target))
            continue;
        m_edges.append(QStringLiteral("%1 -%2-> %3").arg(source, type, target));
        const QPointF a = m_nodes.value(source);
        const QPointF b = m_nodes.value(target);
        const bool rightwards = b.x() >= a.x();
        QPointF start = a + QPointF(rightwards ? NodeWidth : 0, NodeHeight / 2);
        QPointF end = b + QPointF(rightwards ? 0 : NodeWidth, NodeHeight / 2);
        if (std::abs(a.x() - b.x()) < 1) {   // same column: bow out to the right
            start = a + QPointF(NodeWidth, NodeHeight / 2);
            end = b + QPointF(NodeWidth, NodeHeight / 2);
        }
        QPainterPath path(start);
        const qreal bend = std::abs(a.x() - b.x()) < 1 ? 60 : (end.x() - start.x()) / 2;
        path.cubicTo(start + QPointF(bend, 0), end - QPointF(std::abs(a.x() - b.x()) < 1 ? -60 : bend, 0), end);
        auto *line = scene()->addPath(path, QPen(edgeColor, 1.3));
        line->setZValue(-1);
        const QPointF tip = end;
        const QPointF direction = path.pointAtPercent(1.0) - path.pointAtPercent(0.95);
        const qreal angle = std::atan2(direction.y(), direction.x());
        QPolygonF arrow;
        arrow << tip << tip - QPointF(std::cos(angle - 0.4) * 10, std::sin(angle - 0.4) * 10)
              << tip - QPointF(std::cos(angle + 0.4) * 10, std::sin(angle + 0.4) * 10);
        scene()->addPolygon(arrow, QPen(edgeColor), edgeColor);
        auto *label = scene()->addSimpleText(type, font());
        label->setBrush(palette.color(QPalette::Text));
        const QPointF middle = path.pointAtPercent(0.5);
        label->setPos(middle - QPointF(label->boundingRect().width() / 2, label->boundingRect().height() + 2));
    }
    scene()->setSceneRect(scene()->itemsBoundingRect().adjusted(-20, -20, 20, 20));
    fit();
}

void RelationGraphView::fit()
{
    if (scene()->items().isEmpty())
        return;
    fitInView(scene()->sceneRect(), Qt::KeepAspectRatio);
    // Never blow a small graph up beyond its natural size.
    if (transform().m11() > 1.0)
        setTransform(QTransform());
}

void RelationGraphView::zoomBy(double factor)
{
    scale(factor, factor);
}

void RelationGraphView::wheelEvent(QWheelEvent *event)
{
    zoomBy(event->angleDelta().y() > 0 ? 1.15 : 1 / 1.15);
    event->accept();
}

QString RelationGraphView::refAt(const QPoint &viewPos) const
{
    for (QGraphicsItem *item = itemAt(viewPos); item; item = item->parentItem()) {
        const QString ref = item->data(RefRole).toString();
        if (!ref.isEmpty())
            return ref;
    }
    return {};
}

void RelationGraphView::mouseReleaseEvent(QMouseEvent *event)
{
    QGraphicsView::mouseReleaseEvent(event);
    // A click, not the end of a drag, on a node other than the root opens it.
    if (event->button() != Qt::LeftButton)
        return;
    const QString ref = refAt(event->position().toPoint());
    if (!ref.isEmpty() && ref != m_root && (event->position().toPoint() - m_pressedAt).manhattanLength() < 4)
        Q_EMIT entityActivated(ref);
}

void RelationGraphView::mousePressEvent(QMouseEvent *event)
{
    m_pressedAt = event->position().toPoint();
    QGraphicsView::mousePressEvent(event);
}

void RelationGraphView::mouseDoubleClickEvent(QMouseEvent *event)
{
    const QString ref = refAt(event->position().toPoint());
    if (!ref.isEmpty())
        Q_EMIT entityActivated(ref);
}

bool RelationGraphView::exportTo(const QString &path, QString *error)
{
    const QRectF area = scene()->sceneRect();
    if (QFileInfo(path).suffix().compare(QLatin1String("svg"), Qt::CaseInsensitive) == 0) {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(area.size().toSize());
        svg.setViewBox(QRectF(QPointF(0, 0), area.size()));
        svg.setTitle(m_root);
        QPainter painter;
        if (!painter.begin(&svg)) {
            if (error)
                *error = tr("Cannot write %1").arg(path);
            return false;
        }
        scene()->render(&painter, QRectF(QPointF(0, 0), area.size()), area);
        painter.end();
        return true;
    }
    QImage image((area.size() * 2).toSize(), QImage::Format_ARGB32);
    image.fill(palette().color(QPalette::Base));
    QPainter painter(&image);
    painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    scene()->render(&painter, QRectF(image.rect()), area);
    painter.end();
    if (!image.save(path)) {
        if (error)
            *error = tr("Cannot write %1").arg(path);
        return false;
    }
    return true;
}

} // namespace Greenroom::Ui
