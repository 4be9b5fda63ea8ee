import Foundation
import TepatData

/// Options of `tepat generate`.
public struct GeneratorOptions: Sendable {
    public var households = 5_000
    /// Number of villages; nil: all villages of the region when a list is given,
    /// else 40.
    public var villages: Int? = nil
    public var seed: UInt64 = 1
    /// Kemendagri code of the kabupaten/kota (or province) to generate.
    public var region = "35.99"
    /// A Kemendagri village list (format of shared/data/wilayah_desa.csv): the
    /// villages then carry the real codes and names of `region`.
    public var villagesFile: String? = nil
    /// Survey villages (census blocks), drawn with probability proportional to
    /// size; nil: `SurveySample.defaultVillages`.
    public var surveyVillages: Int? = nil
    /// Survey households drawn in each survey village.
    public var surveyPerVillage = SurveySample.defaultPerVillage
    public var opds: Int? = nil
    public var funders = 10

    public init() {}
}

/// Writes a complete, realistic DATA_DIR for a kabupaten. Households are made
/// village by village and streamed to disk, so memory does not grow with the
/// number of households; each village has its own random stream, so the files
/// depend only on the options and the seed.
public struct KabupatenGenerator {
    public let options: GeneratorOptions
    let model = HouseholdModel()

    public init(options: GeneratorOptions) { self.options = options }

    public struct Summary: Sendable {
        public var households = 0
        public var persons = 0
        public var villages = 0
        public var kecamatan = 0
        public var surveyHouseholds = 0
        public var poorPersons = 0
        public var povertyLine = Int(PovertyLine.standard)
    }

    public func write(to directory: String, progress: ((Int, Int) -> Void)? = nil) throws -> Summary {
        guard options.households >= 1 else { throw GeneratorError("--households must be at least 1") }
        var rng = SeededRandom(seed: options.seed, stream: 0)
        var villages = try selectVillages(rng: &rng)
        guard options.households >= villages.count else {
            throw GeneratorError("--households \(options.households) is fewer than the \(villages.count) villages; give at least one household per village")
        }
        let kecamatan = drawEffects(&villages, rng: &rng)
        let design = try SurveySample(households: villages.map(\.households), villages: options.surveyVillages,
                                      perVillage: options.surveyPerVillage, rng: &rng)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        var (summary, villagePersons) = try writeHouseholds(villages, kecamatan: kecamatan, design: design, directory: directory, progress: progress)
        summary.kecamatan = kecamatan.codes.count
        try writeVillages(villages, persons: villagePersons, kecamatanEffect: kecamatan.effect, to: path("villages.csv"), rng: &rng)
        try writeOPDs(kecamatan: kecamatan.codes, coastal: kecamatan.coastal, villageCount: villages.count, to: path("opds.csv"))
        try writeFunders(kecamatan: kecamatan.codes, villageCount: villages.count, to: path("funders.csv"), rng: &rng)
        try writePrograms(to: path("programs.csv"))
        return summary
    }

    /// The region's villages: real ones from --villages-file (a seeded subset
    /// with --villages), or synthetic ones.
    private func selectVillages(rng: inout SeededRandom) throws -> [Village] {
        // "ID": all of Indonesia (every village of --villages-file), for national-scale tests.
        let national = options.region.uppercased() == "ID"
        let parsedRegion = national ? nil : RegionCode(options.region)
        guard national || (parsedRegion.map { $0.level <= .kabupaten } ?? false) else {
            throw GeneratorError("--region \(options.region) is not a province or kabupaten/kota code like 35.14 (or ID for all of Indonesia)")
        }
        if national && options.villagesFile == nil {
            throw GeneratorError("--region ID needs --villages-file: a synthetic region is one kabupaten")
        }
        guard let path = options.villagesFile else {
            guard let region = parsedRegion, region.level == .kabupaten else {
                throw GeneratorError("a synthetic region needs a kabupaten code like 35.99; for a whole province pass --villages-file")
            }
            let count = options.villages ?? 40
            guard count >= 1, count <= 9_999 else { throw GeneratorError("--villages must be between 1 and 9,999") }
            return Geography.syntheticVillages(region: region, count: count, rng: &rng)
        }
        let villages = try Geography.realVillages(region: parsedRegion, path: path)
        guard let wanted = options.villages else { return villages }
        guard wanted >= 1, wanted <= villages.count else {
            throw GeneratorError("--villages \(wanted): region \(options.region) has \(villages.count) villages in \(path)")
        }
        // A seeded subset, kept in code order.
        var order = Array(villages.indices)
        order.shuffle(using: &rng)
        return order.prefix(wanted).sorted().map { villages[$0] }
    }

