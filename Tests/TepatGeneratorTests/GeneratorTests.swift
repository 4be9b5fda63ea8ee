import Foundation
import XCTest
@testable import TepatData
@testable import TepatGenerator

final class GeneratorTests: XCTestCase {
    static let files = ["households.csv", "survey.csv", "truth.csv", "villages.csv", "opds.csv", "funders.csv", "programs.csv"]

    func generate(seed: UInt64, households: Int = 4_000, villages: Int? = 30, region: String = "35.99", villagesFile: String? = nil) throws -> String {
        let dir = NSTemporaryDirectory() + "tepat-gen-\(UUID().uuidString)"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        var options = GeneratorOptions()
        options.households = households
        options.villages = villages
        options.seed = seed
        options.region = region
        options.villagesFile = villagesFile
        _ = try KabupatenGenerator(options: options).write(to: dir)
        return dir
    }

    func testSameSeedGivesIdenticalBytesAndAnotherSeedDoesNot() throws {
        let a = try generate(seed: 7), b = try generate(seed: 7), c = try generate(seed: 8)
        for file in Self.files {
            let bytesA = try Data(contentsOf: URL(fileURLWithPath: a + "/" + file))
            XCTAssertEqual(bytesA, try Data(contentsOf: URL(fileURLWithPath: b + "/" + file)), file)
            XCTAssertFalse(bytesA.isEmpty, file)
        }
        XCTAssertNotEqual(try Data(contentsOf: URL(fileURLWithPath: a + "/households.csv")),
                          try Data(contentsOf: URL(fileURLWithPath: c + "/households.csv")))
        XCTAssertFalse(FileManager.default.fileExists(atPath: a + "/households.csv.partial"))
    }

    func testGeneratedDirectoryIsValidAndCoherent() throws {
        let dir = try generate(seed: 3)
        let data = try DataDirectory.load(dir)
        XCTAssertTrue(data.problems.isEmpty)
        XCTAssertEqual(data.households.rowCount, 4_000)
        XCTAssertEqual(data.villages?.rowCount, 30)
        XCTAssertEqual(data.truth?.rowCount, 4_000)
        // Survey expansion weights add up to the number of households (SRS of
        // villages then of households: unbiased, so within sampling error).
        let survey = try XCTUnwrap(data.survey)
        let totalWeight = survey.numbers("weight").reduce(0, +)
        XCTAssertEqual(totalWeight / 4_000, 1, accuracy: 0.35)
        // Every village of a household is listed; kelurahan have no IDM status.
        let villages = try XCTUnwrap(data.villages)
        for (code, status) in zip(villages.regionCodes("kode_desa"), villages.integers("idm_status")) {
            XCTAssertEqual(status == Table.missingInteger, code.isKelurahan, "\(code)")
        }
    }

    /// Indicators follow welfare the way DTKS data does: the poorest fifth by true
    /// consumption has far more earth floors, firewood, out-of-school children and
    /// members, and far fewer assets, than the richest fifth.
    func testIndicatorsFollowWelfare() throws {
        let dir = try generate(seed: 11, households: 20_000, villages: 60)
        let data = try DataDirectory.load(dir)
        let h = data.households
        let consumption = try XCTUnwrap(data.truth).numbers("consumption_pc")
        let order = consumption.indices.sorted { consumption[$0] < consumption[$1] }
        let poorest = Array(order.prefix(4_000)), richest = Array(order.suffix(4_000))
        func share(_ rows: [Int], _ test: (Int) -> Bool) -> Double { Double(rows.filter(test).count) / Double(rows.count) }
        let floors = h.categoryNames("floor_material"), fuel = h.categoryNames("cooking_fuel")
        let members = h.integers("members"), outOfSchool = h.integers("children_out_of_school")
        let fridge = h.integers("has_refrigerator"), pkh = h.integers("receives_pkh")
        let poorFloor = { (r: Int) in ["earth", "bamboo", "wood_low"].contains(floors[r]) }
        XCTAssertGreaterThan(share(poorest, poorFloor), 3 * share(richest, poorFloor))
        XCTAssertGreaterThan(share(poorest) { fuel[$0] == "firewood" }, 3 * share(richest) { fuel[$0] == "firewood" })
        XCTAssertGreaterThan(share(poorest) { outOfSchool[$0] > 0 }, 2 * share(richest) { outOfSchool[$0] > 0 })
        XCTAssertGreaterThan(share(richest) { fridge[$0] == 1 }, 1.5 * share(poorest) { fridge[$0] == 1 })
        XCTAssertGreaterThan(share(poorest) { pkh[$0] == 1 }, 3 * share(richest) { pkh[$0] == 1 })
        let meanMembers = { (rows: [Int]) in Double(rows.reduce(0) { $0 + Int(members[$1]) }) / Double(rows.count) }
        XCTAssertGreaterThan(meanMembers(poorest), meanMembers(richest) + 1)
        // Headcount at Rp 550,000 (persons) lands in a realistic kabupaten range.
        var poor = 0, persons = 0
        for r in 0..<h.rowCount { persons += Int(members[r]); if consumption[r] < 550_000 { poor += Int(members[r]) } }
        XCTAssertEqual(Double(poor) / Double(persons), 0.12, accuracy: 0.06)
    }

