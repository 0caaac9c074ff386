// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "templatewizard.h"

#include "models/permissiondecisions.h"

#include "heading.h"
#include "models/catalogcache.h"
#include "parameterform.h"

#include <scaffold/templateparameters.h>
#include <sync/localscaffolder.h>
#include <sync/scaffolderclient.h>

#include <QComboBox>
#include <QDesktopServices>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardItemModel>

namespace Greenroom::Ui {

namespace {

QString shownValue(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isBool())
        return value.toBool() ? TemplateWizard::tr("Yes") : TemplateWizard::tr("No");
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 15);
    return QString::fromUtf8(value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                                             : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
}

} // namespace

TemplateWizard::TemplateWizard(const QJsonObject &templateEntity, CatalogCache &cache, const QStringList &owners, const QUrl &server,
                               const QString &token, TokenVault *hostTokens, const JsonKeyOrder &keyOrder, QWidget *parent)
    : QWidget(parent), m_template(templateEntity), m_cache(cache), m_client(new Sync::ScaffolderClient(server, token, this)),
      m_local(new Sync::LocalScaffolder(server, token, localFolder(cache), this)), m_driver(m_client)
{
    m_userRef = owners.value(0);
    const QJsonObject metadata = templateEntity.value(QLatin1String("metadata")).toObject();
    m_templateRef = QStringLiteral("template:%1/%2").arg(metadata.value(QLatin1String("namespace")).toString(QStringLiteral("default")),
                                                         metadata.value(QLatin1String("name")).toString());
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(makeHeading(metadata.value(QLatin1String("title")).toString(metadata.value(QLatin1String("name")).toString()), 1.4));
    auto *description = new QLabel(metadata.value(QLatin1String("description")).toString());
    description->setWordWrap(true);
    layout->addWidget(description);
    m_stepTitle = new QLabel;
    m_stepTitle->setObjectName(QStringLiteral("stepTitle"));
    QFont bold = m_stepTitle->font();
    bold.setBold(true);
    m_stepTitle->setFont(bold);
    layout->addWidget(m_stepTitle);

    m_stack = new QStackedWidget;
    const QList<Scaffold::ParameterPage> pages = Scaffold::parameterPages(templateEntity, keyOrder);
    const QJsonObject defaults = Scaffold::withDefaults({}, pages);
    for (const Scaffold::ParameterPage &page : pages) {
        auto *form = new ParameterForm(page, cache, defaults, owners, hostTokens);
        connect(form, &ParameterForm::changed, this, &TemplateWizard::updateButtons);
        // RepoUrlPicker's suggestions: the server asks the host with the person's token.
        form->setSuggest([client = QPointer<Sync::ScaffolderClient>(m_client)](const QString &resource, const QJsonObject &context, const QString &token,
                                                                               std::function<void(const QStringList &)> done) {
            if (client)
                client->autocomplete(QStringLiteral("github"), resource, token, context, std::move(done));
        });
        auto *scroll = new QScrollArea;
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        scroll->setWidget(form);
        m_stack->addWidget(scroll);
        m_forms.append(form);
    }
    m_review = new QLabel;
    m_review->setObjectName(QStringLiteral("review"));
    m_review->setTextFormat(Qt::RichText);
    m_review->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_review->setWordWrap(true);
    auto *reviewScroll = new QScrollArea;
    reviewScroll->setWidgetResizable(true);
    reviewScroll->setFrameShape(QFrame::NoFrame);
    reviewScroll->setWidget(m_review);
    m_stack->addWidget(reviewScroll);

    // The run: status, progress over the steps, the steps, the log; outputs; dry-run files.
    m_runPage = new QWidget;
    auto *run = new QVBoxLayout(m_runPage);
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("taskStatus"));
    m_status->setWordWrap(true);
    run->addWidget(m_status);
    m_progress = new QProgressBar;
    run->addWidget(m_progress);
    auto *split = new QSplitter;
    m_steps = new QListWidget;
    m_steps->setMaximumWidth(280);
    split->addWidget(m_steps);
    m_log = new QPlainTextEdit;
    m_log->setReadOnly(true);
    m_log->setObjectName(QStringLiteral("taskLog"));
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    m_log->setFont(mono);
    split->addWidget(m_log);
    m_files = new QListWidget;
    m_files->setObjectName(QStringLiteral("dryRunFiles"));
    m_fileView = new QPlainTextEdit;
    m_fileView->setReadOnly(true);
    m_fileView->setFont(mono);
    split->addWidget(m_files);
    split->addWidget(m_fileView);
    m_files->hide();
    m_fileView->hide();
    run->addWidget(split, 1);
    m_outputBox = new QHBoxLayout;
    run->addLayout(m_outputBox);
    m_stack->addWidget(m_runPage);
    layout->addWidget(m_stack, 1);
    connect(m_files, &QListWidget::currentRowChanged, this, [this](int row) {
        const QJsonObject file = m_dryRunFiles.at(row).toObject();
        m_fileView->setPlainText(QString::fromUtf8(QByteArray::fromBase64(file.value(QLatin1String("base64Content")).toString().toLatin1())));
    });

    const QJsonObject labels = templateEntity.value(QLatin1String("spec"))[QLatin1String("presentation")][QLatin1String("buttonLabels")].toObject();
    auto *buttons = new QHBoxLayout;
    m_back = new QPushButton(labels.value(QLatin1String("backButtonText")).toString(tr("Back")));
    m_next = new QPushButton(tr("Next"));
    m_next->setDefault(true);
    m_runPlace = new QComboBox;
    m_runPlace->setObjectName(QStringLiteral("runPlace"));
    m_runPlace->addItem(tr("Run on the server"), QStringLiteral("server"));
    m_runPlace->setItemData(0, tr("The steps run on %1, with its credentials; the task is listed under Tasks").arg(server.toString()), Qt::ToolTipRole);
    m_runPlace->addItem(tr("Run on this computer"), QStringLiteral("local"));
    m_runPlace->setItemData(1, tr("The steps run here, with your own credentials; the template's files come from %1 "
                                  "and are kept, so a template fetched once also runs while the server is away")
                                   .arg(server.toString()),
                            Qt::ToolTipRole);
    // Running on the server needs scaffolder.task.create there: when its
    // policy refuses it, the choice is greyed out with the reason.
    if (server.isValid()) {
        auto *network = new QNetworkAccessManager(this);
        PermissionDecisions::ask(*network, server, token, {{QStringLiteral("scaffolder.task.create"), QString()}}, this,
                                 [this](const PermissionDecisions::Answers &answers) {
                                     if (answers.value(0) != PermissionDecisions::Answer::Deny)
                                         return;
                                     if (auto *model = qobject_cast<QStandardItemModel *>(m_runPlace->model()))
                                         model->item(0)->setEnabled(false);
                                     m_runPlace->setItemData(0, PermissionDecisions::refusal(QStringLiteral("scaffolder.task.create")),
                                                             Qt::ToolTipRole);
                                     m_runPlace->setCurrentIndex(1);
                                 });
    }
    m_try = new QPushButton(tr("Try it (dry run)"));
    m_try->setToolTip(tr("Runs the template without publishing or registering anything, and shows the files it would create"));
    m_create = new QPushButton(labels.value(QLatin1String("createButtonText")).toString(tr("Create")));
    m_cancel = new QPushButton(tr("Cancel the task"));
    buttons->addWidget(m_back);
    buttons->addStretch(1);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_runPlace);
    buttons->addWidget(m_try);
    buttons->addWidget(m_next);
    buttons->addWidget(m_create);
    layout->addLayout(buttons);
    m_reviewLabelText = labels.value(QLatin1String("reviewButtonText")).toString(tr("Review"));
    m_backLabelText = m_back->text();
    connect(m_back, &QPushButton::clicked, this, &TemplateWizard::goBack);
    connect(m_next, &QPushButton::clicked, this, &TemplateWizard::goNext);
    connect(m_create, &QPushButton::clicked, this, &TemplateWizard::create);
    connect(m_try, &QPushButton::clicked, this, &TemplateWizard::tryIt);
    connect(m_cancel, &QPushButton::clicked, this, [this] { m_driver->cancel(); });
    for (Sync::TaskDriver *driver : {static_cast<Sync::TaskDriver *>(m_client), static_cast<Sync::TaskDriver *>(m_local)}) {
        // Only the driver of the run on show speaks to it.
        auto followed = [this, driver] { return driver == m_driver; };
        connect(driver, &Sync::TaskDriver::taskEvent, this, [this, followed](const QJsonObject &event) {
            if (followed())
                onEvent(event);
        });
        connect(driver, &Sync::TaskDriver::taskFinished, this, [this, followed](const QString &status, const QJsonObject &output, const QString &error) {
            if (followed())
                onFinished(status, output, error);
        });
        connect(driver, &Sync::TaskDriver::requestFailed, this, [this, followed](const QString &message, const QJsonArray &validation) {
            if (followed())
                requestFailed(message, validation);
        });
        connect(driver, &Sync::TaskDriver::taskCreated, this, [this, followed](const QString &id) {
            if (followed())
                m_status->setText(tr("Task %1 is running on %2").arg(id, m_driver->where()));
        });
        connect(driver, &Sync::TaskDriver::dryRunFinished, this, [this, followed](const QJsonObject &result) {
            if (followed())
                showDryRun(result);
        });
    }
    showPage(0);
}

