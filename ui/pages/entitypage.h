// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QListWidget;
class QPlainTextEdit;
class QTabWidget;
class QPushButton;
class QToolButton;
class QGridLayout;

namespace Greenroom::Ui {

class CatalogCache;
class DocsReader;
class DocsWeb;
class RelationGraphView;
class UserPreferences;

/*
 * One entity, as Backstage's entity page shows it: a header (kind, title,
 * type, lifecycle, owner, star) and tabs: Overview (the About card and the
 * relation lists), Relations (the graph), Definition (APIs), Docs (when
 * the cache holds a TechDocs site for it), YAML and Problems. Everything
 * comes from the cache.
 */
class EntityPage : public QWidget
{
    Q_OBJECT

public:
    // Without `docs` there is no Docs tab.
    EntityPage(CatalogCache &cache, UserPreferences &preferences, DocsWeb *docs = nullptr, QWidget *parent = nullptr);

    // Shows `ref`; false (and a "not in the catalog" message) when the cache
    // does not hold it.
    bool showEntity(const QString &ref);
    QString ref() const { return m_ref; }
    QTabWidget *tabs() const { return m_tabs; }
    QToolButton *starButton() const { return m_star; }
    RelationGraphView *graph() const { return m_graph; }
    DocsReader *docsReader() const { return m_docs; }
    // The Docs tab's index, or -1 while it is hidden.
    int docsTab() const;
    // The relation lists of the Overview tab, by title ("Provided APIs", ...).
    QListWidget *relationList(const QString &title) const;

Q_SIGNALS:
    void entityActivated(const QString &ref);
    // "Launch template" on a Template's page.
    void templateLaunched(const QString &ref);

private:
    void rebuild();
    void rebuildOverview();
    bool hasDocs();   // a site in the cache, or docs the server builds when asked
    void updateStar();

    CatalogCache &m_cache;
    UserPreferences &m_preferences;
    QString m_ref;
    QJsonObject m_entity;
    QLabel *m_kindLabel;
    QLabel *m_titleLabel;
    QLabel *m_subtitle;
    QToolButton *m_star;
    QPushButton *m_launch;
    QTabWidget *m_tabs;
    QWidget *m_overview;
    QGridLayout *m_overviewLayout;
    RelationGraphView *m_graph;
    QPlainTextEdit *m_definition;
    DocsReader *m_docs = nullptr;
    QPlainTextEdit *m_yaml;
    QListWidget *m_problems;
    QHash<QString, QListWidget *> m_relationLists;
};

} // namespace Greenroom::Ui
