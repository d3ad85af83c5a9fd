-- Stakeholder updates (draft -> approved -> sent) and, per sent update, one
-- delivery per recipient holding exactly what that recipient was sent.

CREATE TABLE stakeholder_updates (
    id             TEXT PRIMARY KEY,
    incident_id    TEXT NOT NULL REFERENCES incidents (id),
    number         BIGINT NOT NULL,
    state          TEXT NOT NULL,
    audiences      TEXT NOT NULL,
    tlp            TEXT NOT NULL,
    status_summary TEXT NOT NULL,
    impact         TEXT NOT NULL,
    actions_taken  TEXT NOT NULL,
    next_steps     TEXT NOT NULL,
    next_update_at TEXT,
    drafted_by     TEXT NOT NULL,
    drafted_at     TEXT NOT NULL,
    approved_by    TEXT,
    approved_at    TEXT,
    sent_by        TEXT,
    sent_at        TEXT,
    version        BIGINT NOT NULL,
    UNIQUE (incident_id, number)
);

-- A sent update is the record of what was said: it never changes again.
CREATE FUNCTION stakeholder_updates_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'stakeholder updates are never deleted';
    END IF;
    IF OLD.state = 'sent' THEN
        RAISE EXCEPTION 'a sent update cannot be changed';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER stakeholder_updates_guard BEFORE UPDATE OR DELETE ON stakeholder_updates
    FOR EACH ROW EXECUTE FUNCTION stakeholder_updates_guard();

CREATE TABLE update_deliveries (
    id              TEXT PRIMARY KEY,
    update_id       TEXT NOT NULL REFERENCES stakeholder_updates (id),
    incident_id     TEXT NOT NULL REFERENCES incidents (id),
    audience        TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    address         TEXT NOT NULL,
    channel         TEXT NOT NULL,
    status          TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    claimed_until   TEXT,
    last_error      TEXT,
    delivered_at    TEXT,
    delivered_by    TEXT,
    note            TEXT
);

CREATE INDEX update_deliveries_update ON update_deliveries (update_id);
CREATE INDEX update_deliveries_due ON update_deliveries (status, next_attempt_at);

-- What was sent to whom never changes; only the delivery's progress does.
CREATE FUNCTION update_deliveries_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'deliveries are never deleted';
    END IF;
    IF NEW.subject <> OLD.subject OR NEW.body <> OLD.body OR NEW.address <> OLD.address
       OR NEW.recipient <> OLD.recipient OR NEW.update_id <> OLD.update_id THEN
        RAISE EXCEPTION 'what a delivery carries cannot be changed';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER update_deliveries_guard BEFORE UPDATE OR DELETE ON update_deliveries
    FOR EACH ROW EXECUTE FUNCTION update_deliveries_guard();