void TemplateWizard::showDryRun(const QJsonObject &result)
{
    m_running = false;
    for (const QJsonValue &line : result.value(QLatin1String("log")).toArray()) {
        const QJsonObject body = line[QLatin1String("body")].toObject();
        onEvent(QJsonObject{{QStringLiteral("type"), QStringLiteral("log")}, {QStringLiteral("body"), body}});
    }
    m_dryRunFiles = result.value(QLatin1String("directoryContents")).toArray();
    for (const QJsonValue &file : std::as_const(m_dryRunFiles))
        m_files->addItem(file[QLatin1String("path")].toString());
    m_files->show();
    m_fileView->show();
    if (m_files->count() > 0)
        m_files->setCurrentRow(0);
    m_progress->setValue(m_progress->maximum());
    m_status->setText(tr("Dry run finished: %n file(s) would be created. Nothing was published or registered.", nullptr, int(m_dryRunFiles.size())));
    showOutput(result.value(QLatin1String("output")).toObject());
    // A dry run's outputs are stand-ins: shown, not followed.
    for (QPushButton *button : std::as_const(m_outputButtons)) {
        button->setEnabled(false);
        button->setToolTip(tr("Dry run: %1").arg(button->toolTip()));
    }
    updateButtons();
    Q_EMIT dryRunShown();
}

