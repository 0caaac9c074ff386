// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "tablecelldelegate.h"

#include <QApplication>
#include <QFontMetrics>
#include <QPainter>

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
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    opt.text.clear();   // the style draws the panel, selection and focus; the text is ours
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
    if (text.isEmpty())
        return;
    opt.text = text;
    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
    const QRect area = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, widget).adjusted(margin, 0, -margin, 0);
    if (area.width() <= 0)
        return;
    const QStaticText &staticText = layout(text, opt.font, area.width(), opt.textElideMode);
    const QPalette::ColorGroup group = !(opt.state & QStyle::State_Enabled) ? QPalette::Disabled
                                       : (opt.state & QStyle::State_Active) ? QPalette::Normal
                                                                            : QPalette::Inactive;
    painter->save();
    painter->setFont(opt.font);
    painter->setPen(opt.palette.color(group, (opt.state & QStyle::State_Selected) ? QPalette::HighlightedText : QPalette::Text));
    painter->setClipRect(area);
    const qreal top = area.top() + (area.height() - staticText.size().height()) / 2;
    painter->drawStaticText(QPointF(area.left(), top), staticText);
    painter->restore();
}

} // namespace Greenroom::Ui
