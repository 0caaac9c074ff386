// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QWidget>

class QLabel;
class QListWidget;

namespace Greenroom::Ui {

class CatalogCache;
class UserPreferences;

// Home: starred and recently visited entities, and what the catalog holds.
class HomePage : public QWidget
{
    Q_OBJECT

public:
    HomePage(CatalogCache &cache, UserPreferences &preferences, QWidget *parent = nullptr);
    QListWidget *starredList() const { return m_starred; }
    QListWidget *recentList() const { return m_recent; }

Q_SIGNALS:
    void entityActivated(const QString &ref);

private:
    void reload();
    void fill(QListWidget *list, const QStringList &refs, const QString &empty);

    CatalogCache &m_cache;
    UserPreferences &m_preferences;
    QLabel *m_summary;
    QListWidget *m_starred;
    QListWidget *m_recent;
};

} // namespace Greenroom::Ui
