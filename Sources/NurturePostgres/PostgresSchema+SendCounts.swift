extension PostgresSchema {
    /// The operator console at millions of rows (issue 16): counts of ledger rows by sequence step, state and
    /// reason kind (`''` for none), for the queue by state (the overview, `status`, `/metrics`) and the funnels.
    ///
    /// Several daemons write the ledger at once, so a trigger does not update a shared count row (each would
    /// hold its lock to the end of its transaction: daemons would wait on one another, and deadlock when two
    /// transactions touch two counts in opposite orders). It appends +1/-1 to `send_count_changes`, which
    /// nothing else locks; the leader folds the changes into `send_counts` every cluster round, apart from the
    /// heartbeat (``PostgresStore/foldCounts()``), and a read adds the changes not folded yet. The triggers come
    /// first, so the write lock they take on `planned_sends` holds every writer back until the counts made from the
    /// rows already there are committed with them. The funnel's index is no longer needed;
    /// `planned_sends_by_due_id` answers the send log's date range, paged by due time and id;
    /// `enrollments_ended_by_sequence` the funnel's leads whose enrollment ended before a step.
    static let v4ConsoleScale: [String] = [
        """
        CREATE TABLE send_counts (
            sequence TEXT NOT NULL, step_number INTEGER NOT NULL, step TEXT NOT NULL, state TEXT NOT NULL,
            reason_kind TEXT NOT NULL, n BIGINT NOT NULL,
            PRIMARY KEY (sequence, step_number, step, state, reason_kind)
        )
        """,
        """
        CREATE TABLE send_count_changes (
            sequence TEXT NOT NULL, step_number INTEGER NOT NULL, step TEXT NOT NULL, state TEXT NOT NULL,
            reason_kind TEXT NOT NULL, n INTEGER NOT NULL
        )
        """,
        """
        CREATE FUNCTION nurture_count_send_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                INSERT INTO send_count_changes VALUES
                    (OLD.sequence, OLD.step_number, OLD.step, OLD.state, coalesce(OLD.reason_kind, ''), -1);
            END IF;
            IF TG_OP IN ('UPDATE', 'INSERT') THEN
                INSERT INTO send_count_changes VALUES
                    (NEW.sequence, NEW.step_number, NEW.step, NEW.state, coalesce(NEW.reason_kind, ''), 1);
            END IF;
            RETURN NULL;
        END
        $$
        """,
        """
        CREATE TRIGGER send_counts_insert_delete AFTER INSERT OR DELETE ON planned_sends
        FOR EACH ROW EXECUTE FUNCTION nurture_count_send_change()
        """,
        """
        CREATE TRIGGER send_counts_update AFTER UPDATE OF sequence, step_number, step, state, reason_kind
        ON planned_sends FOR EACH ROW
        WHEN (OLD.sequence IS DISTINCT FROM NEW.sequence OR OLD.step_number IS DISTINCT FROM NEW.step_number
            OR OLD.step IS DISTINCT FROM NEW.step OR OLD.state IS DISTINCT FROM NEW.state
            OR OLD.reason_kind IS DISTINCT FROM NEW.reason_kind)
        EXECUTE FUNCTION nurture_count_send_change()
        """,
        """
        INSERT INTO send_counts (sequence, step_number, step, state, reason_kind, n)
        SELECT sequence, step_number, step, state, coalesce(reason_kind, ''), count(*) FROM planned_sends
        GROUP BY 1, 2, 3, 4, 5
        """,
        "DROP INDEX planned_sends_funnel",
        "CREATE INDEX planned_sends_by_due_id ON planned_sends (due_at, id)",
        "CREATE INDEX enrollments_ended_by_sequence ON enrollments (sequence, id) WHERE ended_at IS NOT NULL",
    ]

    /// The counts with the changes not folded yet, as rows of (sequence, step_number, step, state, reason_kind,
    /// n), for a query to filter and group.
    static let sendCountsNow = """
        (SELECT sequence, step_number, step, state, reason_kind, n FROM send_counts
         UNION ALL
         SELECT sequence, step_number, step, state, reason_kind, n FROM send_count_changes) AS c
        """

    /// Moves up to `chunk` changes into the counts in one statement, returning how many it moved (a
    /// change appended meanwhile waits for the next fold); counts are upserted in key order, so two folds at
    /// once cannot deadlock.
    static func foldSendCounts(chunk: Int) -> String {
        """
        WITH moved AS (
            DELETE FROM send_count_changes
            WHERE ctid IN (SELECT ctid FROM send_count_changes LIMIT \(chunk))
            RETURNING *
        ), folded AS (
            INSERT INTO send_counts AS c (sequence, step_number, step, state, reason_kind, n)
            SELECT sequence, step_number, step, state, reason_kind, sum(n) FROM moved
            GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
            ON CONFLICT (sequence, step_number, step, state, reason_kind) DO UPDATE SET n = c.n + EXCLUDED.n
        )
        SELECT count(*) FROM moved
        """
    }
}
