// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "templatecommand.h"

#include "command.h"

#include <scaffold/taskrunner.h>
#include <scaffold/templateparameters.h>
#include <scaffold/workspacepath.h>
#include <yaml/yamlreader.h>

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QTextStream>
#include <QUuid>

namespace Greenroom::Server {

namespace {

// The first document of a YAML file as an object, or an error naming the file and line.
Result<QJsonObject> readYamlObject(const QString &path, const QString &what)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::input(QStringLiteral("Cannot read %1 %2: %3").arg(what, path, file.errorString()));
    const Yaml::YamlStream stream = Yaml::YamlReader::read(file.readAll(), path);
    if (stream.documents.isEmpty())
        return Error::input(QStringLiteral("%1 is empty").arg(path));
    const Yaml::YamlDocument &document = stream.documents.first();
    if (document.error)
        return *document.error;
    if (!document.value.isObject())
        return Error::input(QStringLiteral("%1 must hold a mapping (%2)").arg(path, what)).at(path, document.line);
    return document.value.toObject();
}

} // namespace

int runTemplateCommand(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (arguments.size() < 2 || arguments.at(1) != QLatin1String("run")) {
        err << "usage: greenroom-server template run TEMPLATE.yaml --values ANSWERS.yaml [--secrets FILE] [--dry-run] [--output DIR]\n";
        return arguments.size() >= 2 && arguments.at(1) == QLatin1String("--help") ? ExitOk : ExitUsage;
    }
    QStringList rest = arguments;
    rest.removeAt(1);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Run a software template (scaffolder.backstage.io/v1beta3) without the portal."));
    const QCommandLineOption values(QStringLiteral("values"), QStringLiteral("The answers to the template's parameters (YAML or JSON)."),
                                    QStringLiteral("ANSWERS.yaml"));
    const QCommandLineOption secrets(QStringLiteral("secrets"), QStringLiteral("Task secrets (YAML or JSON); masked in the log."),
                                     QStringLiteral("FILE"));
    const QCommandLineOption dryRun(QStringLiteral("dry-run"), QStringLiteral("Skip the actions with side effects; show the files that would be created."));
    const QCommandLineOption output(QStringLiteral("output"), QStringLiteral("Keep the rendered workspace in this folder."), QStringLiteral("DIR"));
    parser.addOptions({values, secrets, dryRun, output});
    parser.addPositionalArgument(QStringLiteral("template"), QStringLiteral("the template.yaml"), QStringLiteral("TEMPLATE.yaml"));
    if (auto done = parseCommandLine(parser, rest))
        return *done;
    if (parser.positionalArguments().size() != 1) {
        err << "template run: name one TEMPLATE.yaml\n";
        return ExitUsage;
    }
    const QString templatePath = parser.positionalArguments().first();

    auto entity = readYamlObject(templatePath, QStringLiteral("template"));
    if (!entity) {
        err << "ERROR - " << entity.error().toString() << Qt::endl;
        return ExitInvalid;
    }
    if (entity->value(QLatin1String("kind")).toString() != QLatin1String("Template")
        || !entity->value(QLatin1String("spec"))[QLatin1String("steps")].isArray()) {
        err << "ERROR - " << templatePath << ": not a Template with spec.steps (apiVersion scaffolder.backstage.io/v1beta3)" << Qt::endl;
        return ExitInvalid;
    }
    QJsonObject answers;
    if (parser.isSet(values)) {
        auto read = readYamlObject(parser.value(values), QStringLiteral("answers"));
        if (!read) {
            err << "ERROR - " << read.error().toString() << Qt::endl;
            return ExitInvalid;
        }
        answers = read.value();
    }
    QJsonObject secretValues;
    if (parser.isSet(secrets)) {
        auto read = readYamlObject(parser.value(secrets), QStringLiteral("secrets"));
        if (!read) {
            err << "ERROR - " << read.error().toString() << Qt::endl;
            return ExitInvalid;
        }
        secretValues = read.value();
    }

    // The answers, checked page by page as POST /v2/tasks does.
    const QList<Scaffold::ParameterPage> pages = Scaffold::parameterPages(entity.value());
    answers = Scaffold::withDefaults(answers, pages);
    const QList<Scaffold::ParameterProblem> problems = Scaffold::validateParameters(answers, pages);
    if (!problems.isEmpty()) {
        const QString source = parser.isSet(values) ? parser.value(values) : QStringLiteral("(no --values)");
        for (const Scaffold::ParameterProblem &problem : problems)
            err << "ERROR - " << source << ": " << (problem.field.isEmpty() ? QStringLiteral("(answers)") : problem.field) << " " << problem.message
                << Qt::endl;
        return ExitInvalid;
    }

    Scaffold::TaskSpec spec;
    spec.templateEntity = entity.value();
    spec.templateDir = QFileInfo(templatePath).absolutePath();
    spec.parameters = Scaffold::resolvePages(answers, pages).values;
    spec.secrets = secretValues;
    spec.taskId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    Scaffold::TaskOptions options;
    options.dryRun = parser.isSet(dryRun);
    options.keepWorkspace = parser.isSet(output) || options.dryRun;
    const Scaffold::ActionRegistry actions = Scaffold::ActionRegistry::builtin();
    Scaffold::TaskRunner runner(actions, spec, options);
    runner.setEventSink([&out](const Scaffold::TaskEvent &event) {
        if (event.type == Scaffold::TaskEvent::Type::Completion)
            return;
        const QString step = event.stepId.isEmpty() ? QString() : QStringLiteral("[%1] ").arg(event.stepId);
        out << event.createdAt.toString(Qt::ISODateWithMs) << ' ' << step << event.message << Qt::endl;
    });
    const Scaffold::TaskResult result = runner.run();

    if (options.dryRun) {
        out << "Dry run: the task would create " << result.files.size() << " files:" << Qt::endl;
        for (const QString &file : result.files)
            out << "  " << file << Qt::endl;
    }
    if (!result.workspace.isEmpty()) {
        if (parser.isSet(output)) {
            const Status copied = Scaffold::copyTree(result.workspace, parser.value(output), parser.value(output));
            if (!copied)
                err << "ERROR - " << copied.error().toString() << Qt::endl;
            else
                out << "Workspace kept in " << QDir(parser.value(output)).absolutePath() << Qt::endl;
        }
        QDir(result.workspace).removeRecursively();
    }
    if (result.status != QLatin1String("completed")) {
        err << "ERROR - task " << result.status << ": " << runner.mask(result.error ? result.error->toString() : QString()) << Qt::endl;
        return ExitInvalid;
    }
    for (const QJsonValue &link : result.output.value(QLatin1String("links")).toArray()) {
        const QJsonObject item = link.toObject();
        out << "Link: " << item.value(QLatin1String("title")).toString() << " - "
            << (item.contains(QLatin1String("url")) ? item.value(QLatin1String("url")).toString() : item.value(QLatin1String("entityRef")).toString())
            << Qt::endl;
    }
    for (const QJsonValue &text : result.output.value(QLatin1String("text")).toArray())
        out << text[QLatin1String("title")].toString() << ":\n" << text[QLatin1String("content")].toString() << Qt::endl;
    out << "Task completed" << Qt::endl;
    return ExitOk;
}

} // namespace Greenroom::Server
