// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "scaffolderservices.h"

namespace Greenroom::Scaffold {

/*
 * POST /v2/autocomplete/:provider/:resource: suggestions for the wizard's
 * pickers, asked of the host with the person's own token, as Backstage's
 * GitHub module answers them. Provider "github": repositoriesWithOwner
 * (the token user's repositories, "owner/name"), owners (their
 * organisations) and branches (context {owner, repository}); context.host
 * picks the integration (github.com by default). The results are
 * [{id}]; InputErrors carry upstream's messages. Blocking.
 */
Result<QJsonArray> autocomplete(const ScaffolderServices &services, const QString &provider, const QString &resource, const QString &token,
                                const QJsonObject &context);

} // namespace Greenroom::Scaffold