TemplateWizard::~TemplateWizard() = default;

QString TemplateWizard::localFolder(const CatalogCache &cache)
{
    return cache.path() + QStringLiteral(".templates");
}

int TemplateWizard::pageCount() const
{
    return int(m_forms.size());
}

int TemplateWizard::currentPage() const
{
    return m_stack->currentIndex();
}

ParameterForm *TemplateWizard::form(int page) const
{
    return m_forms.value(page);
}

bool TemplateWizard::isReviewing() const
{
    return m_stack->currentIndex() == pageCount();
}

bool TemplateWizard::isRunning() const
{
    return m_running;
}

QJsonObject TemplateWizard::answers(bool secrets) const
{
    QJsonObject all;
    for (ParameterForm *form : m_forms) {
        const QJsonObject page = secrets ? form->secrets() : form->values();
        for (auto it = page.begin(); it != page.end(); ++it)
            all.insert(it.key(), it.value());
    }
    // Pages hidden by their `when` give nothing.
    return secrets ? all : Scaffold::resolvePages(all, pages()).values;
}

QList<Scaffold::ParameterPage> TemplateWizard::pages() const
{
    QList<Scaffold::ParameterPage> list;
    for (ParameterForm *form : m_forms)
        list.append(form->page());
    return list;
}

bool TemplateWizard::isPageVisible(int index) const
{
    QJsonObject all;
    for (ParameterForm *form : m_forms) {
        const QJsonObject page = form->values();
        for (auto it = page.begin(); it != page.end(); ++it)
            all.insert(it.key(), it.value());
    }
    return Scaffold::resolvePages(all, pages()).visible.value(index, true);
}

