import Foundation
import TepatData

/// One generated household: DTKS indicators plus its true consumption.
struct Household {
    var members = 1, headFemale = 0, headAge = 40, headEducation = 0, headWorks = 1
    var sector = "none"
    var children06 = 0, children718 = 0, elderly = 0, disabled = 0, chronicIll = 0, outOfSchool = 0
    var tenure = "own"
    var floorArea = 36
    var floor = "cement", wall = "masonry", roof = "tile", water = "pump", lighting = "pln_meter"
    var electricityVA = 900
    var cooking = "lpg_3kg", toilet = "own"
    var septic = 0
    var assets = [Int](repeating: 0, count: Schemas.assets.count)
    var ownsLand = 0, ownsOtherHouse = 0, cattle = 0, smallLivestock = 0
    var pkh = 0, bpnt = 0, pbi = 0
    var officialDesil = 5
    /// True monthly consumption per capita, rupiah.
    var consumption = 0
}

/// An ordered set of categories, poorest first, drawn by an ordered probit on the
/// household's standardised visible welfare. Thresholds are placed so that the
/// marginal shares are the given ones for a household of average welfare spread.
struct OrderedIndicator {
    let levels: [String]
    let loading: Double
    let thresholds: [Double]

    init(_ levelsAndShares: [(String, Double)], loading: Double) {
        levels = levelsAndShares.map(\.0)
        self.loading = loading
        let total = levelsAndShares.reduce(0) { $0 + $1.1 }
        var cumulative = 0.0
        var t: [Double] = []
        for (_, share) in levelsAndShares.dropLast() {
            cumulative += share / total
            t.append(inverseNormalCDF(min(max(cumulative, 1e-9), 1 - 1e-9)) * (1 + loading * loading).squareRoot())
        }
        thresholds = t
    }

    func draw(_ welfare: Double, _ rng: inout SeededRandom) -> String {
        let latent = loading * welfare + rng.normal()
        var k = 0
        while k < thresholds.count && latent > thresholds[k] { k += 1 }
        return levels[k]
    }
}

/// A yes/no indicator whose probability rises with welfare: yes when
/// loading·welfare + ε exceeds a threshold set so that the share of yes is `rate`
/// over households of unit welfare spread.
struct BinaryIndicator {
    let threshold: Double
    let loading: Double
    init(rate: Double, loading: Double) {
        self.loading = loading
        threshold = -inverseNormalCDF(min(max(rate, 1e-6), 1 - 1e-6)) * (1 + loading * loading).squareRoot()
    }
    func draw(_ welfare: Double, _ rng: inout SeededRandom) -> Int {
        loading * welfare + rng.normal() > threshold ? 1 : 0
    }
}

/// How indicators follow welfare. Shares and loadings are set to resemble SUSENAS
/// and DTKS tabulations for rural Java: most floors cement or ceramic, a few
/// percent earth; LPG 3 kg the common fuel; firewood concentrated among the poor.
struct HouseholdModel {
    /// Mean log consumption per capita; with the spreads below the kabupaten's
    /// headcount at Rp 550,000 is about 11%.
    var meanLogConsumption = 13.96
    /// Spread of household welfare the indicators reflect.
    var householdVisibleSD = 0.42
    /// Household welfare no indicator reveals (the PMT's residual).
    var householdHiddenSD = 0.30

