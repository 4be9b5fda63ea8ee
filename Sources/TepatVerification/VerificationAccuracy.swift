import TepatData
import TepatScoring

/// How often the list is right, against truth.csv (generated data): a
/// `likely_excluded` household is right when it is truly among the poorest
/// 40% of persons, a `likely_included` one when it truly is not. The base rate
/// is the same share over every household of the same registry side, what a
/// list drawn at random from them would achieve.
public struct VerificationAccuracy: Sendable, Equatable {
    public struct Side: Sendable, Equatable {
        public var listed: Int
        /// Listed households that are what the list says, over listed.
        public var precision: Double
        /// Households of the same registry side that are, over all of them.
        public var baseRate: Double
    }
    public var excluded: Side
    public var included: Side

    public static func measure(_ list: VerificationList, truth: Table, registry: HouseholdColumns, registryDesil: [Int32]) -> VerificationAccuracy {
        let consumption = TrueWelfare.consumption(truth: truth, ids: registry.ids)
        let poorest = TrueWelfare.deciles(consumption: consumption, members: registry.members).map { $0 <= 4 }
        func side(_ reason: VerificationReason) -> Side {
            let listed = list.cases.filter { $0.reason == reason }
            let right = listed.filter { poorest[$0.household] == (reason == .likelyExcluded) }.count
            let sameSide = registryDesil.indices.filter {
                (1...10).contains(registryDesil[$0]) && (registryDesil[$0] > 4) == (reason == .likelyExcluded)
            }
            let baseRight = sameSide.filter { poorest[$0] == (reason == .likelyExcluded) }.count
            return Side(listed: listed.count, precision: listed.isEmpty ? 0 : Double(right) / Double(listed.count),
                        baseRate: sameSide.isEmpty ? 0 : Double(baseRight) / Double(sameSide.count))
        }
        return VerificationAccuracy(excluded: side(.likelyExcluded), included: side(.likelyIncluded))
    }
}
