internal import GRDB
internal import NurtureCore

extension StoredRow {
    /// The lead in a `leads` row.
    func lead() throws(StoreError) -> Lead {
        Lead(
            email: try email("email"), firstName: try optionalText("first_name"),
            lastName: try optionalText("last_name"), company: try optionalText("company"),
            title: try optionalText("title"), timeZone: try optionalText("time_zone"),
            stage: try value("stage", as: Stage.self), source: try value("source", as: LeadSource.self),
            owner: try optionalText("owner"),
            qualification: Qualification(
                vision: try value("vision", as: CriterionStatus.self),
                budget: try value("budget", as: CriterionStatus.self),
                need: try value("need", as: CriterionStatus.self),
                authority: try value("authority", as: CriterionStatus.self),
                timeframe: try value("timeframe", as: CriterionStatus.self)),
            attributes: try attributes("attributes"), isUnsubscribed: try bool("unsubscribed"),
            hasBounced: try bool("bounced"))
    }

    /// The entry in a `lead_audit` row.
    func auditEntry() throws(StoreError) -> LeadAuditEntry {
        LeadAuditEntry(
            at: try date("at"), leadEmail: try email("lead_email"), kind: try text("kind"),
            detail: try text("detail"))
    }

    /// The enrollment in an `enrollments` row.
    func enrollment() throws(StoreError) -> EnrollmentRecord {
        EnrollmentRecord(
            id: try int64("id"), leadEmail: try email("lead_email"), sequence: try text("sequence"),
            startedAt: try date("started_at"), endedAt: try optionalDate("ended_at"),
            endReason: try optionalValue("end_reason", as: EnrollmentEndReason.self),
            pausedUntil: try optionalDate("paused_until"))
    }

    /// The ledger row in a `planned_sends` row.
    func plannedSend() throws(StoreError) -> PlannedSend {
        PlannedSend(
            id: try int64("id"), enrollmentID: try int64("enrollment_id"), leadEmail: try email("lead_email"),
            sequence: try text("sequence"), step: try text("step"), stepNumber: try int("step_number"),
            track: try value("track", as: Track.self), dueAt: try date("due_at"),
            nextAttemptAt: try date("next_attempt_at"), state: try value("state", as: SendState.self),
            attempts: try int("attempts"), messageID: try text("message_id"), lastCode: try optionalInt("last_code"),
            lastReply: try optionalText("last_reply"), reason: try optionalText("reason"),
            reasonKind: try optionalText("reason_kind").flatMap(ReasonKind.init(rawValue:)),
            createdAt: try date("created_at"), updatedAt: try date("updated_at"))
    }

    /// The line in a `send_log` row.
    func logEntry() throws(StoreError) -> SendLogEntry {
        SendLogEntry(
            id: try int64("id"), at: try date("at"), sendID: try int64("send_id"), leadEmail: try email("lead_email"),
            sequence: try text("sequence"), step: try text("step"), messageID: try text("message_id"),
            state: try value("state", as: SendState.self), attempt: try int("attempt"), code: try optionalInt("code"),
            reply: try optionalText("reply"), detail: try optionalText("detail"), sender: try optionalText("sender"),
            recipientDomain: try text("recipient_domain"), startedAt: try optionalDate("started_at"),
            reasonKind: try optionalText("reason_kind").flatMap(ReasonKind.init(rawValue:)))
    }
}
