-- Evidence and its chain of custody. The custody log is append-only.

CREATE TABLE evidence (
    id           TEXT PRIMARY KEY,
    incident_id  TEXT NOT NULL REFERENCES incidents (id),
    item         TEXT NOT NULL,
    description  TEXT NOT NULL,
    collected_by TEXT NOT NULL,
    collected_at TEXT NOT NULL,
    location     TEXT NOT NULL,
    sha256       TEXT,
    recorded_by  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);

CREATE INDEX evidence_incident ON evidence (incident_id);

CREATE TABLE custody_entries (
    id          TEXT PRIMARY KEY,
    evidence_id TEXT NOT NULL REFERENCES evidence (id),
    from_person TEXT NOT NULL,
    to_person   TEXT NOT NULL,
    handed_at   TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

CREATE INDEX custody_entries_evidence ON custody_entries (evidence_id, handed_at);

CREATE FUNCTION custody_entries_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the chain of custody is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER custody_entries_no_update BEFORE UPDATE OR DELETE ON custody_entries
    FOR EACH ROW EXECUTE FUNCTION custody_entries_append_only();