    /// Kecamatan of the region with their effects and which are coastal.
    struct Kecamatan {
        var codes: [Int64]
        var effect: [Int64: Double] = [:]
        var coastal = Set<Int64>()
    }

    /// Kecamatan and village effects (one the indicators show, one they hide),
    /// coastal villages and household counts.
    private func drawEffects(_ villages: inout [Village], rng: inout SeededRandom) -> Kecamatan {
        var kecamatan = Kecamatan(codes: Array(Set(villages.map { $0.code.kecamatan.value })).sorted())
        for (k, code) in kecamatan.codes.enumerated() {
            kecamatan.effect[code] = 0.12 * rng.normal()
            if k % 4 == 1 { kecamatan.coastal.insert(code) }
        }
        var sizeWeights: [Double] = []
        for i in villages.indices {
            villages[i].visibleEffect = 0.15 * rng.normal()
            villages[i].hiddenEffect = 0.18 * rng.normal()
            villages[i].coastal = kecamatan.coastal.contains(villages[i].code.kecamatan.value) && rng.bernoulli(0.5)
            sizeWeights.append(exp(0.5 * rng.normal()) * (villages[i].code.isKelurahan ? 1.5 : 1))
        }
        let counts = Self.apportion(options.households, weights: sizeWeights)
        for i in villages.indices { villages[i].households = counts[i] }
        return kecamatan
    }

    /// households.csv, survey.csv and truth.csv, village by village, each
    /// village from its own random stream.
    private func writeHouseholds(
        _ villages: [Village], kecamatan: Kecamatan, design: SurveySample, directory: String, progress: ((Int, Int) -> Void)?
    ) throws -> (Summary, villagePersons: [Int]) {
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        let indicatorHeader = Schemas.households.columns.map(\.name).filter { $0 != "verifikasi" }
        let households = try CSVWriter(path: path("households.csv"), header: indicatorHeader)
        let survey = try CSVWriter(path: path("survey.csv"), header: indicatorHeader.filter { $0 != "head_nik" && $0 != "desil" } + ["consumption_pc", "weight"])
        let truth = try CSVWriter(path: path("truth.csv"), header: ["household_id", "kode_desa", "consumption_pc"])
        var summary = Summary()
        summary.villages = villages.count
        var villagePersons = [Int](repeating: 0, count: villages.count)
        for (v, village) in villages.enumerated() {
            var vrng = SeededRandom(seed: options.seed, stream: UInt64(v + 1))
            var sampled = Set<Int>()
            if design.weight[v] > 0 {
                var picks = Array(0..<village.households)
                picks.shuffle(using: &vrng)
                sampled = Set(picks.prefix(design.perVillage))
            }
            let digits = String(village.code.value)
            for k in 0..<village.households {
                let h = model.draw(village: village, urban: village.code.isKelurahan, kecamatanEffect: kecamatan.effect[village.code.kecamatan.value]!, rng: &vrng)
                let id = "RT-\(digits)-\(String(k + 1).leftPaddedZeros(5))"
                let nik = Self.syntheticNIK(village: village.code, household: h, serial: k, rng: &vrng)
                try Self.writeIndicators(h, id: id, village: village.code, nik: nik, to: households)
                households.integer(h.officialDesil)
                try households.endRow()
                truth.text(id); truth.text(village.code.description); truth.integer(h.consumption)
                try truth.endRow()
                if sampled.contains(k) {
                    summary.surveyHouseholds += 1
                    let surveyID = "SUS-\(String(summary.surveyHouseholds).leftPaddedZeros(6))"
                    try Self.writeIndicators(h, id: surveyID, village: village.code, nik: nil, to: survey)
                    survey.integer(h.consumption)
                    survey.number(design.weight[v], decimals: 4)
                    try survey.endRow()
                }
                summary.households += 1
                summary.persons += h.members
                villagePersons[v] += h.members
                if h.consumption < summary.povertyLine { summary.poorPersons += h.members }
            }
            progress?(summary.households, options.households)
        }
        try households.close()
        try survey.close()
        try truth.close()
        return (summary, villagePersons)
    }

