// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "richtextdelegate.h"

#include <QAbstractTextDocumentLayout>
#include <QApplication>
#include <QPainter>
#include <QTextDocument>

namespace Greenroom::Ui {

namespace {

constexpr int Padding = 6;

void prepare(QTextDocument &document, const QStyleOptionViewItem &option, const QModelIndex &index, const QString &muted = {},
             const QString &replacement = {})
{
    document.setDefaultFont(option.font);
    document.setDocumentMargin(0);
    QString html = index.data(RichTextDelegate::HtmlRole).toString();
    if (!muted.isEmpty())
        html.replace(muted, replacement);
    document.setHtml(html);
    document.setTextWidth(std::max(80, option.rect.width() - 2 * Padding));
}

} // namespace

void RichTextDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem plain = option;
    initStyleOption(&plain, index);
    plain.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &plain, painter, widget);

    const bool selected = option.state & QStyle::State_Selected;
    QTextDocument document;
    prepare(document, option, index, selected ? m_muted : QString(), option.palette.color(QPalette::HighlightedText).name());
    QAbstractTextDocumentLayout::PaintContext context;
    context.palette = option.palette;
    if (selected)
        context.palette.setColor(QPalette::Text, option.palette.color(QPalette::HighlightedText));
    painter->save();
    painter->translate(option.rect.topLeft() + QPoint(Padding, Padding));
    painter->setClipRect(QRect(QPoint(0, 0), option.rect.size() - QSize(Padding, Padding)));
    document.documentLayout()->draw(painter, context);
    painter->restore();
}

QSize RichTextDelegate::sizeFor(const QString &html, const QFont &font, int width)
{
    QTextDocument document;
    document.setDefaultFont(font);
    document.setDocumentMargin(0);
    document.setHtml(html);
    document.setTextWidth(std::max(80, width - 2 * Padding));
    return {width, int(document.size().height()) + 2 * Padding};
}

QSize RichTextDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QVariant known = index.data(Qt::SizeHintRole);
    if (known.isValid())
        return known.toSize();
    QStyleOptionViewItem sized = option;
    if (option.widget)
        sized.rect.setWidth(option.widget->width() - 24);
    QTextDocument document;
    prepare(document, sized, index);
    return {int(document.idealWidth()) + 2 * Padding, int(document.size().height()) + 2 * Padding};
}

} // namespace Greenroom::Ui
