// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QListWidget>

namespace Greenroom::Ui {

// Down and Up pressed in a search box move the selection of its results
// (the typing stays in the box); true when `key` was one of them.
inline bool moveThroughResults(QListWidget *results, int key)
{
    const int row = results->currentRow();
    if (key == Qt::Key_Down) {
        results->setCurrentRow(std::min(row + 1, results->count() - 1));
        return true;
    }
    if (key == Qt::Key_Up) {
        results->setCurrentRow(std::max(row - 1, 0));
        return true;
    }
    return false;
}

} // namespace Greenroom::Ui