    /// Splits `total` in proportion to `weights` by largest remainder, at least 1 each.
    static func apportion(_ total: Int, weights: [Double]) -> [Int] {
        let n = weights.count
        let spare = total - n
        let sum = weights.reduce(0, +)
        let exact = weights.map { Double(spare) * $0 / sum }
        var counts = exact.map { Int($0) }
        var left = spare - counts.reduce(0, +)
        let order = exact.indices.sorted { (exact[$0] - Double(counts[$0]), $1) > (exact[$1] - Double(counts[$1]), $0) }
        for i in order where left > 0 { counts[i] += 1; left -= 1 }
        return counts.map { $0 + 1 }
    }

    /// A NIK-shaped number: kecamatan of registration, birth date (day + 40 for
    /// women), serial. Synthetic: it exists so tests can prove NIKs never leak.
    static func syntheticNIK(village: RegionCode, household h: Household, serial: Int, rng: inout SeededRandom) -> String {
        let day = rng.integer(in: 1...28) + (h.headFemale == 1 ? 40 : 0)
        let month = rng.integer(in: 1...12)
        let year = (2026 - h.headAge) % 100
        let kecamatan = String(village.kecamatan.value).leftPaddedZeros(6)
        return kecamatan + String(day).leftPaddedZeros(2) + String(month).leftPaddedZeros(2) + String(year).leftPaddedZeros(2) + String(serial % 10_000).leftPaddedZeros(4)
    }

    static func writeIndicators(_ h: Household, id: String, village: RegionCode, nik: String?, to w: CSVWriter) throws {
        w.text(id)
        w.text(village.description)
        if let nik { w.text(nik) }
        w.integer(h.members); w.integer(h.headFemale); w.integer(h.headAge); w.integer(h.headEducation)
        w.integer(h.headWorks); w.text(h.sector)
        w.integer(h.children06); w.integer(h.children718); w.integer(h.elderly)
        w.integer(h.disabled); w.integer(h.chronicIll); w.integer(h.outOfSchool)
        w.text(h.tenure); w.integer(h.floorArea)
        w.text(h.floor); w.text(h.wall); w.text(h.roof); w.text(h.water); w.text(h.lighting)
        w.integer(h.electricityVA); w.text(h.cooking); w.text(h.toilet); w.integer(h.septic)
        for a in h.assets { w.integer(a) }
        w.integer(h.ownsLand); w.integer(h.ownsOtherHouse); w.integer(h.cattle); w.integer(h.smallLivestock)
        w.integer(h.pkh); w.integer(h.bpnt); w.integer(h.pbi)
    }

    func writeVillages(_ villages: [Village], persons: [Int], kecamatanEffect: [Int64: Double], to path: String, rng: inout SeededRandom) throws {
        let w = try CSVWriter(path: path, header: ["kode_desa", "nama_desa", "nama_kecamatan", "nama_kabkota", "population", "coastal", "lat", "lon", "idm_status"])
        for (v, village) in villages.enumerated() {
            w.text(village.code.description); w.text(village.name); w.text(village.kecamatanName); w.text(village.kabupatenName)
            w.integer(persons[v]); w.integer(village.coastal ? 1 : 0)
            if village.lat.isFinite && village.lon.isFinite { w.fixed(village.lat, decimals: 6); w.fixed(village.lon, decimals: 6) } else { w.empty(); w.empty() }
            if village.code.isKelurahan {
                w.empty()  // IDM rates desa only, not kelurahan
            } else {
                // IDM follows the village's visible development with noise.
                let index = kecamatanEffect[village.code.kecamatan.value]! + village.visibleEffect + 0.08 * rng.normal()
                let cuts: [(Double, String)] = [(-0.22, "sangat_tertinggal"), (-0.09, "tertinggal"), (0.08, "berkembang"), (0.2, "maju")]
                w.text(cuts.first { index < $0.0 }?.1 ?? "mandiri")
            }
            try w.endRow()
        }
        try w.close()
    }

