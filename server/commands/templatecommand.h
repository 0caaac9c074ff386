// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QStringList>

namespace Greenroom::Server {

// `greenroom-server template run TEMPLATE.yaml --values ANSWERS.yaml
// [--secrets FILE] [--dry-run] [--output DIR]`: checks the answers against
// the template's parameters, runs its steps and prints the task log. Exit 0
// when the task completed; 1 when the answers are invalid or a step failed
// (both named); 2 for usage errors.
int runTemplateCommand(const QStringList &arguments);

} // namespace Greenroom::Server
