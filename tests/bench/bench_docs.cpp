// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// bench_docs [PAGES]: generates a docs site of PAGES pages (default 1000)
// that uses the extensions techdocs-core turns on, then builds it in the same
// run with `greenroom-server docs build` and with Debian's `mkdocs build`
// (mkdocs + mkdocs-material + python3-pymdownx, installed by
// packaging/install-bench-deps.sh) and prints both wall times and the ratio.
// Each build runs twice; the faster run counts (the first warms the caches).
#include "testfiles.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextStream>

namespace {

using Greenroom::TestSupport::writeFile;

QTextStream out(stdout);

// mkdocs.yml both builders read: Material plus techdocs-core's extension
// list spelled out (Debian has no mkdocs-techdocs-core package).
const char kConfig[] = R"(site_name: Benchmark handbook
site_description: A generated site for timing docs builds
repo_url: https://github.com/acme/handbook
edit_uri: edit/main/docs/
theme:
  name: material
plugins:
  - search
markdown_extensions:
  - toc:
      permalink: true
  - admonition
  - pymdownx.details
  - pymdownx.tabbed:
      alternate_style: true
  - pymdownx.caret
  - pymdownx.critic
  - pymdownx.emoji
  - pymdownx.inlinehilite
  - pymdownx.magiclink
  - pymdownx.mark
  - pymdownx.smartsymbols
  - pymdownx.highlight:
      linenums: true
      pygments_lang_class: true
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
  - pymdownx.tasklist:
      custom_checkbox: true
  - pymdownx.tilde
  - footnotes
  - attr_list
  - def_list
  - tables
  - abbr
  - md_in_html
)";

QString page(int section, int index, int sections, int perSection)
{
    const int next = (index + 1) % perSection;
    const int otherSection = (section + 1) % sections;
    QString text;
    QTextStream s(&text);
    s << "# Service " << section << "." << index << " guide\n\n"
      << "This page describes **service " << index << "** of area " << section << ", its API and how to run it. "
      << "It links to [the next page](page-" << next << ".md#configuration), to [another area](../area-" << otherSection
      << "/page-" << index % perSection << ".md) and to https://backstage.io/docs. :rocket: ==Important== text, "
      << "H~2~O, x^2^, ~~old~~ and ^^new^^ (c) 2026.[^note]\n\n"
      << "!!! note \"Before you start\"\n    You need access to the `deploy` group and a token. See the\n"
      << "    [setup page](../index.md) first.\n\n"
      << "??? tip \"Hidden details\"\n    The service restarts itself on failure.\n\n"
      << "## Configuration\n\n"
      << "| Key | Default | Meaning |\n|:----|:-------:|--------:|\n";
    for (int row = 0; row < 6; ++row)
        s << "| `option." << row << "` | " << row * 10 << " | what option " << row << " changes |\n";
    s << "\n=== \"Python\"\n\n    ```python\n    import requests\n\n    def fetch(url: str) -> dict:\n"
      << "        \"\"\"Fetch one document.\"\"\"\n        return requests.get(url, timeout=5).json()\n    ```\n\n"
      << "=== \"Shell\"\n\n    ```bash\n    curl -s https://api.example.com/v1/items | jq '.items[]'\n    ```\n\n"
      << "## Deployment\n\n"
      << "```yaml title=\"deploy.yaml\" hl_lines=\"2 3\"\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
      << "  name: service-" << index << "\nspec:\n  replicas: 3\n```\n\n"
      << "1. Build the image\n2. Push it to the registry\n3. Apply the manifest with `#!bash kubectl apply -f deploy.yaml`\n\n"
      << "- [x] Alerts configured\n- [ ] Runbook reviewed\n\n"
      << "```mermaid\ngraph LR\n  A[Client] --> B[Service " << index << "]\n  B --> C[(Database)]\n```\n\n"
      << "## Glossary\n\nSLO\n:   Service level objective, the target the API must meet.\n\n"
      << "Error budget\n:   What is left of the SLO in the current window.\n\n"
      << "The SLO and the API are reviewed monthly.\n{: .note }\n\n";
    for (int paragraph = 0; paragraph < 4; ++paragraph)
        s << "### Topic " << paragraph << "\n\nLorem ipsum dolor sit amet, *consectetur* adipiscing elit, sed do eiusmod tempor "
          << "incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco "
          << "laboris nisi ut aliquip ex ea commodo consequat.\n\n";
    s << "*[SLO]: Service Level Objective\n*[API]: Application Programming Interface\n\n"
      << "[^note]: Generated for the benchmark.\n";
    return text;
}