    func writeOPDs(kecamatan: [Int64], coastal: Set<Int64>, villageCount: Int, to path: String) throws {
        let count = min(Names.opds.count, options.opds ?? min(40, max(3, villageCount / 10)))
        let w = try CSVWriter(path: path, header: ["opd_id", "name", "pillars", "capacity", "kecamatan"])
        for (id, name, pillars) in Names.opds.prefix(count) {
            w.text(id); w.text(name); w.text(pillars.joined(separator: "|"))
            w.integer(id == "DINSOS" || id == "DINKES" || id == "DPMD" ? 2 : 1)
            if id == "DISKAN" && !coastal.isEmpty {
                w.text(coastal.sorted().map { RegionCode(value: $0, level: .kecamatan)!.description }.joined(separator: "|"))
            } else {
                w.empty()
            }
            try w.endRow()
        }
        try w.close()
    }

    func writeFunders(kecamatan: [Int64], villageCount: Int, to path: String, rng: inout SeededRandom) throws {
        let scale = Double(villageCount) / 400
        let w = try CSVWriter(path: path, header: ["funder_id", "name", "kind", "budget_rp", "pillars", "kecamatan", "max_share_per_village"])
        func row(_ id: String, _ name: String, _ kind: String, _ budget: Double, _ pillars: [String], _ area: [Int64], _ share: Double?) throws {
            w.text(id); w.text(name); w.text(kind)
            w.integer(Int64((budget * scale / 1_000_000).rounded()) * 1_000_000)
            w.text(pillars.joined(separator: "|"))
            w.text(area.map { RegionCode(value: $0, level: .kecamatan)!.description }.joined(separator: "|"))
            if let share { w.number(share, decimals: 2) } else { w.empty() }
            try w.endRow()
        }
        var written = 0
        let wanted = max(1, options.funders)
        try row("APBD", "APBD Kabupaten (Bappeda)", "apbd", 5_000_000_000, Schemas.pillars, [], nil); written += 1
        if written < wanted { try row("BAZNAS", "Baznas Kabupaten", "zakat", 1_200_000_000, ["social", "economy", "health", "education"], [], 0.05); written += 1 }
        if written < wanted { try row("LAZISMU", "Lazismu Daerah", "zakat", 600_000_000, ["education", "health", "economy", "social", "environment"], [], 0.05); written += 1 }
        for (id, name, pillars) in Names.companies where written < wanted {
            // A company's ring-1 area: two to four neighbouring kecamatan; the bank has none.
            var area: [Int64] = []
            if id != "CSR_BANK" && kecamatan.count > 1 {
                let first = rng.integer(in: 0...(kecamatan.count - 1))
                let span = min(kecamatan.count, rng.integer(in: 2...4))
                area = (0..<span).map { kecamatan[(first + $0) % kecamatan.count] }.sorted()
            }
            let budget = Double(rng.integer(in: 4...16)) * 100_000_000
            try row(id, name, "csr", budget, pillars, area, 0.2)
            written += 1
        }
        try w.close()
    }

    func writePrograms(to path: String) throws {
        let w = try CSVWriter(path: path, header: ["program_id", "pillar", "unit_cost_rp", "deprivation", "uplift_pc"])
        for p in Names.programs {
            w.text(p.id); w.text(p.pillar); w.integer(p.cost); w.text(p.deprivation); w.integer(p.uplift)
            try w.endRow()
        }
        try w.close()
    }
}

public struct GeneratorError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

extension String {
    func leftPaddedZeros(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
