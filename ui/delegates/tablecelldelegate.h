// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QCache>
#include <QStaticText>
#include <QStyledItemDelegate>

namespace Greenroom::Ui {

/*
 * Paints a table cell as plainly as it can: the selection, the text from a
 * cache of laid-out, elided QStaticText (one per text, width and font), and
 * the focus frame through the style. The catalog table is repainted on every
 * keystroke in the filter box; the style's full item drawing (a dozen model
 * roles, text shaping and eliding for some 200 cells each time) was most of
 * a keystroke's cost.
 */
class TableCellDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    const QStaticText &layout(const QString &text, const QFont &font, int width, Qt::TextElideMode elide) const;
    mutable QCache<QString, QStaticText> m_layouts{4000};
};

} // namespace Greenroom::Ui
