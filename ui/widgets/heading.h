// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QLabel>

namespace Greenroom::Ui {

// A page's or a section's title: bold, `scale` times the label's font size.
inline QLabel *makeHeading(const QString &text = {}, qreal scale = 1.7)
{
    auto *label = new QLabel(text);
    QFont font = label->font();
    font.setPointSizeF(font.pointSizeF() * scale);
    font.setBold(true);
    label->setFont(font);
    return label;
}

} // namespace Greenroom::Ui
