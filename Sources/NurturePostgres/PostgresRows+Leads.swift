#if PostgreSQL
    import NurtureCore

    extension PostgresStoredRow {
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

        /// The record in an `inbound_messages` row.
        func inboundRecord() throws(StoreError) -> InboundRecord {
            InboundRecord(
                mailbox: try text("mailbox"), uidValidity: try uint32("uid_validity"), uid: try uint32("uid"),
                at: try date("at"), messageID: try optionalText("message_id"), from: try optionalText("from_address"),
                subject: try optionalText("subject"), kind: try value("kind", as: InboundKind.self),
                evidence: try text("evidence"), rule: try optionalValue("rule", as: AttributionRule.self),
                leadEmail: try optionalEmail("lead_email"),
                sendID: try optionalInt64("send_id"), action: try text("action"))
        }

        /// The cursor in a `mailbox_cursors` row.
        func mailboxCursor() throws(StoreError) -> MailboxCursor {
            MailboxCursor(
                mailbox: try text("mailbox"), uidValidity: try uint32("uid_validity"), lastUID: try uint32("last_uid"),
                checkedAt: try optionalDate("checked_at"), lastError: try optionalText("last_error"),
                failingSince: try optionalDate("failing_since"), failures: try int("failures"))
        }

        /// The pause in a `relay_pauses` row.
        func relayPause() throws(StoreError) -> RelayPause {
            RelayPause(
                relay: try text("relay"), cause: try text("cause"), since: try date("since"), until: try date("until"),
                refusals: try int("refusals"))
        }
    }
#endif
