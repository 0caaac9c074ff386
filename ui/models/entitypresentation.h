// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QJsonObject>
#include <QString>

namespace Greenroom::Ui {

// How Backstage's frontend names entities, shared by the pages and the graph.
// (Refs are shown with Model::EntityRef::humanize, relations read with
// Model::relationTargets.)
namespace EntityPresentation {

// metadata.title, else metadata.name.
QString displayName(const QJsonObject &entity);
// The kind of a "kind:namespace/name" ref, lower case.
QString kindOf(const QString &ref);

} // namespace EntityPresentation

} // namespace Greenroom::Ui
