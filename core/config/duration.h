// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "configreader.h"

#include <chrono>

namespace Greenroom::Config {

/*
 * A duration from config as Backstage's readDurationFromConfig accepts it: an
 * object of years/months/weeks/days/hours/minutes/seconds/milliseconds, an
 * ISO-8601 string ("PT30M"), or an `ms`-style string ("30m", "2 hours").
 * Months count 30 days and years 365.25, as `ms` does.
 */
Result<std::chrono::milliseconds> readDuration(const ConfigReader &config, const QString &key);

// Just the string forms; the error says what is wrong with `text`.
Result<std::chrono::milliseconds> parseDuration(const QString &text);

} // namespace Greenroom::Config
