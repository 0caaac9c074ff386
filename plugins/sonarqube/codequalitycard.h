// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <pluginapi/entityview.h>

#include <QJsonObject>
#include <QWidget>

class QGridLayout;
class QLabel;

namespace Greenroom::Plugins::SonarQube {

/*
 * Backstage's "Code Quality" card: the quality gate, then Bugs,
 * Vulnerabilities, Code Smells (each with its A-E rating), Hotspots
 * reviewed, Coverage and Duplications, the last analysis and "View more"
 * on SonarQube. Asks the Greenroom server's /api/sonarqube; the last
 * answer is kept in the cache and shown offline with its age.
 */
class CodeQualityCard : public QWidget
{
    Q_OBJECT

public:
    explicit CodeQualityCard(PluginApi::EntityView &view, QWidget *parent = nullptr);

    QLabel *gate() const { return m_gate; }
    QLabel *status() const { return m_status; }
    // The value shown for a tile ("Bugs", "Coverage", ...); empty when not shown.
    QString tile(const QString &title) const;
    void reload();

Q_SIGNALS:
    void loaded(bool fromServer);

private:
    void show(const QJsonObject &summary);

    PluginApi::EntityView &m_view;
    QLabel *m_gate;
    QLabel *m_status;
    QLabel *m_link;
    QGridLayout *m_tiles;
};

} // namespace Greenroom::Plugins::SonarQube