    let education = OrderedIndicator([("0", 0.12), ("1", 0.33), ("2", 0.18), ("3", 0.25), ("4", 0.04), ("5", 0.08)], loading: 0.9)
    let floor = OrderedIndicator([("earth", 0.07), ("bamboo", 0.02), ("wood_low", 0.05), ("cement", 0.28), ("wood_high", 0.05), ("tile", 0.13), ("ceramic", 0.40)], loading: 1.0)
    let wall = OrderedIndicator([("bamboo", 0.06), ("plaster_bamboo", 0.06), ("wood", 0.13), ("masonry", 0.75)], loading: 0.9)
    let roof = OrderedIndicator([("thatch", 0.02), ("bamboo", 0.01), ("zinc", 0.12), ("asbestos", 0.25), ("tile", 0.55), ("concrete", 0.05)], loading: 0.6)
    let water = OrderedIndicator([("river", 0.03), ("unprotected_spring", 0.03), ("unprotected_well", 0.06), ("rain", 0.02), ("protected_spring", 0.08), ("protected_well", 0.20), ("pump", 0.22), ("piped", 0.16), ("bottled", 0.20)], loading: 0.7)
    let lighting = OrderedIndicator([("none", 0.003), ("non_pln", 0.012), ("pln_no_meter", 0.08), ("pln_meter", 0.905)], loading: 0.8)
    let power = OrderedIndicator([("450", 0.35), ("900", 0.40), ("1300", 0.15), ("2200", 0.07), ("3500", 0.03)], loading: 1.0)
    let cooking = OrderedIndicator([("firewood", 0.15), ("charcoal", 0.01), ("kerosene", 0.02), ("lpg_3kg", 0.74), ("lpg_large", 0.06), ("electricity", 0.02)], loading: 0.9)
    let toilet = OrderedIndicator([("none", 0.05), ("public", 0.03), ("shared", 0.10), ("own", 0.82)], loading: 0.8)
    /// Base rate and loading per asset, in the order of `Schemas.assets`.
    let assetIndicators: [BinaryIndicator] = [
        (0.55, 1.0), (0.07, 1.1), (0.04, 1.0), (0.88, 0.7), (0.18, 0.8), (0.12, 1.0),
        (0.82, 0.8), (0.35, 0.1), (0.80, 0.8), (0.08, 1.1), (0.02, 0.2), (0.01, 0.4),
    ].map { BinaryIndicator(rate: $0.0, loading: $0.1) }
    let otherHouse = BinaryIndicator(rate: 0.05, loading: 0.9)