    func testRealVillagesOfASeedRegion() throws {
        guard let shared = sharedDataDirectory() else { throw XCTSkip("../shared/data not found beside the repository; CI always has it") }
        let dir = try generate(seed: 1, households: 2_000, villages: nil, region: "62.09", villagesFile: shared + "/seed_regions_desa.csv")
        let villages = try TableReader(path: dir + "/villages.csv", schema: Schemas.villages).readAll()
        XCTAssertEqual(villages.rowCount, 88, "Kabupaten Lamandau: 85 desa and 3 kelurahan")
        XCTAssertEqual(villages.regionCodes("kode_desa").filter(\.isKelurahan).count, 3)
        XCTAssertEqual(villages.texts("nama_desa")[0], "Tapin Bini", "62.09.01.1012 comes first in code order")
        XCTAssertEqual(Set(villages.texts("nama_kabkota").values), ["Kabupaten Lamandau"])
        // Kota Pekalongan has no desa at all: kelurahan are first-class.
        let kota = try generate(seed: 1, households: 500, villages: nil, region: "33.75", villagesFile: shared + "/seed_regions_desa.csv")
        let kotaVillages = try TableReader(path: kota + "/villages.csv", schema: Schemas.villages).readAll()
        XCTAssertEqual(kotaVillages.rowCount, 27)
        XCTAssertTrue(kotaVillages.regionCodes("kode_desa").allSatisfy(\.isKelurahan))
        XCTAssertTrue(try DataDirectory.load(kota).problems.isEmpty)
    }

    /// --region ID: villages drawn from the whole list, across provinces (the
    /// national --stream benchmark uses all 83,762).
    func testNationalRegionSpansProvinces() throws {
        guard let shared = sharedDataDirectory() else { throw XCTSkip("../shared/data not found beside the repository; CI always has it") }
        let dir = try generate(seed: 1, households: 1_000, villages: 200, region: "ID", villagesFile: shared + "/wilayah_desa.csv")
        let villages = try TableReader(path: dir + "/villages.csv", schema: Schemas.villages).readAll()
        XCTAssertEqual(villages.rowCount, 200)
        let provinces = Set(villages.regionCodes("kode_desa").map { $0.value / 100_000_000 })
        XCTAssertGreaterThan(provinces.count, 10, "200 villages of 83,762 come from many of the 38 provinces")
        XCTAssertTrue(try DataDirectory.load(dir).problems.isEmpty)
    }

    /// Synthetic geography for more villages than 99 kecamatan of 16 hold (a
    /// province-sized benchmark asked for 4,000 and the generator trapped).
    func testManySyntheticVillagesStayWithin99Kecamatan() throws {
        let dir = try generate(seed: 3, households: 6_000, villages: 2_000)
        let villages = try DataDirectory.load(dir).villages!
        let codes = villages.regionValues("kode_desa")
        XCTAssertEqual(codes.count, 2_000)
        XCTAssertEqual(Set(codes).count, 2_000)
        XCTAssertEqual(Set(codes.map { $0 / 10_000 }).count, 99)
    }

    func testBadOptionsAreClearErrors() {
        XCTAssertThrowsError(try generate(seed: 1, households: 10, villages: 30)) {
            XCTAssertEqual("\($0)", "--households 10 is fewer than the 30 villages; give at least one household per village")
        }
        XCTAssertThrowsError(try generate(seed: 1, region: "35.14.01.2001")) {
            XCTAssertEqual("\($0)", "--region 35.14.01.2001 is not a province or kabupaten/kota code like 35.14 (or ID for all of Indonesia)")
        }
        XCTAssertThrowsError(try generate(seed: 1, region: "ID")) {
            XCTAssertEqual("\($0)", "--region ID needs --villages-file: a synthetic region is one kabupaten")
        }
    }

