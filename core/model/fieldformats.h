// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QString>

/*
 * The field format rules of Backstage's catalog (KubernetesValidatorFunctions,
 * CommonValidatorFunctions and makeValidator's tag rule). Lengths count UTF-16
 * code units, as JavaScript does; every allowed character is ASCII.
 */
namespace Greenroom::Model::FieldFormats {

bool isValidObjectName(const QString &value);   // metadata.name, label values, key names
bool isValidDnsLabel(const QString &value);     // metadata.namespace
bool isValidDnsSubdomain(const QString &value); // key and apiVersion prefixes
bool isValidKind(const QString &value);
bool isValidApiVersion(const QString &value);
bool isValidLabelKey(const QString &value);
bool isValidAnnotationKey(const QString &value);
bool isValidLabelValue(const QString &value);
bool isValidTag(const QString &value);
bool isValidUrl(const QString &value);          // WHATWG `new URL(value)` succeeds
bool isNonEmptyString(const QString &value);    // non-empty after trim()

} // namespace Greenroom::Model::FieldFormats