    /// Draws a household of a village. `visible` is the village's welfare shift
    /// that indicators reflect; `hidden` the part they do not.
    func draw(village: Village, urban: Bool, kecamatanEffect: Double, rng: inout SeededRandom) -> Household {
        var h = Household()
        let householdVisible = householdVisibleSD * rng.normal()
        let visible = kecamatanEffect + village.visibleEffect + (urban ? 0.30 : 0) + householdVisible
        // Standardised welfare: what indicators respond to (unit spread).
        let s = visible / 0.5
        let rural = urban ? 0.0 : 1.0

        h.members = min(12, 1 + rng.poisson(max(0.4, 2.8 - 0.45 * s)))
        h.headAge = Int(min(95, max(18, rng.normal(mean: 47, sd: 13))).rounded())
        h.headFemale = rng.bernoulli(h.headAge > 60 ? 0.28 : 0.13) ? 1 : 0
        h.elderly = h.headAge >= 60 ? 1 : 0
        var others = h.members - 1 - h.elderly
        if others > 0 && rng.bernoulli(0.12) { h.elderly += 1; others -= 1 }
        if h.members >= 2 && others > 0 && rng.bernoulli(0.8) { others -= 1 }  // spouse
        for _ in 0..<max(0, others) {
            let u = rng.uniform()
            if u < 0.30 { h.children06 += 1 } else if u < 0.85 { h.children718 += 1 }
        }
        h.disabled = rng.bernoulli(0.025 + 0.03 * Double(h.elderly)) ? 1 : 0
        h.chronicIll = rng.bernoulli(0.06 + 0.07 * Double(min(h.elderly, 1))) ? 1 : 0
        for _ in 0..<h.children718 where rng.bernoulli(normalCDF(-1.7 - 0.6 * s)) { h.outOfSchool += 1 }

        h.headEducation = Int(education.draw(s, &rng))!
        h.headWorks = rng.bernoulli(h.headAge < 65 ? 0.90 : 0.55) ? 1 : 0
        if h.headWorks == 1 {
            let u = rng.uniform()
            let agriculture = rural * max(0.05, 0.42 - 0.15 * s)
            let fishery = village.coastal ? 0.22 : 0.0
            if u < agriculture { h.sector = "agriculture" }
            else if u < agriculture + fishery { h.sector = "fishery" }
            else {
                let rest = ["industry", "construction", "trade", "services", "other"]
                let weights = [0.22, 0.14 - 0.03 * s, 0.28, 0.26 + 0.06 * s, 0.10].map { max(0.02, $0) }
                var v = rng.uniform() * weights.reduce(0, +)
                var k = 0
                while k < weights.count - 1 && v > weights[k] { v -= weights[k]; k += 1 }
                h.sector = rest[k]
            }
        }
        let t = rng.uniform()
        h.tenure = t < (urban ? 0.66 : 0.84) ? "own" : t < (urban ? 0.84 : 0.89) ? "rent" : t < 0.97 ? "rent_free" : t < 0.985 ? "official" : "other"
        h.floorArea = max(6, Int(exp(3.55 + 0.22 * s + 0.20 * log(Double(h.members)) + 0.28 * rng.normal()).rounded()))
        h.floor = rng.bernoulli(0.01) ? "other" : floor.draw(s + 0.2 * (1 - rural), &rng)
        h.wall = rng.bernoulli(0.005) ? "other" : wall.draw(s, &rng)
        h.roof = rng.bernoulli(0.005) ? "other" : roof.draw(s, &rng)
        h.water = rng.bernoulli(0.01) ? "other" : water.draw(s + 0.5 * (1 - rural), &rng)
        h.lighting = lighting.draw(s + 0.3 * (1 - rural), &rng)
        switch h.lighting {
        case "pln_meter": h.electricityVA = Int(power.draw(s, &rng))!
        case "pln_no_meter": h.electricityVA = rng.bernoulli(0.7) ? 450 : 900
        default: h.electricityVA = 0
        }
        let fuelDraw = rng.uniform()
        h.cooking = fuelDraw < 0.004 ? "biogas" : fuelDraw < 0.008 ? "none" : cooking.draw(s - 0.4 * rural, &rng)
        h.toilet = toilet.draw(s, &rng)
        h.septic = h.toilet == "own" ? (rng.bernoulli(normalCDF(0.4 + 0.7 * s)) ? 1 : 0) : h.toilet == "shared" ? (rng.bernoulli(0.3) ? 1 : 0) : 0
        for (k, asset) in assetIndicators.enumerated() {
            let coastalBoost = (k == 10 || k == 11) && village.coastal ? 1.2 : 0
            h.assets[k] = asset.draw(s + coastalBoost + (h.sector == "fishery" && k >= 10 ? 1.0 : 0), &rng)
        }
        h.ownsLand = rng.bernoulli(urban ? 0.10 : (h.sector == "agriculture" ? 0.62 : 0.35) * normalCDF(0.3 + 0.3 * s) / normalCDF(0.3)) ? 1 : 0
        h.ownsOtherHouse = otherHouse.draw(s, &rng)
        if rural > 0 && rng.bernoulli(h.sector == "agriculture" ? 0.35 : 0.08) { h.cattle = 1 + rng.poisson(0.6) }
        if rng.bernoulli(0.25 * (rural + 0.2)) { h.smallLivestock = 1 + rng.poisson(1.5) }
        // Social assistance reaches the poor imperfectly, as in DTKS practice.
        h.pkh = rng.bernoulli(normalCDF(-1.35 - 0.9 * s)) ? 1 : 0
        h.bpnt = rng.bernoulli(normalCDF(-1.0 - 0.9 * s)) ? 1 : 0
        h.pbi = rng.bernoulli(normalCDF(-0.35 - 0.8 * s)) ? 1 : 0
        // The official desil of an extract: a noisy ranking of the same welfare.
        let noisy = s + 0.6 * rng.normal()
        h.officialDesil = min(10, max(1, Int((10 * normalCDF(noisy / 1.166)).rounded(.up))))

        let lnConsumption = meanLogConsumption + visible + village.hiddenEffect
            - 0.15 * (log(Double(h.members)) - log(4.0)) + householdHiddenSD * rng.normal()
        h.consumption = max(50_000, Int(exp(lnConsumption).rounded()))
        return h
    }
}
