// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "jsonbuilder_p.h"

#include <functional>
#include <optional>
#include <string_view>

namespace Greenroom::Yaml::Internal {

// What libyaml made of a stream (readWithLibyaml).
struct LibyamlReading
{
    enum class Outcome {
        Read,          // every document read and handed on
        ForYamlCpp,    // yaml-cpp must read text[0, readableEnd) again, then `broken` follows if set
        Broken,        // handed on up to a stray flow indicator: `broken` is its error
    };
    Outcome outcome = Outcome::Read;
    size_t readableEnd = 0;
    std::optional<YamlDocument> broken;   // libyaml's syntax error, with its line
};

/*
 * Reads `text` with libyaml, about eight times faster than yaml-cpp (a 37 MB
 * file of 100,000 entities: 0.8 s of parsing against 6.7 s), into `builder`,
 * handing each document to `pass` once the next one has begun cleanly.
 *
 * yaml-cpp stays the reference: at a syntax error, at a document our own
 * rules refuse (so their errors carry yaml-cpp's messages and columns), and
 * wherever the two were seen to disagree (see the .cpp), the rest is for
 * yaml-cpp, which drops the documents handed on before.
 *
 * Except one kind of syntax error: a stray ',', ']' or '}', on some of which
 * yaml-cpp never returns (Parser::brokeAtFlowIndicator). That error is
 * libyaml's, and yaml-cpp reads only up to the document it is in; libyaml
 * reads on after a disagreement to find one. Text libyaml cannot decode is
 * judged on a copy with the bytes it refuses replaced; UTF-16 and UTF-32
 * are yaml-cpp's alone, as before.
 */
LibyamlReading readWithLibyaml(std::string_view text, JsonBuilder &builder, const QString &sourceName, int lineOffset,
                               const std::function<void(YamlDocument &&)> &pass);

} // namespace Greenroom::Yaml::Internal
