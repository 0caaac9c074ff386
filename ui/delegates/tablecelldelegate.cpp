// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "tablecelldelegate.h"

#include <QApplication>
#include <QFontMetrics>
#include <QPainter>
#include <QStyleOptionFocusRect>

namespace Greenroom::Ui {

const QStaticText &TableCellDelegate::layout(const QString &text, const QFont &font, int width, Qt::TextElideMode elide) const
{
    const QString key = QString::number(width) + QLatin1Char('\x1f') + font.key() + QLatin1Char('\x1f') + text;
    if (QStaticText *cached = m_layouts.object(key))
        return *cached;
    auto *staticText = new QStaticText(QFontMetrics(font).elidedText(text, elide, width));
    staticText->setTextFormat(Qt::PlainText);
    staticText->prepare(QTransform(), font);
    m_layouts.insert(key, staticText);
    return *m_layouts.object(key);
}

void TableCellDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    // The view has drawn the row's (alternating) background; a cell adds its
    // selection, its text and, for the current cell, the focus frame. Only
    // the display text is asked of the model.
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    const QPalette::ColorGroup group = !(option.state & QStyle::State_Enabled) ? QPalette::Disabled
                                       : (option.state & QStyle::State_Active) ? QPalette::Normal
                                                                               : QPalette::Inactive;
    const bool selected = option.state & QStyle::State_Selected;
    if (selected)
        painter->fillRect(option.rect, option.palette.brush(group, QPalette::Highlight));
    const QString text = index.data(Qt::DisplayRole).toString();
    if (!text.isEmpty()) {
        const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 2;
        const QRect area = option.rect.adjusted(margin, 0, -margin, 0);
        if (area.width() > 0) {
            const QStaticText &staticText = layout(text, option.font, area.width(), option.textElideMode);
            painter->save();
            painter->setFont(option.font);
            painter->setPen(option.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text));
            painter->setClipRect(area);
            painter->drawStaticText(QPointF(area.left(), area.top() + (area.height() - staticText.size().height()) / 2),
                                    staticText);
            painter->restore();
        }
    }
    if (option.state & QStyle::State_HasFocus) {
        QStyleOptionFocusRect focus;
        focus.QStyleOption::operator=(option);
        focus.rect = option.rect;
        focus.backgroundColor = option.palette.color(group, selected ? QPalette::Highlight : QPalette::Base);
        style->drawPrimitive(QStyle::PE_FrameFocusRect, &focus, painter, widget);
    }
}

} // namespace Greenroom::Ui
