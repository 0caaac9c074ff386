// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "plugins/entitylayout.h"

#include <QJsonObject>
#include <QWidget>

#include <memory>
#include <vector>

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
class PluginEntityView;
struct PluginServices;
class RelationGraphView;
class UserPreferences;

/*
 * One entity, as Backstage's entity page shows it: a header (kind, title,
 * type, lifecycle, owner, star) and the tabs and Overview cards the
 * EntityLayout gives this entity, in its order. Built in: Overview (About
 * and relation cards), Relations (the graph), Definition (APIs), Docs
 * (documented entities), YAML and Problems, registered through the plugin
 * API like plugins' tabs and cards. Built-in tabs are kept and refilled per
 * entity; a plugin's tab is made when first shown and deleted with its
 * entity. Everything comes from the cache.
 */
class EntityPage : public QWidget
{
    Q_OBJECT

public:
    // Registers the built-in tabs and cards in `layout`; without `docs` there is no Docs tab.
    EntityPage(CatalogCache &cache, UserPreferences &preferences, EntityLayout &layout, const PluginServices &services,
               DocsWeb *docs = nullptr, QWidget *parent = nullptr);
    ~EntityPage() override;

    // Refresh and Delete, as far as the server's policy allows them for the
    // entity shown; asked again when the server or the signed-in user changes.
    void askPermissions();

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
    // The tab showing a content (entity-content:<plugin>/<id>), or -1.
    int tabOf(const QString &contentId) const;
    // The relation lists of the Overview tab, by title ("Provided APIs", ...).
    QListWidget *relationList(const QString &title) const;

Q_SIGNALS:
    void entityActivated(const QString &ref);
    // "Launch template" on a Template's page.
    void templateLaunched(const QString &ref);
    // What a server action did ("Refresh requested", "Deleted ..."), for the status bar.
    void statusMessage(const QString &message);

private:
    void registerBuiltIns();
    void rebuild();
    void rebuildTabs();
    void rebuildOverview();
    void tabShown(int index);
    const EntityLayout::Content *tab(int index) const;
    std::unique_ptr<PluginEntityView> makeView(const QString &pluginId) const;
    QWidget *makeAboutCard(const QJsonObject &entity);
    QWidget *makeRelationCards(const QJsonObject &entity);
    void updateStar();
    void refreshEntity();
    void deleteEntity();

    CatalogCache &m_cache;
    UserPreferences &m_preferences;
    EntityLayout &m_layout;
    const PluginServices &m_services;
    QString m_ref;
    QJsonObject m_entity;
    QLabel *m_kindLabel;
    QLabel *m_titleLabel;
    QLabel *m_subtitle;
    QToolButton *m_star;
    QPushButton *m_launch;
    QPushButton *m_refresh;
    QPushButton *m_delete;
    QTabWidget *m_tabs;
    QWidget *m_overviewTab;
    QWidget *m_relationsTab;
    QWidget *m_overview;
    QGridLayout *m_overviewLayout;
    RelationGraphView *m_graph;
    QPlainTextEdit *m_definition;
    DocsReader *m_docs = nullptr;
    QPlainTextEdit *m_yaml;
    QListWidget *m_problems;
    QHash<QString, QListWidget *> m_relationLists;
    QList<const EntityLayout::Content *> m_shown;   // by tab index
    QList<QWidget *> m_pluginTabs;                   // this entity's plugin tabs (their frames)
    std::vector<std::unique_ptr<PluginEntityView>> m_tabViews;    // outlive their tabs' widgets
    std::vector<std::unique_ptr<PluginEntityView>> m_cardViews;   // outlive the Overview's cards
};

} // namespace Greenroom::Ui
