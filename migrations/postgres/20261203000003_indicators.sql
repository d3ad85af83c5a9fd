-- Indicators of compromise, normalised per type and unique per incident.

CREATE TABLE indicators (
    id          TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    kind        TEXT NOT NULL,
    value       TEXT NOT NULL,
    tlp         TEXT NOT NULL,
    first_seen  TEXT,
    last_seen   TEXT,
    added_by    TEXT NOT NULL,
    added_at    TEXT NOT NULL,
    UNIQUE (incident_id, kind, value)
);

-- "Where else did we see this?" looks indicators up by kind and value.
CREATE INDEX indicators_value ON indicators (kind, value);
