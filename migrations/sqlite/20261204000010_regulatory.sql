-- Regulatory notifications: the organisation's own regimes (the built-in
-- ones are data in the code), its holiday calendar for business-day
-- deadlines, the clocks started on incidents (each with a copy of its regime,
-- so editing a regime never moves a running clock) and the submissions made.
-- Booleans are BIGINT 0 or 1, as elsewhere.

CREATE TABLE regulatory_regimes (
    regime_key   TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    trigger_text TEXT NOT NULL,
    -- The stages as JSON (domain::regulatory::Stage).
    stages       TEXT NOT NULL,
    retired      BIGINT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL
);

CREATE TABLE holidays (
    day  TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE regulatory_notifications (
    id          TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    regime_key  TEXT NOT NULL,
    -- The regime as it was when the clock started, as JSON.
    regime      TEXT NOT NULL,
    trigger_at  TEXT NOT NULL,
    started_by  TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    UNIQUE (incident_id, regime_key)
);

CREATE TABLE regulatory_submissions (
    id              TEXT PRIMARY KEY,
    notification_id TEXT NOT NULL REFERENCES regulatory_notifications (id),
    stage_key       TEXT NOT NULL,
    outcome         TEXT NOT NULL,
    submitted_at    TEXT NOT NULL,
    submitted_to    TEXT,
    reference       TEXT,
    summary         TEXT NOT NULL,
    recorded_by     TEXT NOT NULL,
    recorded_at     TEXT NOT NULL
);

CREATE INDEX regulatory_submissions_notification ON regulatory_submissions (notification_id);

-- What was notified, when and to whom is a legal record: never changed.
CREATE TRIGGER regulatory_notifications_fixed BEFORE UPDATE ON regulatory_notifications
BEGIN
    SELECT RAISE(ABORT, 'a started regulatory clock cannot be changed');
END;

CREATE TRIGGER regulatory_notifications_no_delete BEFORE DELETE ON regulatory_notifications
BEGIN
    SELECT RAISE(ABORT, 'regulatory clocks are never deleted');
END;

CREATE TRIGGER regulatory_submissions_append_only BEFORE UPDATE ON regulatory_submissions
BEGIN
    SELECT RAISE(ABORT, 'regulatory submissions are append-only');
END;

CREATE TRIGGER regulatory_submissions_no_delete BEFORE DELETE ON regulatory_submissions
BEGIN
    SELECT RAISE(ABORT, 'regulatory submissions are append-only');
END;
