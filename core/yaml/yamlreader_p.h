// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "yamlreader.h"

namespace Greenroom::Yaml::Internal {

enum class ReadingParser {
    Fastest,   // libyaml where it reads as yaml-cpp does, yaml-cpp for the rest
    YamlCpp,   // yaml-cpp alone: the reference the other is tested against
    Libyaml,   // libyaml alone: false, and nothing more read, where it would hand over
};

// YamlReader::readEach with the parser chosen.
bool readEach(QByteArrayView text, const QString &sourceName, const YamlLimits &limits,
              const std::function<void(YamlDocument &&document)> &each, ReadingParser parser);

} // namespace Greenroom::Yaml::Internal