void TemplateWizard::showPage(int index)
{
    m_stack->setCurrentIndex(index);
    if (index < pageCount()) {
        m_stepTitle->setText(tr("Step %1 of %2: %3").arg(index + 1).arg(pageCount() + 1).arg(m_forms.at(index)->page().title));
    } else if (index == pageCount()) {
        m_stepTitle->setText(tr("Step %1 of %1: Review").arg(pageCount() + 1));
        QString html = QStringLiteral("<table cellspacing='6'>");
        for (qsizetype page = 0; page < m_forms.size(); ++page) {
            ParameterForm *form = m_forms.at(page);
            if (!isPageVisible(int(page)))
                continue;
            html += QStringLiteral("<tr><td colspan='2'><b>%1</b></td></tr>").arg(form->page().title.toHtmlEscaped());
            QJsonObject values = form->values();
            const QJsonObject hidden = form->secrets();
            for (auto it = hidden.begin(); it != hidden.end(); ++it)
                values.insert(it.key(), it.value());
            for (const QString &property : form->properties()) {
                // ui:backstage.review: {show: false} leaves it out, {mask} stands in for it.
                const QJsonObject review = form->page().schema.value(QLatin1String("properties"))[property][QLatin1String("ui:backstage")][QLatin1String("review")].toObject();
                if (review.value(QLatin1String("show")) == QJsonValue(false))
                    continue;
                const QJsonObject propertySchema = form->page().schema.value(QLatin1String("properties"))[property].toObject();
                const bool secret = propertySchema.value(QLatin1String("ui:widget")).toString() == QLatin1String("password") || hidden.contains(property)
                                    || review.contains(QLatin1String("mask"));
                // An enum's value as its label says it (enumNames), as the review of the web form does.
                const QJsonObject schema = form->page().schema.value(QLatin1String("properties"))[property].toObject();
                const QJsonArray choices = schema.value(QLatin1String("enum")).toArray();
                const qsizetype named = std::find(choices.begin(), choices.end(), values.value(property)) - choices.begin();
                const QJsonArray names = schema.value(QLatin1String("enumNames")).toArray();
                const QString shown = !values.contains(property) ? QStringLiteral("—")
                                      : secret                   ? review.value(QLatin1String("mask")).toString(QStringLiteral("******"))
                                      : named >= 0 && named < names.size() ? names.at(named).toString()
                                                                           : shownValue(values.value(property));
                html += QStringLiteral("<tr><td>%1</td><td>%2</td></tr>").arg(form->label(property).toHtmlEscaped(), shown.toHtmlEscaped());
            }
        }
        m_review->setText(html + QStringLiteral("</table>"));
    }
    updateButtons();
}

void TemplateWizard::updateButtons()
{
    const int index = m_stack->currentIndex();
    const bool onForm = index < pageCount();
    const bool reviewing = index == pageCount();
    const bool onRun = index > pageCount();
    m_back->setVisible(!onRun || !m_running);
    m_back->setEnabled(index > 0 && !m_running);
    m_back->setText(onRun ? tr("Back to the answers") : m_backLabelText);
    m_next->setVisible(onForm);
    m_next->setText(index == pageCount() - 1 ? m_reviewLabelText : tr("Next"));
    // Always clickable, as in Backstage: a click on a page with problems shows them all.
    m_next->setEnabled(onForm);
    m_create->setVisible(reviewing);
    m_try->setVisible(reviewing || (onRun && !m_running));
    m_try->setEnabled(!m_running);
    m_runPlace->setVisible(m_try->isVisibleTo(this));
    m_runPlace->setEnabled(!m_running);
    m_cancel->setVisible(onRun && m_running && !m_driver->taskId().isEmpty());
}

