package import NurtureConfig
package import NurtureCore
import NurtureSMTP

extension SendPolicy {
    /// What the checks before a send read from `configuration`, with the scheduling rules `scheduling`.
    package init(configuration: NurtureConfiguration, scheduling: SchedulingPolicy) {
        self.init(
            sequences: configuration.sequences, salespeople: configuration.salespeople,
            marketingSender: configuration.marketingSender, limits: configuration.defaults.limits,
            defaultTimeZone: configuration.defaults.timeZone, scheduling: scheduling,
            unsubscribeBaseURL: configuration.company.unsubscribeBaseURL,
            unsubscribeKey: configuration.unsubscribeSecret.map { Array($0.value.utf8) }
                ?? MessageBuilder.demoUnsubscribeKey)
    }
}
