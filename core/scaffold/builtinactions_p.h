// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

// Built-in actions defined outside builtinactions.cpp (they need libraries
// of their own), added to ActionRegistry::builtin().

#include "taskrunner.h"

namespace Greenroom::Scaffold {

ActionInfo publishGitAction();   // publishgit.cpp, libgit2

} // namespace Greenroom::Scaffold
