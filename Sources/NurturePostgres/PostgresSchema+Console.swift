extension PostgresSchema {
    /// The operator console (issue 16): indexes for its send log and funnels. The send log filtered by sequence
    /// and step, or by state, newest first; a case-insensitive lead prefix as a byte-order range on the
    /// lowercased address; a sequence's funnel counted from the index alone; replies tied to sends; the
    /// overview's attempts per hour from the index alone.
    /// (`send_log_by_send` is in v1.)
    static let v3Console: [String] = [
        "CREATE INDEX planned_sends_by_sequence_step ON planned_sends (sequence, step, id)",
        "CREATE INDEX planned_sends_by_sequence_id ON planned_sends (sequence, id)",
        "CREATE INDEX planned_sends_by_state_id ON planned_sends (state, id)",
        "CREATE INDEX planned_sends_by_lead_prefix ON planned_sends ((lower(lead_email) COLLATE \"C\"), id)",
        "CREATE INDEX planned_sends_funnel ON planned_sends (sequence, step_number, step, state, reason_kind)",
        "CREATE INDEX inbound_messages_by_send ON inbound_messages (send_id)",
        "CREATE INDEX send_log_console_chart ON send_log (state, at) INCLUDE (sender, send_id)",
    ]
}
