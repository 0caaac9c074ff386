// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QStyledItemDelegate>

namespace Greenroom::Ui {

/*
 * Paints an item's HtmlRole text (Qt's rich-text subset) over the style's
 * selection, as tall as the text needs at the view's width: search results
 * with their matched words marked and a line of facts under the title. On
 * a selected row, text written in `mutedColour` is painted in the
 * selection's text colour instead (grey does not read on it).
 */
class RichTextDelegate : public QStyledItemDelegate
{
public:
    static constexpr int HtmlRole = Qt::UserRole + 100;
    RichTextDelegate(const QString &mutedColour, QObject *parent) : QStyledItemDelegate(parent), m_muted(mutedColour) {}
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    // An item's Qt::SizeHintRole when it has one (set it: laying out rich
    // text for every size the view asks is most of a list's repaint).
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    // The size `html` takes in `font` at `width`.
    static QSize sizeFor(const QString &html, const QFont &font, int width);

private:
    QString m_muted;
};

} // namespace Greenroom::Ui
