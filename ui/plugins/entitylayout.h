// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/pluginloader.h>
#include <model/filterpredicate.h>
#include <pluginapi/desktopregistry.h>

#include <QJsonArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace Greenroom::Ui {

/*
 * What the entity page is made of: every tab (entity content) and Overview
 * card, built-in and from plugins, with the filter that says which
 * entities get it, in the order they show. The built-in ones (catalog's
 * Overview, Relations, YAML, Problems, About and relation cards, API
 * definition, TechDocs) register through the same DesktopRegistry calls a
 * plugin makes.
 *
 * The order and choice can be changed in the desktop's app-config, the way
 * Backstage's new frontend system reads `app.extensions`:
 *
 *   app:
 *     extensions:
 *       - entity-content:github-actions/github-actions:     # moved first
 *           config: {title: CI, filter: {spec.type: service}}
 *       - entity-card:catalog/relations: false              # hidden
 *       - entity-content:catalog/yaml                       # shown, moved
 *
 * Listed extensions come first, in the listed order; the others follow in
 * their default order (built-ins, then plugins as loaded, YAML and Problems
 * last). `config` may set title, path, filter and group (tabs) or title,
 * filter and type (cards); a filter there replaces the extension's own, so
 * a layout can differ per kind and type.
 */
class EntityLayout
{
public:
    struct Content
    {
        QString id;         // entity-content:<plugin>/<name>
        QString pluginId;
        PluginApi::EntityContent content;
        Model::FilterPredicate filter;
        bool builtIn = false;
        bool disabled = false;
        int rank = 0;       // the order shown
    };
    struct Card
    {
        QString id;         // entity-card:<plugin>/<name>
        QString pluginId;
        PluginApi::EntityCard card;
        Model::FilterPredicate filter;
        bool builtIn = false;
        bool disabled = false;
        int rank = 0;
    };
    struct Page
    {
        QString id;         // page:<plugin>/<name>
        QString pluginId;
        PluginApi::SidebarPage page;
    };

    EntityLayout();
    ~EntityLayout();

    // The registry a plugin (or the built-ins, `manifest` null) registers
    // through; refusals are appended to `problems`.
    std::unique_ptr<PluginApi::DesktopRegistry> registrar(const QString &pluginId, const PluginManifest *manifest,
                                                          QStringList *problems);
    // Applies `app.extensions` (see above); what it cannot use is named in the result.
    QStringList configure(const QJsonValue &extensions);

    // Those for `entity`, in order.
    QList<const Content *> contentsFor(const QJsonObject &entity) const;
    QList<const Card *> cardsFor(const QJsonObject &entity) const;
    QList<const Page *> pages() const;
    const Content *content(const QString &id) const;

private:
    class Registrar;
    std::vector<std::unique_ptr<Content>> m_contents;
    std::vector<std::unique_ptr<Card>> m_cards;
    std::vector<std::unique_ptr<Page>> m_pages;
    int m_nextRank = 0;
};

} // namespace Greenroom::Ui
