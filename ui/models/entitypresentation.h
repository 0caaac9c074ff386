// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace Greenroom::Ui {

// How Backstage's frontend names entities and their relations, shared by
// the tables, the entity page and the graph.
namespace EntityPresentation {

// "group:default/team-a" as Backstage's humanizeEntityRef shows it: the kind
// left out when it is `defaultKind`, the namespace when it is "default".
QString humanizeRef(const QString &ref, const QString &defaultKind = {});
// metadata.title, else metadata.name.
QString displayName(const QJsonObject &entity);
// Target refs of the entity's relations of `type`, sorted.
QStringList relationTargets(const QJsonObject &entity, const QString &type, const QString &targetKind = {});
// "kind:namespace/name" of an entity, lower case.
QString refOf(const QJsonObject &entity);
QString kindOf(const QString &ref);

} // namespace EntityPresentation

} // namespace Greenroom::Ui
