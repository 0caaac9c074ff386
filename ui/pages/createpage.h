// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QJsonObject>
#include <QUrl>
#include <QWidget>

class QComboBox;
class QGridLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;
class QTreeWidget;

namespace Greenroom::Sync {
class ScaffolderClient;
}

namespace Greenroom::Ui {

class CatalogCache;
class TemplateWizard;
class TokenVault;
class UserPreferences;

/*
 * Backstage's Create page: the Template entities of the cache as cards
 * (title, description, tags, owner, type) with a text filter and filters by
 * type, owner and tag; choosing one opens its wizard (TemplateWizard), which
 * runs the task on the server the app syncs from.
 */
class CreatePage : public QWidget
{
    Q_OBJECT

public:
    CreatePage(CatalogCache &cache, UserPreferences &preferences, QWidget *parent = nullptr);

    void setServer(const QUrl &server, const QString &token);
    // Where the person's repository host tokens are kept (the keychain); none: typed each time.
    void setHostTokens(TokenVault *vault) { m_hostTokens = vault; }
    QList<QWidget *> visibleCards() const;
    QLineEdit *textFilter() const { return m_text; }
    QComboBox *typeFilter() const { return m_type; }
    QComboBox *ownerFilter() const { return m_owner; }
    QComboBox *tagFilter() const { return m_tag; }
    TemplateWizard *wizard() const { return m_wizard; }
    QLabel *countLabel() const { return m_count; }
    QTreeWidget *taskList() const { return m_tasks; }
    QPushButton *tasksButton() const { return m_tasksButton; }

public Q_SLOTS:
    void chooseTemplate(const QString &ref);
    void showGallery();
    // Backstage's task list: this server's tasks and those run on this
    // computer, newest first; opening one replays its log.
    void showTasks();
    void reload();

Q_SIGNALS:
    void entityActivated(const QString &ref);

private:
    void applyFilters();
    QWidget *makeCard(const QJsonObject &entity, const QString &ref);
    void openTask(const QString &taskId, const QString &templateRef, bool local);

    CatalogCache &m_cache;
    UserPreferences &m_preferences;
    QUrl m_server;
    QString m_token;
    TokenVault *m_hostTokens = nullptr;
    QStackedWidget *m_stack;
    QWidget *m_taskPage = nullptr;
    QTreeWidget *m_tasks = nullptr;
    QLabel *m_tasksStatus = nullptr;
    QPushButton *m_tasksButton = nullptr;
    Sync::ScaffolderClient *m_taskClient = nullptr;   // for the list
    QLineEdit *m_text;
    QComboBox *m_type;
    QComboBox *m_owner;
    QComboBox *m_tag;
    QLabel *m_count;
    QWidget *m_cardHost;
    QGridLayout *m_grid;
    QList<QWidget *> m_cards;
    QWidget *m_wizardHost;
    TemplateWizard *m_wizard = nullptr;
    QString m_awaited;   // asked for, not in the cache yet
};

} // namespace Greenroom::Ui
