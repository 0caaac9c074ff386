// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <pluginapi/entityview.h>

#include <QByteArray>
#include <QJsonDocument>
#include <QString>

#include <functional>

class QObject;

namespace Greenroom::Plugins::Support {

/*
 * Asks the Greenroom server the app syncs from, as a plugin's desktop half
 * asks its server half: `path` below the server (with its query, already
 * percent-encoded), the server's token added, 30 s at most. `done` gets the
 * answer's JSON on 200, else a sentence: the server unreachable, or the
 * error the answer carries in any of the shapes Backstage's plugins use
 * ({"error": {"message"}}, {"error": "..."}, {"errors": ["..."]},
 * {"message"}). Answers come on `context`'s thread and not at all once it
 * is gone. Shared by Greenroom's own plugins; not part of the plugin API.
 */
void askServer(PluginApi::EntityView &view, QObject *context, const QByteArray &method, const QString &path, const QByteArray &body,
               std::function<void(const QJsonDocument &, const QString &error)> done);

} // namespace Greenroom::Plugins::Support
