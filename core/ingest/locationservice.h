// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "processingloop.h"

#include <QJsonObject>
#include <QSet>
#include <optional>

namespace Greenroom::Ingest {

// The body of POST /locations and PUT /locations/:id.
struct LocationInput
{
    QString type;
    QString target;
    QString presence;   // "required", "optional" or empty

    // Checked as upstream's strict schema does: "Malformed request: ..." on a
    // missing or mistyped field or an unknown key.
    static Result<LocationInput> fromJson(const QJsonObject &body);
};

/*
 * Backstage's location service: locations registered through the API are
 * stored (they survive restarts), read by the processing loop like those
 * from config, and unregistered with everything they produced. Only the
 * allowed types may be registered (Backstage: ["url"]); in read-only mode
 * nothing may change.
 */
class LocationService
{
public:
    LocationService(Store::CatalogStore &store, ProcessingLoop &loop, QStringList allowedTypes = {QStringLiteral("url")},
                    bool readonly = false);

    // Brings the loop's registered locations in line with the store's (at
    // start-up, and before each pass: replicas share them); new ones are
    // read with the next pass.
    void loadRegistered();

    // Registers (or, with onConflict "refresh", re-reads an existing one).
    Result<Store::RegisteredLocation> create(const LocationInput &input, const QString &onConflict);
    Status checkWritable() const;
    Status checkAllowedType(const QString &type) const;
    Result<Store::RegisteredLocation> get(const QString &id);
    QList<Store::RegisteredLocation> list();
    Result<Store::RegisteredLocation> update(const QString &id, const LocationInput &input);
    Status remove(const QString &id);
    // The registered location whose type:target is the entity's origin annotation.
    Result<Store::RegisteredLocation> byEntity(const QString &kind, const QString &ns, const QString &name);

    // POST /locations/by-query: {limit?, cursor?, query?} -> {items, totalItems, pageInfo}.
    Result<QJsonObject> query(const QJsonObject &body);

    // POST /locations?dryRun: what registering would produce, read now and
    // stored nowhere. Thread-safe given its own `processor`; `exists` says
    // whether the same location is registered already.
    static Result<QJsonObject> dryRun(const LocationProcessor &processor, const LocationInput &input, bool exists);

    // POST /analyze-location without SCM analyzers, as upstream answers then:
    // a Component named after the repository to generate, nothing existing.
    static Result<QJsonObject> analyze(const LocationInput &location);

    static QJsonObject toJson(const Store::RegisteredLocation &location);
    static QString generatedEntityRef(const QString &type, const QString &target);

private:
    Store::CatalogStore &m_store;
    ProcessingLoop &m_loop;
    QStringList m_allowedTypes;
    bool m_readonly;
    QSet<QString> m_known;   // registered locations' keys as last loaded
};

} // namespace Greenroom::Ingest
