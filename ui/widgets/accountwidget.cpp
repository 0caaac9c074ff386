// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "accountwidget.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QToolButton>

namespace Greenroom::Ui {

QString refName(const QString &ref)
{
    const qsizetype slash = ref.lastIndexOf(QLatin1Char('/'));
    const qsizetype colon = ref.indexOf(QLatin1Char(':'));
    return ref.mid(slash >= 0 ? slash + 1 : colon + 1);
}

AccountWidget::AccountWidget(QWidget *parent) : QWidget(parent)
{
    m_label = new QLabel;
    m_label->setObjectName(QStringLiteral("accountState"));
    m_label->setTextFormat(Qt::PlainText);   // reasons come from servers: never read as HTML
    m_button = new QToolButton;
    m_button->setObjectName(QStringLiteral("accountButton"));
    m_button->setAutoRaise(true);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 8, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_button);
    connect(m_button, &QToolButton::clicked, this, [this] {
        if (m_state == State::SignedIn)
            Q_EMIT signOutRequested();
        else
            Q_EMIT signInRequested();
    });
    // Without a browser on this machine: a code to enter on another device.
    m_signInMenu = new QMenu(this);
    QAction *withCode = m_signInMenu->addAction(tr("Sign in with a code on another device…"));
    withCode->setObjectName(QStringLiteral("deviceSignIn"));
    connect(withCode, &QAction::triggered, this, &AccountWidget::deviceSignInRequested);
    m_button->setPopupMode(QToolButton::MenuButtonPopup);
    showSignedOut();
}

QString AccountWidget::text() const
{
    return m_label->text();
}

QString AccountWidget::buttonText() const
{
    return m_button->text();
}

void AccountWidget::showSignedIn(const QString &userEntityRef, const QStringList &ownershipRefs)
{
    m_state = State::SignedIn;
    m_button->setMenu(nullptr);   // signing in again only after signing out
    QStringList groups;
    for (const QString &ref : ownershipRefs) {
        if (ref != userEntityRef)
            groups.append(refName(ref));
    }
    m_label->setText(groups.isEmpty() ? refName(userEntityRef) : tr("%1 · %2").arg(refName(userEntityRef), groups.join(QStringLiteral(", "))));
    m_label->setToolTip(tr("Signed in as %1\nOwnership: %2").arg(userEntityRef, ownershipRefs.join(QStringLiteral(", "))));
    m_button->setText(tr("Sign out"));
    m_button->setEnabled(true);
}

void AccountWidget::showSignedOut(const QString &reason)
{
    m_state = State::SignedOut;
    m_button->setMenu(m_signInMenu);
    m_label->setText(reason.isEmpty() ? tr("Signed out") : tr("Signed out: %1").arg(reason));
    m_label->setToolTip(tr("Sign in to see what your account may see on this server"));
    m_button->setText(tr("Sign in…"));
    m_button->setEnabled(true);
}

void AccountWidget::showSigningIn(const QString &message)
{
    m_state = State::SigningIn;
    m_button->setMenu(m_signInMenu);
    m_label->setText(message);
    m_label->setToolTip(QString());
    m_button->setText(tr("Sign in again…"));
    m_button->setEnabled(true);
}

} // namespace Greenroom::Ui
