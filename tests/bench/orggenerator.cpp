// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "orggenerator.h"

#include <testfiles.h>

#include <QDir>
#include <QFile>

namespace Greenroom::Bench {

using Greenroom::TestSupport::writeFile;

namespace {


QByteArray n(int i) { return QByteArray::number(i); }

const char *const Languages[] = {"java", "go", "python", "typescript", "kotlin", "rust"};
const char *const Lifecycles[] = {"production", "production", "production", "experimental", "deprecated"};
const char *const ComponentTypes[] = {"service", "service", "website", "library"};
const char *const ApiTypes[] = {"openapi", "asyncapi", "graphql", "grpc"};
const char *const ResourceTypes[] = {"database", "s3-bucket", "kafka-topic", "cache"};

} // namespace

QString generateOrganisation(const QString &folder, int entityCount)
{
    // Shares of the whole: components 50%, APIs 15%, resources 10%, users 15%,
    // groups 4%, systems 4%, the rest domains and locations.
    const int groups = std::max(2, entityCount * 4 / 100);
    const int users = std::max(2, entityCount * 15 / 100);
    const int domains = std::max(1, entityCount / 1000);
    const int systems = std::max(1, entityCount * 4 / 100);
    const int repos = std::max(1, entityCount * 50 / 100);
    const int apis = entityCount * 15 / 100;
    const int resources = entityCount * 10 / 100;

    QByteArray org;
    for (int g = 0; g < groups; ++g) {
        org += "---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-" + n(g)
               + "\n  description: Team number " + n(g) + " of the engineering department.\nspec:\n  type: team\n"
               + (g ? "  parent: team-0\n" : "") + "  profile:\n    displayName: Team " + n(g) + "\n    email: team-" + n(g)
               + "@example.com\n  children: []\n";
    }
    writeFile(folder + QStringLiteral("/org/groups.yaml"), org);
    for (int chunk = 0; chunk * 1000 < users; ++chunk) {
        QByteArray people;
        for (int u = chunk * 1000; u < std::min(users, (chunk + 1) * 1000); ++u) {
            people += "---\napiVersion: backstage.io/v1alpha1\nkind: User\nmetadata:\n  name: user-" + n(u)
                      + "\nspec:\n  profile:\n    displayName: User " + n(u) + "\n    email: user-" + n(u)
                      + "@example.com\n  memberOf: [team-" + n(u % groups) + "]\n";
        }
        writeFile(folder + QStringLiteral("/org/users-%1.yaml").arg(chunk), people);
    }
    QByteArray architecture;
    for (int d = 0; d < domains; ++d) {
        architecture += "---\napiVersion: backstage.io/v1alpha1\nkind: Domain\nmetadata:\n  name: domain-" + n(d)
                        + "\nspec:\n  owner: team-" + n(d % groups) + "\n";
    }
    for (int s = 0; s < systems; ++s) {
        architecture += "---\napiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: system-" + n(s)
                        + "\n  description: System " + n(s) + "\nspec:\n  owner: team-" + n(s % groups) + "\n  domain: domain-"
                        + n(s % domains) + "\n";
    }
    writeFile(folder + QStringLiteral("/architecture/systems.yaml"), architecture);

    // Repositories: each a component, some with an API and a resource beside it.
    for (int r = 0; r < repos; ++r) {
        const QByteArray team = "team-" + n(r % groups);
        const QByteArray system = "system-" + n(r % systems);
        QByteArray file = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: component-" + n(r)
                          + "\n  title: Component " + n(r) + "\n  description: Handles part " + n(r)
                          + " of the business, with care.\n  tags: [" + Languages[r % 6] + ", tier-" + n(r % 3)
                          + "]\n  annotations:\n    github.com/project-slug: example/component-" + n(r)
                          + "\n  links:\n    - url: https://dashboards.example.com/component-" + n(r)
                          + "\n      title: Dashboard\nspec:\n  type: " + ComponentTypes[r % 4] + "\n  lifecycle: "
                          + Lifecycles[r % 5] + "\n  owner: " + team + "\n  system: " + system + "\n";
        if (r < apis)
            file += "  providesApis: [api-" + n(r) + "]\n";
        if (r > 0 && r - 1 < apis)
            file += "  consumesApis: [api-" + n(r - 1) + "]\n";
        if (r < resources)
            file += "  dependsOn: [resource:resource-" + n(r) + "]\n";
        if (r < apis) {
            file += "---\napiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: api-" + n(r)
                    + "\n  description: API of component " + n(r) + "\nspec:\n  type: " + ApiTypes[r % 4]
                    + "\n  lifecycle: production\n  owner: " + team + "\n  system: " + system
                    + "\n  definition: |\n    openapi: 3.0.0\n    info:\n      title: api-" + n(r)
                    + "\n      version: 1.0.0\n    paths: {}\n";
        }
        if (r < resources) {
            file += "---\napiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: resource-" + n(r)
                    + "\nspec:\n  type: " + ResourceTypes[r % 4] + "\n  owner: " + team + "\n  system: " + system + "\n";
        }
        writeFile(folder + QStringLiteral("/repos/%1/catalog-info.yaml").arg(r, 6, 10, QLatin1Char('0')), file);
    }

    const QString root = folder + QStringLiteral("/catalog-info.yaml");
    writeFile(root, "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: generated-org\nspec:\n  targets:\n"
                    "    - ./org/*.yaml\n    - ./architecture/*.yaml\n    - ./repos/*/catalog-info.yaml\n");
    return root;
}

QString generateSingleFile(const QString &folder, int entityCount)
{
    QDir().mkpath(folder);
    const QString path = QDir(folder).filePath(QStringLiteral("catalog-info.yaml"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    for (int i = 0; i < entityCount; ++i) {
        file.write(QStringLiteral("%1apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc-%2\n"
                                  "  description: Service number %2 of the organisation, with a description of typical length.\n"
                                  "  tags: [java, payments]\n  annotations:\n    github.com/project-slug: acme/svc-%2\n"
                                  "spec:\n  type: service\n  lifecycle: production\n  owner: team-%3\n  system: system-%4\n"
                                  "  providesApis: [api-%2]\n")
                       .arg(i == 0 ? QString() : QStringLiteral("---\n")).arg(i).arg(i % 200).arg(i % 500).toUtf8());
    }
    return path;
}

} // namespace Greenroom::Bench
