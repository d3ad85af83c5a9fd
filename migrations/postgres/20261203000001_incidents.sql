-- Incidents, their per-year reference counters and their append-only timeline.
-- Timestamps are TEXT in one fixed-width UTC format (YYYY-MM-DDTHH:MM:SS.ffffffZ).

CREATE TABLE incident_sequences (
    year        BIGINT PRIMARY KEY,
    last_number BIGINT NOT NULL
);

CREATE TABLE incidents (
    id                 TEXT PRIMARY KEY,
    reference          TEXT NOT NULL UNIQUE,
    title              TEXT NOT NULL,
    summary            TEXT NOT NULL,
    category           TEXT NOT NULL,
    subtype            TEXT NOT NULL,
    functional_impact  TEXT NOT NULL,
    information_impact TEXT NOT NULL,
    recoverability     TEXT NOT NULL,
    urgency            TEXT NOT NULL,
    priority           TEXT NOT NULL,
    tlp                TEXT NOT NULL,
    phase              TEXT NOT NULL,
    phase_entered_at   TEXT NOT NULL,
    commander          TEXT,
    reporter           TEXT NOT NULL,
    occurred_at        TEXT,
    detected_at        TEXT,
    reported_at        TEXT NOT NULL,
    acknowledged_at    TEXT,
    contained_at       TEXT,
    eradicated_at      TEXT,
    recovered_at       TEXT,
    closed_at          TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    version            BIGINT NOT NULL
);

CREATE INDEX incidents_phase ON incidents (phase);

CREATE TABLE timeline_events (
    id          TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    event_at    TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    author      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    body        TEXT NOT NULL
);

CREATE INDEX timeline_events_incident ON timeline_events (incident_id, event_at);

-- The timeline is append-only: the database itself refuses edits and deletions.
CREATE FUNCTION timeline_events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'timeline events are append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER timeline_events_no_update BEFORE UPDATE OR DELETE ON timeline_events
    FOR EACH ROW EXECUTE FUNCTION timeline_events_append_only();
