// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QGraphicsView>
#include <QHash>
#include <QSet>

namespace Greenroom::Ui {

class CatalogCache;

/*
 * Backstage's catalog graph, drawn with QGraphicsView: the entities around
 * a root up to a depth, nodes coloured by kind, one labelled edge per
 * related pair (a relation and its inverse merged, as Backstage merges
 * them), laid out in columns by distance from the root. Clicking a node
 * asks to open it; the wheel zooms; fit, and export to PNG or SVG.
 */
class RelationGraphView : public QGraphicsView
{
    Q_OBJECT

public:
    explicit RelationGraphView(CatalogCache &cache, QWidget *parent = nullptr);

    // Every relation pair the graph knows, as (forward, inverse); forward
    // names the edge ("ownerOf" for ownerOf/ownedBy).
    static const QList<std::pair<QString, QString>> &relationPairs();

    void setRoot(const QString &ref);
    // 0: no limit.
    void setMaxDepth(int depth);
    // Forward names of the pairs to follow; empty: all.
    void setRelationFilter(const QSet<QString> &forwardTypes);
    void rebuild();
    void fit();
    void zoomBy(double factor);
    // Writes the whole graph as an image: PNG or SVG by the file's suffix.
    bool exportTo(const QString &path, QString *error = nullptr);

    // What is drawn, for tests: node refs and edges as "source -label-> target".
    QStringList nodeRefs() const;
    QStringList edgeDescriptions() const { return m_edges; }

Q_SIGNALS:
    void entityActivated(const QString &ref);

protected:
    void wheelEvent(QWheelEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    QString refAt(const QPoint &viewPos) const;

    CatalogCache &m_cache;
    QString m_root;
    int m_maxDepth = 1;
    QSet<QString> m_filter;
    QHash<QString, QPointF> m_nodes;   // ref -> position of its box's centre
    QStringList m_edges;
    QPoint m_pressedAt;
};

} // namespace Greenroom::Ui
