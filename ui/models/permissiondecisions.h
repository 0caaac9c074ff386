// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;

namespace Greenroom::Ui {

// A permission as the desktop asks about it: by name, on an entity or not.
struct PermissionQuestion
{
    QString permission;    // catalog.entity.delete
    QString resourceRef;   // component:default/x; empty for basic permissions
};

/*
 * What the server's policy lets the signed-in person do, asked with POST
 * /api/permission/authorize (as Backstage's usePermission asks it), so the
 * desktop can hide or disable what would be refused and say why. Answers
 * are ALLOW or DENY (conditions are evaluated on the named entity by the
 * server); when the server cannot be asked (offline, an old server), the
 * answer is "unknown" and the action stays available: the server decides.
 */
class PermissionDecisions
{
public:
    enum class Answer { Allow, Deny, Unknown };
    using Answers = QList<Answer>;

    static void ask(QNetworkAccessManager &network, const QUrl &server, const QString &token, const QList<PermissionQuestion> &questions,
                    QObject *context, std::function<void(const Answers &answers)> done);
    // "Your account may not delete entities here (catalog.entity.delete)."
    static QString refusal(const QString &permission);
};

} // namespace Greenroom::Ui
