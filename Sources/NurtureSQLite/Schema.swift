internal import GRDB

/// The store's tables, created and upgraded by versioned migrations.
///
/// A migration, once released, never changes: later schema changes are new migrations ("v2", ...).
/// `DatabaseMigrator` records applied migrations in `grdb_migrations`, so opening the file again
/// applies only what is missing.
enum Schema {
    /// States in which a ledger row still waits for the scheduler (`SendState.isWaiting`).
    ///
    /// Queries repeat this exact text so SQLite can use the partial indexes built on it.
    static let waitingStates = "('planned', 'deferred', 'held')"

    /// States in which a row keeps its enrollment busy: waiting or in flight.
    ///
    /// Per-enrollment queries write `+state IN ...`: the unary plus keeps SQLite from searching the
    /// state indexes (every waiting row of the store) instead of the enrollment's few rows.
    static let openStates = "('planned', 'deferred', 'held', 'in-flight')"

    /// The migrator with every migration of the store, in order.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            for statement in v1 { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v2-unsubscribe-tokens") { db in
            for statement in unsubscribeTokens { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v3-attempt-started") { db in
            for statement in v3AttemptStarted { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v4-relay-pauses") { db in
            for statement in v4RelayPauses { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v5-reason-kinds") { db in
            for statement in v5ReasonKinds { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v6-inbound") { db in
            for statement in v6Inbound { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v7-console") { db in
            for statement in v7Console { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v8-console-scale") { db in
            for statement in v8ConsoleScale { try db.execute(sql: statement) }
        }
        return migrator
    }

    /// One-click unsubscribe tokens issued in planned marketing mail, so a link resolves to its lead without
    /// the lead being guessable from it (the token is an HMAC of the address under the configured secret).
    private static let unsubscribeTokens: [String] = [
        """
        CREATE TABLE unsubscribe_tokens (
            token TEXT PRIMARY KEY NOT NULL, lead_email TEXT NOT NULL COLLATE NOCASE, issued_at INTEGER NOT NULL
        ) WITHOUT ROWID
        """,
        "CREATE INDEX unsubscribe_tokens_by_lead ON unsubscribe_tokens(lead_email)",
    ]

    /// Dates are INTEGER milliseconds since 1970 (UTC); booleans are 0/1.
    private static let v1: [String] = [
        """
        CREATE TABLE leads (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL COLLATE NOCASE UNIQUE,
            first_name TEXT, last_name TEXT, company TEXT, title TEXT, time_zone TEXT,
            stage TEXT NOT NULL, source TEXT NOT NULL, owner TEXT,
            vision TEXT NOT NULL, budget TEXT NOT NULL, need TEXT NOT NULL,
            authority TEXT NOT NULL, timeframe TEXT NOT NULL,
            attributes TEXT NOT NULL DEFAULT '{}',
            unsubscribed INTEGER NOT NULL DEFAULT 0, bounced INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL
        )
        """,
        """
        CREATE TABLE lead_audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at INTEGER NOT NULL, lead_email TEXT NOT NULL COLLATE NOCASE,
            kind TEXT NOT NULL, detail TEXT NOT NULL
        )
        """,
        "CREATE INDEX lead_audit_by_lead ON lead_audit(lead_email, at, id)",
        // needs_plan is 1 while the enrollment is active and has no waiting or in-flight row; the
        // triggers below keep it current in the same transaction as the change that affects it.
        """
        CREATE TABLE enrollments (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            lead_email TEXT NOT NULL COLLATE NOCASE, sequence TEXT NOT NULL,
            started_at INTEGER NOT NULL, ended_at INTEGER, end_reason TEXT,
            needs_plan INTEGER NOT NULL DEFAULT 1
        )
        """,
        "CREATE INDEX enrollments_by_lead ON enrollments(lead_email, id)",
        "CREATE UNIQUE INDEX enrollments_one_active ON enrollments(lead_email) WHERE ended_at IS NULL",
        "CREATE INDEX enrollments_needing_plan ON enrollments(id) WHERE needs_plan = 1",
        """
        CREATE TABLE planned_sends (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            enrollment_id INTEGER NOT NULL REFERENCES enrollments(id),
            lead_email TEXT NOT NULL COLLATE NOCASE, sequence TEXT NOT NULL,
            step TEXT NOT NULL, step_number INTEGER NOT NULL, track TEXT NOT NULL,
            due_at INTEGER NOT NULL, next_attempt_at INTEGER NOT NULL, state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0, message_id TEXT NOT NULL,
            last_code INTEGER, last_reply TEXT, reason TEXT,
            created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
            UNIQUE (enrollment_id, step)
        )
        """,
        "CREATE INDEX planned_sends_by_state ON planned_sends(state, next_attempt_at)",
        """
        CREATE INDEX planned_sends_waiting ON planned_sends(next_attempt_at, id)
        WHERE state IN \(waitingStates)
        """,
        "CREATE INDEX planned_sends_by_lead ON planned_sends(lead_email, id)",
        """
        CREATE TRIGGER planned_sends_inserted AFTER INSERT ON planned_sends BEGIN
            UPDATE enrollments SET needs_plan = 0 WHERE id = NEW.enrollment_id AND needs_plan = 1
                AND NEW.state IN \(openStates);
        END
        """,
        """
        CREATE TRIGGER planned_sends_closed AFTER UPDATE OF state ON planned_sends
        WHEN OLD.state IN \(openStates) AND NEW.state NOT IN \(openStates) BEGIN
            UPDATE enrollments SET needs_plan = 1 WHERE id = NEW.enrollment_id AND ended_at IS NULL
                AND NOT EXISTS (
                    SELECT 1 FROM planned_sends
                    WHERE enrollment_id = NEW.enrollment_id AND +state IN \(openStates)
                );
        END
        """,
        """
        CREATE TRIGGER planned_sends_reopened AFTER UPDATE OF state ON planned_sends
        WHEN OLD.state NOT IN \(openStates) AND NEW.state IN \(openStates) BEGIN
            UPDATE enrollments SET needs_plan = 0 WHERE id = NEW.enrollment_id AND needs_plan = 1;
        END
        """,
        """
        CREATE TRIGGER enrollments_ended AFTER UPDATE OF ended_at ON enrollments
        WHEN NEW.ended_at IS NOT NULL BEGIN
            UPDATE enrollments SET needs_plan = 0 WHERE id = NEW.id AND needs_plan = 1;
        END
        """,
        """
        CREATE TABLE send_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at INTEGER NOT NULL, send_id INTEGER NOT NULL REFERENCES planned_sends(id),
            lead_email TEXT NOT NULL COLLATE NOCASE, sequence TEXT NOT NULL, step TEXT NOT NULL,
            message_id TEXT NOT NULL, state TEXT NOT NULL, attempt INTEGER NOT NULL,
            code INTEGER, reply TEXT, detail TEXT, sender TEXT, recipient_domain TEXT NOT NULL
        )
        """,
        "CREATE INDEX send_log_by_lead ON send_log(lead_email, id)",
        "CREATE INDEX send_log_by_time ON send_log(at)",
        // Rate counts: equality columns first, the time range last.
        "CREATE INDEX send_log_by_state ON send_log(state, at)",
        "CREATE INDEX send_log_by_sender ON send_log(state, sender, at)",
        "CREATE INDEX send_log_by_domain ON send_log(state, recipient_domain, at)",
        """
        CREATE TABLE suppressions (
            address_hash TEXT PRIMARY KEY NOT NULL, reason TEXT NOT NULL, at INTEGER NOT NULL
        ) WITHOUT ROWID
        """,
        "CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID",
    ]

    /// When each SMTP attempt started (`send_log.started_at`, INTEGER milliseconds, NULL for decisions and
    /// for lines written before this migration), so an operator can see how late a send left against its
    /// due time, and how long the transfer took (`at - started_at`).
    private static let v3AttemptStarted: [String] = [
        "ALTER TABLE send_log ADD COLUMN started_at INTEGER"
    ]

    /// Relays the daemon paused after a relay-level refusal (the sender, the login, policy, TLS settings), so
    /// `nurture status` shows them: one row per relay (`host:port`, or `user@host:port` when it logs in), removed
    /// when the relay accepts a message again. Dates are INTEGER milliseconds.
    private static let v4RelayPauses: [String] = [
        """
        CREATE TABLE relay_pauses (
            relay TEXT PRIMARY KEY NOT NULL, cause TEXT NOT NULL, since INTEGER NOT NULL, until INTEGER NOT NULL,
            refusals INTEGER NOT NULL
        ) WITHOUT ROWID
        """
    ]

    /// The stable kind of each reason (`ReasonKind`'s raw value) next to its prose, on the ledger
    /// (`planned_sends.reason_kind`) and the send log (`send_log.reason_kind`): what `why`, `/metrics`,
    /// `status` and the catch-up pacing read. Rows written before this migration get the kind their prose
    /// says, derived once here from the fixed texts the daemon wrote; anything else stays NULL ("unclassified").
    private static let v5ReasonKinds: [String] = [
        "ALTER TABLE planned_sends ADD COLUMN reason_kind TEXT",
        "ALTER TABLE send_log ADD COLUMN reason_kind TEXT",
        "UPDATE planned_sends SET reason_kind = \(kindOfProse("reason")) WHERE reason IS NOT NULL",
        "UPDATE send_log SET reason_kind = \(kindOfProse("detail")) WHERE detail IS NOT NULL",
    ]

    /// Incoming mail (issue 14): the out-of-office pause of an enrollment (`enrollments.paused_until`, INTEGER
    /// milliseconds, NULL when not paused); every processed incoming message (`inbound_messages`, unique per
    /// mailbox, UIDVALIDITY and UID, so a message is never acted on twice; `lead_email` NULL when unattributed);
    /// each watched mailbox's cursor and health (`mailbox_cursors`); and an index on the ledger's Message-ID for
    /// attributing replies and returned messages (`message_id` is stored with its angle brackets).
    private static let v6Inbound: [String] = [
        "ALTER TABLE enrollments ADD COLUMN paused_until INTEGER",
        """
        CREATE TABLE inbound_messages (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            mailbox TEXT NOT NULL, uid_validity INTEGER NOT NULL, uid INTEGER NOT NULL, at INTEGER NOT NULL,
            message_id TEXT, from_address TEXT, subject TEXT, kind TEXT NOT NULL, evidence TEXT NOT NULL,
            rule TEXT, lead_email TEXT COLLATE NOCASE, send_id INTEGER, action TEXT NOT NULL,
            UNIQUE (mailbox, uid_validity, uid)
        )
        """,
        "CREATE INDEX inbound_messages_by_lead ON inbound_messages(lead_email, kind, at)",
        "CREATE INDEX inbound_messages_by_time ON inbound_messages(at)",
        """
        CREATE TABLE mailbox_cursors (
            mailbox TEXT PRIMARY KEY NOT NULL, uid_validity INTEGER NOT NULL, last_uid INTEGER NOT NULL,
            checked_at INTEGER, last_error TEXT, failing_since INTEGER, failures INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID
        """,
        "CREATE INDEX planned_sends_by_message_id ON planned_sends(message_id)",
    ]

    /// The kind of the prose in `column` (the texts earlier versions wrote), as a SQL expression; NULL when
    /// the text is not one of them.
    private static func kindOfProse(_ column: String) -> String {
        let patterns: [(String, String)] = [
            ("outside the send window%", "outside_window"),
            ("the send window never opens", "window_never_opens"),
            ("held: no owner%", "no_owner"),
            ("held: owner `%", "unknown_owner"),
            ("at most one email per lead%", "lead_gap"),
            ("rate limit:%", "rate_limit"),
            ("catching up after downtime%", "catch_up"),
            ("relay % refused:%", "relay_paused"),
            ("cannot render:%", "template_error"),
            ("store error:%", "store_error"),
            ("the step''s condition no longer holds%", "condition_not_met"),
            ("too late:%", "too_late"),
            ("the lead no longer exists", "lead_gone"),
            ("the enrollment has ended", "enrollment_ended"),
            ("enrollment ended%", "enrollment_ended"),
            ("sequence `%` was removed from the configuration", "sequence_removed"),
            ("step `%` was removed from `%`", "step_removed"),
            ("step removed from the configuration", "step_removed"),
            ("the lead unsubscribed", "unsubscribed"),
            ("the lead''s address bounced", "bounced"),
            ("the lead is in stage %", "terminal_stage"),
            ("the address is on the suppression list", "suppressed"),
            ("stored Message-ID %", "invalid_message_id"),
            ("gave up after %", "gave_up"),
            ("permanent failure: %", "recipient_bounced"),
            ("this message was refused: %", "message_refused"),
            ("outcome unknown: %", "outcome_unknown"),
            ("daemon stopped during the transfer%", "outcome_unknown"),
            ("%; next attempt %", "retrying"),
        ]
        let cases = patterns.map { "WHEN \(column) LIKE '\($0.0)' THEN '\($0.1)'" }.joined(separator: " ")
        return "CASE \(cases) ELSE NULL END"
    }
}