    func testApportionSumsExactly() {
        let counts = KabupatenGenerator.apportion(1_000, weights: [1, 2, 3, 0.5, 10])
        XCTAssertEqual(counts.reduce(0, +), 1_000)
        XCTAssertTrue(counts.allSatisfy { $0 >= 1 })
        XCTAssertEqual(counts[4], 1 + Int((995.0 * 10 / 16.5).rounded()), accuracy: 1)
    }

    /// Acklam + one Halley step against known quantiles.
    func testInverseNormal() {
        XCTAssertEqual(inverseNormalCDF(0.5), 0, accuracy: 1e-15)
        XCTAssertEqual(inverseNormalCDF(0.975), 1.959963984540054, accuracy: 1e-12)
        XCTAssertEqual(inverseNormalCDF(0.001), -3.090232306167813, accuracy: 1e-12)
    }
}

func sharedDataDirectory() -> String? {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    let candidate = url.deletingLastPathComponent().appendingPathComponent("shared/data").path
    return FileManager.default.fileExists(atPath: candidate + "/wilayah_desa.csv") ? candidate : nil
}

final class DemoDataTests: XCTestCase {
    /// Data/demo is exactly what its documented command writes.
    func testDemoDataRegeneratesByteForByte() throws {
        guard let shared = sharedDataDirectory() else { throw XCTSkip("../shared/data not found beside the repository; CI always has it") }
        var repository = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { repository.deleteLastPathComponent() }
        let demo = repository.appendingPathComponent("Data/demo").path
        let dir = NSTemporaryDirectory() + "tepat-demo-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var options = GeneratorOptions()
        options.region = "35.14"
        options.villagesFile = shared + "/seed_regions_desa.csv"
        options.households = 6000
        options.seed = 2026
        _ = try KabupatenGenerator(options: options).write(to: dir)
        for file in GeneratorTests.files {
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/" + file)),
                           try Data(contentsOf: URL(fileURLWithPath: demo + "/" + file)), "Data/demo/\(file) differs from a fresh generation")
        }
    }
}

/// The survey design against its definition: probabilities proportional to
/// size that add up to the sample, certainty for a village too large for its
/// share, exactly n villages drawn, each as often as its probability says.
final class SurveySampleTests: XCTestCase {
    func testInclusionProbabilitiesAreProportionalToSizeWithCertainties() {
        // 1,000 households; a sample of 4 gives the 500-household village π = 2,
        // so it is certain and the other three draws share the other 500.
        let p = SurveySample.inclusionProbabilities(sizes: [500, 100, 100, 100, 100, 100], sample: 4)
        XCTAssertEqual(p[0], 1)
        for k in 1...5 { XCTAssertEqual(p[k], 3.0 * 100 / 500, accuracy: 1e-15) }
        XCTAssertEqual(p.reduce(0, +), 4, accuracy: 1e-12)
    }

    func testSystematicDrawsHaveTheirProbabilities() throws {
        let sizes = (0..<40).map { 20 + ($0 * 37) % 200 }
        let n = 8
        let p = SurveySample.inclusionProbabilities(sizes: sizes.map(Double.init), sample: n)
        var drawn = [Int](repeating: 0, count: sizes.count)
        let trials = 20_000
        for seed in 0..<trials {
            var rng = SeededRandom(seed: UInt64(seed), stream: 5)
            let design = try SurveySample(households: sizes, villages: n, perVillage: 10, rng: &rng)
            let sampled = design.weight.indices.filter { design.weight[$0] > 0 }
            XCTAssertEqual(sampled.count, n)
            for v in sampled { drawn[v] += 1 }
            // Weights are N_v / (π_v · 10): with π ∝ N, each is Σ N / (n · 10).
            for v in sampled { XCTAssertEqual(design.weight[v], Double(sizes.reduce(0, +)) / Double(n * 10), accuracy: 1e-9) }
        }
        // Each village's share of draws within 4 binomial standard errors of π.
        for v in sizes.indices {
            let se = (p[v] * (1 - p[v]) / Double(trials)).squareRoot()
            XCTAssertEqual(Double(drawn[v]) / Double(trials), p[v], accuracy: 4 * se + 1e-9, "village \(v)")
        }
    }

    func testSmallVillagesAreSurveyedWhole() throws {
        var rng = SeededRandom(seed: 1)
        let design = try SurveySample(households: [3, 3, 3, 3], villages: 4, perVillage: 10, rng: &rng)
        // Every village drawn (π = 1) with all 3 households: weight 1.
        XCTAssertEqual(design.weight, [1, 1, 1, 1])
    }
}
