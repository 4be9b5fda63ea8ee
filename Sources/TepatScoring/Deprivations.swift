import TepatData

/// The named household deprivations of Docs/model.md, each tied to a pillar a
/// program or an OPD works in.
public enum Deprivation: String, CaseIterable, Sendable, Codable {
    case housing, sanitation, water, energy, schooling, health, livelihood, socialCare = "social_care"

    public var pillar: String {
        switch self {
        case .housing: return "housing"
        case .sanitation, .water, .energy: return "environment"
        case .schooling: return "education"
        case .health: return "health"
        case .livelihood: return "economy"
        case .socialCare: return "social"
        }
    }

    /// Which households have this deprivation (the tests of Docs/model.md).
    public static func flags(_ d: Deprivation, _ h: HouseholdColumns) -> [Bool] {
        let n = h.count
        switch d {
        case .housing:
            let floor = h.isAny("floor_material", of: ["earth", "bamboo", "wood_low"])
            let wall = h.isAny("wall_material", of: ["bamboo", "other"])
            let roof = h.isAny("roof_material", of: ["thatch", "bamboo"])
            return (0..<n).map { floor[$0] || wall[$0] || roof[$0] || h.floorArea[$0] / h.members[$0] < 8 }
        case .sanitation:
            let toilet = h.isAny("toilet", of: ["none", "public"])
            let septic = h["septic_tank"]
            return (0..<n).map { toilet[$0] || septic[$0] == 0 }
        case .water:
            return h.isAny("water_source", of: ["unprotected_well", "unprotected_spring", "river", "rain"])
        case .energy:
            let light = h.isAny("lighting", of: ["non_pln", "none"])
            let fuel = h.isAny("cooking_fuel", of: ["firewood", "charcoal"])
            return (0..<n).map { light[$0] || fuel[$0] }
        case .schooling:
            return h["children_out_of_school"].map { $0 > 0 }
        case .health:
            let ill = h["chronic_ill_members"], disabled = h["disabled_members"], pbi = h["receives_pbi"]
            return (0..<n).map { (ill[$0] > 0 || disabled[$0] > 0) && pbi[$0] == 0 }
        case .livelihood:
            let works = h["head_works"], land = h["owns_land"], boat = h["has_boat"]
            let primary = h.isAny("head_sector", of: ["agriculture", "fishery"])
            return (0..<n).map { works[$0] == 0 || (primary[$0] && land[$0] == 0 && boat[$0] == 0) }
        case .socialCare:
            let elderly = h["elderly_60plus"], disabled = h["disabled_members"], pkh = h["receives_pkh"]
            return (0..<n).map { (elderly[$0] > 0 || disabled[$0] > 0) && pkh[$0] == 0 }
        }
    }
}
