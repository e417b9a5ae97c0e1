extension Schema {
    /// The operator console (issue 16): indexes for its send log, send detail and funnels. A send's log lines by
    /// send (`send_log_by_send`); the send log filtered by sequence (and step), or by state, newest first
    /// (`planned_sends_by_sequence_id`, `planned_sends_by_sequence_step`, `planned_sends_by_state_id`: the
    /// filter's columns, then the id the page is ordered and cut by); a sequence's funnel counted from the index
    /// alone (`planned_sends_funnel`); replies tied to sends (`inbound_messages_by_send`); the overview's
    /// attempts per hour from the index alone (`send_log_console_chart`). The lead filter uses
    /// `planned_sends_by_lead` (v1), whose NOCASE order answers a case-insensitive prefix range.
    static let v7Console: [String] = [
        "CREATE INDEX send_log_by_send ON send_log(send_id, id)",
        "CREATE INDEX planned_sends_by_sequence_step ON planned_sends(sequence, step, id)",
        "CREATE INDEX planned_sends_by_sequence_id ON planned_sends(sequence, id)",
        "CREATE INDEX planned_sends_by_state_id ON planned_sends(state, id)",
        "CREATE INDEX planned_sends_funnel ON planned_sends(sequence, step_number, step, state, reason_kind)",
        "CREATE INDEX inbound_messages_by_send ON inbound_messages(send_id)",
        "CREATE INDEX send_log_console_chart ON send_log(state, at, sender, send_id)",
    ]
}