void TemplateWizard::goNext()
{
    const int index = m_stack->currentIndex();
    if (index >= pageCount())
        return;
    ParameterForm *form = m_forms.at(index);
    form->showAllProblems();
    if (!form->isValid())
        return;
    int next = index + 1;
    while (next < pageCount() && !isPageVisible(next))
        ++next;
    showPage(next);
}

void TemplateWizard::goBack()
{
    const int index = m_stack->currentIndex();
    if (m_running)
        return;
    if (index > pageCount()) {
        showPage(pageCount());
        return;
    }
    int previous = index - 1;
    while (previous > 0 && !isPageVisible(previous))
        --previous;
    showPage(std::max(0, previous));
}

void TemplateWizard::startRunView(const QString &title)
{
    m_log->clear();
    m_steps->clear();
    m_files->clear();
    m_files->hide();
    m_fileView->clear();
    m_fileView->hide();
    m_dryRunFiles = {};
    m_outputButtons.clear();
    while (QLayoutItem *item = m_outputBox->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    int index = 0;
    for (const QJsonValue &value : m_template.value(QLatin1String("spec"))[QLatin1String("steps")].toArray()) {
        ++index;
        const QString id = value[QLatin1String("id")].toString(QStringLiteral("step-%1").arg(index));
        auto *item = new QListWidgetItem(QStringLiteral("○  ") + value[QLatin1String("name")].toString(value[QLatin1String("action")].toString()), m_steps);
        item->setData(Qt::UserRole, id);
    }
    m_progress->setRange(0, std::max(1, index));
    m_progress->setValue(0);
    m_running = true;
    m_stepTitle->setText(title);
    m_stack->setCurrentWidget(m_runPage);
    updateButtons();
}

void TemplateWizard::create()
{
    for (qsizetype page = 0; page < m_forms.size(); ++page) {
        if (isPageVisible(int(page)))
            m_forms.at(page)->rememberCredentials();
    }
    startRunView(tr("Creating…"));
    Sync::TaskDriver *driver = chooseDriver();
    m_status->setText(tr("Starting the task on %1").arg(driver->where()));
    driver->create(m_templateRef, values(), secrets());
}

Sync::TaskDriver *TemplateWizard::chooseDriver()
{
    m_driver = m_runPlace->currentData().toString() == QLatin1String("local") ? static_cast<Sync::TaskDriver *>(m_local) : m_client;
    // A local run carries the person (the server has no user identity): their entity, read when it starts.
    if (m_driver == m_local && !m_userRef.isEmpty())
        m_local->setUser(QJsonObject{{QStringLiteral("ref"), m_userRef}, {QStringLiteral("entity"), m_cache.entity(m_userRef)}});
    return m_driver;
}

void TemplateWizard::showTask(const QString &taskId, bool local)
{
    startRunView(tr("Task %1").arg(taskId.left(8)));
    m_driver = local ? static_cast<Sync::TaskDriver *>(m_local) : m_client;
    m_status->setText(tr("Following task %1 on %2").arg(taskId, m_driver->where()));
    if (local)
        m_local->replay(taskId);
    else
        m_client->watch(taskId);
}

void TemplateWizard::tryIt()
{
    startRunView(tr("Dry run"));
    Sync::TaskDriver *driver = chooseDriver();
    m_status->setText(tr("Trying the template on %1 without side effects").arg(driver->where()));
    driver->dryRun(m_templateRef, values(), secrets());
}

void TemplateWizard::onEvent(const QJsonObject &event)
{
    const QJsonObject body = event.value(QLatin1String("body")).toObject();
    const QString stepId = body.value(QLatin1String("stepId")).toString();
    const QString status = body.value(QLatin1String("status")).toString();
    const QString time = event.contains(QLatin1String("createdAt"))
                             ? QDateTime::fromString(event.value(QLatin1String("createdAt")).toString(), Qt::ISODateWithMs).toLocalTime().toString(QStringLiteral("HH:mm:ss "))
                             : QString();
    m_log->appendPlainText(time + (stepId.isEmpty() ? QString() : QStringLiteral("[%1] ").arg(stepId)) + body.value(QLatin1String("message")).toString());
    if (stepId.isEmpty() || status.isEmpty())
        return;
    // The step's state; the bar counts the steps that are over.
    static const QHash<QString, QString> marks{{QStringLiteral("processing"), QStringLiteral("◐  ")}, {QStringLiteral("completed"), QStringLiteral("✔  ")},
                                               {QStringLiteral("failed"), QStringLiteral("✘  ")}, {QStringLiteral("skipped"), QStringLiteral("–  ")},
                                               {QStringLiteral("cancelled"), QStringLiteral("■  ")}};
    int over = 0;
    for (int i = 0; i < m_steps->count(); ++i) {
        QListWidgetItem *item = m_steps->item(i);
        if (item->data(Qt::UserRole).toString() == stepId && marks.contains(status)) {
            item->setText(marks.value(status) + item->text().mid(3));
            item->setData(Qt::UserRole + 1, status);
        }
        const QString state = item->data(Qt::UserRole + 1).toString();
        if (!state.isEmpty() && state != QLatin1String("processing"))
            ++over;
    }
    m_progress->setValue(over);
}

void TemplateWizard::onFinished(const QString &status, const QJsonObject &output, const QString &error)
{
    m_running = false;
    if (status == QLatin1String("completed")) {
        m_progress->setValue(m_progress->maximum());
        m_status->setText(tr("Done: the task completed."));
        m_stepTitle->setText(tr("Created"));
        showOutput(output);
    } else if (status == QLatin1String("cancelled")) {
        m_status->setText(tr("Cancelled. %1").arg(error));
        m_stepTitle->setText(tr("Cancelled"));
    } else {
        m_status->setText(tr("The task failed: %1").arg(error));
        m_stepTitle->setText(tr("Failed"));
    }
    updateButtons();
    Q_EMIT finished(status);
}

void TemplateWizard::showOutput(const QJsonObject &output)
{
    for (const QJsonValue &value : output.value(QLatin1String("links")).toArray()) {
        const QJsonObject link = value.toObject();
        const QString url = link.value(QLatin1String("url")).toString();
        const QString ref = link.value(QLatin1String("entityRef")).toString();
        if (url.isEmpty() && ref.isEmpty())
            continue;
        auto *button = new QPushButton(link.value(QLatin1String("title")).toString(ref.isEmpty() ? url : tr("Open in catalog")));
        button->setToolTip(ref.isEmpty() ? url : ref);
        button->setProperty("entityRef", ref);
        button->setProperty("url", url);
        if (!ref.isEmpty())
            connect(button, &QPushButton::clicked, this, [this, ref] { Q_EMIT entityActivated(ref); });
        else
            connect(button, &QPushButton::clicked, this, [url] { QDesktopServices::openUrl(QUrl::fromUserInput(url)); });
        m_outputBox->addWidget(button);
        m_outputButtons.append(button);
    }
    for (const QJsonValue &value : output.value(QLatin1String("text")).toArray()) {
        auto *label = new QLabel(QStringLiteral("<b>%1</b><br>%2").arg(value[QLatin1String("title")].toString().toHtmlEscaped(),
                                                                      value[QLatin1String("content")].toString().toHtmlEscaped()));
        label->setWordWrap(true);
        m_outputBox->addWidget(label);
    }
    m_outputBox->addStretch(1);
}

void TemplateWizard::requestFailed(const QString &message, const QJsonArray &validation)
{
    m_running = false;
    QStringList lines{message};
    for (const QJsonValue &problem : validation)
        lines.append(QStringLiteral("  ") + problem[QLatin1String("stack")].toString());
    m_status->setText(lines.join(QLatin1Char('\n')));
    m_log->appendPlainText(lines.join(QLatin1Char('\n')));
    m_stepTitle->setText(tr("Could not run"));
    updateButtons();
    Q_EMIT finished(QStringLiteral("failed"));
}

} // namespace Greenroom::Ui
