-- WatchAuditEvents streams audit events in the order (xid, id), where xid is
-- the 64-bit id of the transaction that inserted the event. An event is sent
-- only once every transaction with a lower id has ended (its xid is below
-- pg_snapshot_xmin(pg_current_snapshot())), so nothing can later commit in
-- front of a cursor already handed out, even when two transactions commit
-- out of the order of their ids.
--
-- Rows that exist now were all committed before this migration (ALTER TABLE
-- waits for every transaction that inserted into the table): they get xid 0
-- and so come first, in id order. The constant default makes the column a
-- change of the catalog only, with no rewrite of a large table; new rows
-- then take the id of their own transaction, also when a replica of an
-- older version inserts them.
ALTER TABLE audit_events ADD COLUMN xid xid8 NOT NULL DEFAULT '0';
ALTER TABLE audit_events ALTER COLUMN xid SET DEFAULT pg_current_xact_id();
CREATE INDEX audit_events_stream_idx ON audit_events (xid, id);

-- Wakes the watchers of every replica when events commit (delivered at
-- commit; PostgreSQL folds the identical notifications of one transaction
-- into one). The payload carries nothing: watchers read what is new.
CREATE FUNCTION identity_audit_committed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('identity_audit', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER audit_events_committed AFTER INSERT ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION identity_audit_committed();
