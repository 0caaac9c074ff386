// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "jsonbuilder_p.h"

#include <functional>
#include <string_view>

namespace Greenroom::Yaml::Internal {

/*
 * Reads `text` with libyaml, about eight times faster than yaml-cpp (a 37 MB
 * file of 100,000 entities: 0.8 s of parsing against 6.7 s), into `builder`,
 * handing each document to `pass` once the next one has begun cleanly.
 *
 * yaml-cpp stays the reference: false means "yaml-cpp must read this stream
 * again", and comes at the first syntax error, at a document our own rules
 * refuse (so every error is yaml-cpp's, with its message and column), and
 * wherever the two parsers were seen to disagree (see the .cpp). The
 * documents handed on before are the ones yaml-cpp reads too.
 */
bool readWithLibyaml(std::string_view text, JsonBuilder &builder, const std::function<void(YamlDocument &&)> &pass);

} // namespace Greenroom::Yaml::Internal
