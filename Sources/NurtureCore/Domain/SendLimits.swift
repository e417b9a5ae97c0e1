/// How much mail may go out: per salesperson, for marketing, and to one lead.
package struct SendLimits: Sendable, Hashable {
    /// Emails per day under one salesperson's name, unless the salesperson has their own limit.
    package var salespersonPerDay: Int
    /// Marketing emails per day in total; `nil` for no limit.
    package var marketingPerDay: Int?
    /// The least time between two emails to the same lead, whatever their sequences.
    package var perLeadMinimumGap: Duration

    /// Makes limits; the defaults are conservative.
    package init(
        salespersonPerDay: Int = 80, marketingPerDay: Int? = nil, perLeadMinimumGap: Duration = .seconds(86_400)
    ) {
        self.salespersonPerDay = salespersonPerDay
        self.marketingPerDay = marketingPerDay
        self.perLeadMinimumGap = perLeadMinimumGap
    }

    /// The daily limit for one salesperson: their own, or the default.
    package func dailyLimit(for salesperson: Salesperson) -> Int { salesperson.dailyLimit ?? salespersonPerDay }
}
