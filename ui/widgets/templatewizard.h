// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/jsonkeyorder.h>

#include <QJsonArray>
#include <QJsonObject>
#include <QUrl>
#include <QWidget>

class QComboBox;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QHBoxLayout;

namespace Greenroom::Scaffold {
struct ParameterPage;
}

namespace Greenroom::Sync {
class LocalScaffolder;
class ScaffolderClient;
class TaskDriver;
}

namespace Greenroom::Ui {

class CatalogCache;
class ParameterForm;
class TokenVault;

/*
 * A template's wizard, as Backstage's scaffolder page runs it: one page per
 * parameter step, a review of the answers, then the task with its live log,
 * a progress bar over the steps and, when it is done, the output's links
 * and texts. "Try it" makes a dry run and shows the files the template
 * would create, touching nothing. The review page chooses where it runs:
 * on the server, or on this computer (LocalScaffolder).
 */
class TemplateWizard : public QWidget
{
    Q_OBJECT

public:
    // `owners`: the person and their groups, for OwnedEntityPicker fields.
    // `hostTokens`: repository host tokens in the keychain, for RepoUrlPicker's requestUserCredentials.
    // `keyOrder`: the template's, read from its stored JSON, so fields come in their written order.
    TemplateWizard(const QJsonObject &templateEntity, CatalogCache &cache, const QStringList &owners, const QUrl &server, const QString &token,
                   TokenVault *hostTokens = nullptr, const JsonKeyOrder &keyOrder = {}, QWidget *parent = nullptr);
    ~TemplateWizard() override;

    QString templateRef() const { return m_templateRef; }
    // Where local runs keep templates fetched from the server and their
    // past tasks: beside the cache (one cache per server).
    static QString localFolder(const CatalogCache &cache);
    int pageCount() const;                  // parameter pages
    int currentPage() const;                // index; pageCount() is the review, then the run
    ParameterForm *form(int page) const;
    QJsonObject values() const { return answers(false); }    // every page's answers
    QJsonObject secrets() const { return answers(true); }    // its Secret fields' answers
    bool isReviewing() const;
    bool isRunning() const;

    QPushButton *backButton() const { return m_back; }
    QPushButton *nextButton() const { return m_next; }
    QPushButton *createButton() const { return m_create; }
    QPushButton *tryButton() const { return m_try; }
    QPushButton *cancelButton() const { return m_cancel; }
    // "server" or "local": where Create and Try it run the task.
    QComboBox *runPlace() const { return m_runPlace; }
    QLabel *reviewLabel() const { return m_review; }
    QPlainTextEdit *log() const { return m_log; }
    QProgressBar *progress() const { return m_progress; }
    QListWidget *steps() const { return m_steps; }
    QListWidget *files() const { return m_files; }
    QPlainTextEdit *fileView() const { return m_fileView; }
    QLabel *status() const { return m_status; }
    QList<QPushButton *> outputButtons() const { return m_outputButtons; }

public Q_SLOTS:
    void goNext();
    void goBack();
    void create();
    void tryIt();
    // Shows a task that exists already (a past one, or one still running):
    // its log from the start, its steps, and how it ended. `local`: one
    // that ran on this computer.
    void showTask(const QString &taskId, bool local = false);

Q_SIGNALS:
    void entityActivated(const QString &ref);
    void finished(const QString &status);
    void dryRunShown();

private:
    QJsonObject answers(bool secrets) const;
    QList<Scaffold::ParameterPage> pages() const;
    bool isPageVisible(int index) const;
    void showPage(int index);
    void updateButtons();
    void startRunView(const QString &title);
    // The driver the run place names, from now on the one followed.
    Sync::TaskDriver *chooseDriver();
    void onEvent(const QJsonObject &event);
    void onFinished(const QString &status, const QJsonObject &output, const QString &error);
    void showOutput(const QJsonObject &output);
    void showDryRun(const QJsonObject &result);
    void requestFailed(const QString &message, const QJsonArray &validation);

    QJsonObject m_template;
    QString m_templateRef;
    QString m_userRef;   // the person (Settings' identity), for local runs
    CatalogCache &m_cache;
    Sync::ScaffolderClient *m_client;    // the server's tasks
    Sync::LocalScaffolder *m_local;      // tasks run here
    Sync::TaskDriver *m_driver;          // the one the run view follows
    QList<ParameterForm *> m_forms;
    QStackedWidget *m_stack;
    QLabel *m_stepTitle;
    QLabel *m_review;
    QWidget *m_runPage;
    QLabel *m_status;
    QProgressBar *m_progress;
    QListWidget *m_steps;
    QPlainTextEdit *m_log;
    QListWidget *m_files;
    QPlainTextEdit *m_fileView;
    QHBoxLayout *m_outputBox;
    QList<QPushButton *> m_outputButtons;
    QPushButton *m_back;
    QPushButton *m_next;
    QPushButton *m_create;
    QPushButton *m_try;
    QPushButton *m_cancel;
    QComboBox *m_runPlace;
    QString m_reviewLabelText;
    QString m_backLabelText;
    QJsonArray m_dryRunFiles;
    bool m_running = false;
};

} // namespace Greenroom::Ui