double timeCommand(const QString &program, const QStringList &arguments, const QString &workDir, int *exitCode)
{
    QProcess process;
    process.setWorkingDirectory(workDir);
    process.setProcessChannelMode(QProcess::MergedChannels);
    QElapsedTimer timer;
    timer.start();
    process.start(program, arguments);
    process.waitForFinished(-1);
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    *exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    if (*exitCode != 0)
        out << "  " << program << " failed:\n" << QString::fromUtf8(process.readAll()).left(4000) << Qt::endl;
    return seconds;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int pages = argc > 1 ? QString::fromLocal8Bit(argv[1]).toInt() : 1000;
    const int sections = 10;
    const int perSection = std::max(1, pages / sections);
    // GREENROOM_BENCH_DIR keeps the generated site and both builds for a look.
    QTemporaryDir temporary;
    const QString benchDir = qEnvironmentVariable("GREENROOM_BENCH_DIR");
    const QDir dir(benchDir.isEmpty() ? temporary.path() : benchDir);
    const QString root = dir.filePath(QStringLiteral("site-src"));
    writeFile(root + QStringLiteral("/mkdocs.yml"), kConfig);
    writeFile(root + QStringLiteral("/docs/index.md"), "# Handbook\n\nStart in any area.\n");
    for (int section = 0; section < sections; ++section)
        for (int index = 0; index < perSection; ++index)
            writeFile(QStringLiteral("%1/docs/area-%2/page-%3.md").arg(root).arg(section).arg(index),
                      page(section, index, sections, perSection).toUtf8());
    out << "bench_docs: " << sections * perSection + 1 << " pages generated in " << root << Qt::endl;

    const QString greenroom = QStringLiteral(GREENROOM_SERVER_BINARY);
    if (qEnvironmentVariableIsSet("BENCH_DOCS_GREENROOM_ONLY"))
        out << "  (mkdocs skipped: BENCH_DOCS_GREENROOM_ONLY)" << Qt::endl;
    double greenroomBest = 1e9;
    for (int run = 0; run < 2; ++run) {
        int code = 0;
        const double seconds = timeCommand(greenroom, {QStringLiteral("docs"), QStringLiteral("build"), root, QStringLiteral("--output"),
                                                       dir.filePath(QStringLiteral("greenroom-site")), QStringLiteral("--quiet")},
                                           root, &code);
        if (code != 0)
            return 1;
        out << "  greenroom-server docs build, run " << run + 1 << ": " << QString::number(seconds, 'f', 3) << " s" << Qt::endl;
        greenroomBest = std::min(greenroomBest, seconds);
    }

    if (qEnvironmentVariableIsSet("BENCH_DOCS_GREENROOM_ONLY"))
        return 0;
    const QString mkdocs = QStandardPaths::findExecutable(QStringLiteral("mkdocs"));
    if (mkdocs.isEmpty()) {
        out << "  mkdocs not found: run packaging/install-bench-deps.sh (make bench does)" << Qt::endl;
        return 1;
    }
    double mkdocsBest = 1e9;
    for (int run = 0; run < 2; ++run) {
        int code = 0;
        const double seconds = timeCommand(mkdocs, {QStringLiteral("build"), QStringLiteral("-q"), QStringLiteral("-f"),
                                                    root + QStringLiteral("/mkdocs.yml"), QStringLiteral("-d"),
                                                    dir.filePath(QStringLiteral("mkdocs-site"))},
                                           root, &code);
        if (code != 0)
            return 1;
        out << "  mkdocs build (Material), run " << run + 1 << ": " << QString::number(seconds, 'f', 3) << " s" << Qt::endl;
        mkdocsBest = std::min(mkdocsBest, seconds);
    }
    out << "bench_docs: " << sections * perSection + 1 << " pages: greenroom " << QString::number(greenroomBest, 'f', 3)
        << " s, mkdocs " << QString::number(mkdocsBest, 'f', 3) << " s, greenroom is "
        << QString::number(mkdocsBest / greenroomBest, 'f', 1) << "x faster (target >= 20x)" << Qt::endl;
    return 0;
}
