// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QStringList>
#include <QWidget>

class QLabel;
class QMenu;
class QToolButton;

namespace Greenroom::Ui {

/*
 * The status bar's account: who you are on the server ("Jane · payments",
 * with your groups in the tooltip) and a button to sign out, or "Signed
 * out" and a button to sign in; while signing in, what the browser or the
 * device code is waiting for.
 */
class AccountWidget : public QWidget
{
    Q_OBJECT

public:
    explicit AccountWidget(QWidget *parent = nullptr);
    QString text() const;
    QString buttonText() const;
    QMenu *signInMenu() const { return m_signInMenu; }

public Q_SLOTS:
    void showSignedIn(const QString &userEntityRef, const QStringList &ownershipRefs);
    void showSignedOut(const QString &reason = {});
    void showSigningIn(const QString &message);

Q_SIGNALS:
    void signInRequested();
    // Sign in on another device with a code (no browser here: SSH, kiosks).
    void deviceSignInRequested();
    void signOutRequested();

private:
    enum class State { SignedOut, SigningIn, SignedIn };
    State m_state = State::SignedOut;
    QLabel *m_label;
    QToolButton *m_button;
    QMenu *m_signInMenu;
};

// "user:default/jane.doe" -> "jane.doe"; a ref's name part.
QString refName(const QString &ref);

} // namespace Greenroom::Ui
