-- Affected assets and business services, each with its containment state.

CREATE TABLE affected_items (
    id               TEXT PRIMARY KEY,
    incident_id      TEXT NOT NULL REFERENCES incidents (id),
    kind             TEXT NOT NULL,
    name             TEXT NOT NULL,
    description      TEXT NOT NULL,
    state            TEXT NOT NULL,
    state_changed_at TEXT NOT NULL,
    added_by         TEXT NOT NULL,
    added_at         TEXT NOT NULL
);

CREATE INDEX affected_items_incident ON affected_items (incident_id);
