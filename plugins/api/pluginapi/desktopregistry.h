// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "entityview.h"

#include <QJsonObject>
#include <QString>

#include <functional>

class QWidget;

namespace Greenroom::PluginApi {

// An entity page tab (Backstage's EntityContentBlueprint).
struct EntityContent
{
    QString id;         // unique within the plugin; its full id is entity-content:<plugin>/<id>
    QString title;      // the tab's label
    QString path;       // its address below the entity, e.g. "ci-cd" (greenroom://catalog/.../ci-cd)
    // Which entities get it: a filter predicate as Backstage's frontend reads
    // one ({"kind": "component", "metadata.annotations.x/y": {"$exists": true}}); empty: all.
    QJsonObject filter;
    QString group;      // overview, documentation, development, deployment, operation, observability, or empty
    std::function<QWidget *(EntityView &view)> create;   // made when the tab is first shown
};

// An Overview card (Backstage's EntityCardBlueprint).
struct EntityCard
{
    QString id;
    QString title;
    QJsonObject filter;
    QString type;       // "info" (the narrow column, like About) or "content" (the wide one)
    std::function<QWidget *(EntityView &view)> create;
};

// A page of its own in the sidebar.
struct SidebarPage
{
    QString id;
    QString title;
    std::function<QWidget *()> create;
};

/*
 * Where a desktop plugin puts what it contributes, during
 * DesktopPlugin::registerDesktop only. A contribution whose id the
 * manifest does not list, or that repeats an id, is refused: the call
 * returns false and Greenroom logs why.
 */
class DesktopRegistry
{
public:
    virtual ~DesktopRegistry() = default;
    virtual bool addEntityContent(EntityContent content) = 0;
    virtual bool addEntityCard(EntityCard card) = 0;
    virtual bool addPage(SidebarPage page) = 0;
};

} // namespace Greenroom::PluginApi
