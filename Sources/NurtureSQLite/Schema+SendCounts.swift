extension Schema {
    /// The operator console at millions of rows (issue 16). `send_counts` keeps how many ledger rows each sequence
    /// step has in each state and reason kind, maintained by triggers on `planned_sends` in the transaction that
    /// writes the row, so the queue by state (the overview, `status`, `/metrics`) and a sequence's funnel read a few
    /// hundred rows instead of counting the ledger. A reason kind that is `NULL` in the ledger is `''` here (a key
    /// column cannot be `NULL`); rows whose count fell to 0 stay and are left out by the reads. The funnel's index
    /// is no longer needed. `planned_sends_by_due_id` answers the send log's date range, paged by due time and id;
    /// `enrollments_ended_by_sequence` the funnel's leads whose enrollment ended before a step;
    /// `inbound_messages_by_kind_send` the funnel's replies.
    static let v8ConsoleScale: [String] = [
        """
        CREATE TABLE send_counts (
            sequence TEXT NOT NULL,
            step_number INTEGER NOT NULL,
            step TEXT NOT NULL,
            state TEXT NOT NULL,
            reason_kind TEXT NOT NULL,
            n INTEGER NOT NULL,
            PRIMARY KEY (sequence, step_number, step, state, reason_kind)
        ) WITHOUT ROWID
        """,
        """
        INSERT INTO send_counts (sequence, step_number, step, state, reason_kind, n)
        SELECT sequence, step_number, step, state, coalesce(reason_kind, ''), count(*) FROM planned_sends
        GROUP BY sequence, step_number, step, state, coalesce(reason_kind, '')
        """,
        """
        CREATE TRIGGER send_counts_insert AFTER INSERT ON planned_sends BEGIN
            \(countUp("new"))
        END
        """,
        """
        CREATE TRIGGER send_counts_delete AFTER DELETE ON planned_sends BEGIN
            \(countDown("old"))
        END
        """,
        """
        CREATE TRIGGER send_counts_update AFTER UPDATE OF sequence, step_number, step, state, reason_kind
        ON planned_sends
        WHEN old.sequence IS NOT new.sequence OR old.step_number IS NOT new.step_number OR old.step IS NOT new.step
            OR old.state IS NOT new.state OR old.reason_kind IS NOT new.reason_kind
        BEGIN
            \(countDown("old"))
            \(countUp("new"))
        END
        """,
        "DROP INDEX planned_sends_funnel",
        "CREATE INDEX planned_sends_by_due_id ON planned_sends(due_at, id)",
        "CREATE INDEX enrollments_ended_by_sequence ON enrollments(sequence, id) WHERE ended_at IS NOT NULL",
        "CREATE INDEX inbound_messages_by_kind_send ON inbound_messages(kind, send_id)",
    ]

    /// The trigger statement that counts the row `row` (`new`) in.
    private static func countUp(_ row: String) -> String {
        """
        INSERT INTO send_counts (sequence, step_number, step, state, reason_kind, n)
            VALUES (\(row).sequence, \(row).step_number, \(row).step, \(row).state, coalesce(\(row).reason_kind, ''), 1)
            ON CONFLICT (sequence, step_number, step, state, reason_kind) DO UPDATE SET n = n + 1;
        """
    }

    /// The trigger statement that counts the row `row` (`old`) out.
    private static func countDown(_ row: String) -> String {
        """
        UPDATE send_counts SET n = n - 1
            WHERE sequence = \(row).sequence AND step_number = \(row).step_number AND step = \(row).step
            AND state = \(row).state AND reason_kind = coalesce(\(row).reason_kind, '');
        """
    }
}
