import Foundation
import TepatAllocation
import TepatData
import TepatScenario
import TepatScoring
import XCTest

final class ScenarioTests: XCTestCase {
    /// A folder with a scenario's neighbour files (paths are relative to it).
    lazy var folder: String = {
        let dir = NSTemporaryDirectory() + "tepat-scenario-\(getpid())-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: dir + "/other", withIntermediateDirectories: true)
        precondition(FileManager.default.createFile(atPath: dir + "/other/survey_2025.csv", contents: Data("x\n".utf8)))
        precondition(FileManager.default.createFile(atPath: dir + "/codes.yaml", contents: Data("x: 1\n".utf8)))
        return dir
    }()

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: folder)
        super.tearDown()
    }

    func parse(_ text: String) throws -> Scenario {
        try ScenarioParser.parse(text, file: "scenario.yaml", baseDirectory: folder)
    }

    func assertError(_ text: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try parse(text), file: file, line: line) { error in
            XCTAssertEqual((error as? ScenarioError)?.description, expected, file: file, line: line)
        }
    }

    func testEmptyFileAndTemplateGiveEveryDefault() throws {
        XCTAssertEqual(try parse(""), Scenario())
        XCTAssertEqual(try parse("# only a comment\n"), Scenario())
        let template = ScenarioWriter.yaml(Scenario(), commented: true)
        XCTAssertEqual(try parse(template), Scenario())
        // The documented defaults, spelled out.
        let d = Scenario()
        XCTAssertEqual(d.seed, 1)
        XCTAssertEqual(d.scoring.povertyLine, 550_000)
        XCTAssertEqual(d.scoring.bootstrap, 200)
        XCTAssertEqual(d.scoring.method, .automatic)
        XCTAssertEqual(d.ranking.rankBy, .score)
        XCTAssertEqual(d.ranking.weights, CompositeWeights())
        XCTAssertEqual(d.assignment.opdsPerVillage, 1)
        XCTAssertNil(d.allocation.funders)
        XCTAssertTrue(d.outputs.householdsScored)
        XCTAssertEqual(d.outputs.language, .indonesian)
        // Every key of the schema appears in the template.
        for key in ScenarioKeys.top + ScenarioKeys.data + ScenarioKeys.scoring + ScenarioKeys.ranking + ScenarioKeys.weights
            + ScenarioKeys.assignment + ScenarioKeys.allocation + ScenarioKeys.outputs {
            XCTAssertTrue(template.contains(key + ":"), key)
        }
    }

    /// Every key set away from its default, read from hand-written YAML, then
    /// written and read back to the same value.
    func testEveryKeyOverridden() throws {
        let s = try parse("""
            seed: 42
            data:
              files:
                survey: other/survey_2025.csv
              codebook: codes.yaml
              on_error: skip
            scoring:
              method: pmt
              poverty_line: 612_500
              bootstrap: 50
              ridge: true
              strata: urban_rural
              kecamatan_effects: yes
              strict_categories: true
              mpi_cutoff: 0.25
              benchmark_p0: 9.46%
              mpi_weights:
                assets: 0
                disability: 0.2
            ranking:
              rank_by: p0
              weights: {p0: 1, p2: 0.5, poor_persons: 0, mpi_m0: 0.25, share_desil_1_4: 0.1}
            assignment:
              enabled: false
              opds: [DINSOS, "DINKES"]
              opds_per_village: 2
            allocation:
              enabled: false
              objective: p0
              funders: [APBD, LAZISMU]
              floors:
                sangat_tertinggal: 50000000
                tertinggal: 20_000_000
              village_cap: 400000000
              funder_areas:
                LAZISMU: ["35.14.05", 35.14.06]
              funder_budgets:
                BAZNAS: 2000000000
            outputs:
              households_scored: false
              csv_dialect: excel-id
              lang: en
              export_mps: out/plan.mps
            """)
        var e = Scenario()
        e.seed = 42
        e.data.paths = ["survey.csv": folder + "/other/survey_2025.csv"]
        e.data.codebook = folder + "/codes.yaml"
        e.data.onError = .skip
        e.scoring.method = .pmt
        e.scoring.povertyLine = 612_500
        e.scoring.bootstrap = 50
        e.scoring.ridge = true
        e.scoring.strata = .urbanRural
        e.scoring.kecamatanEffects = true
        e.scoring.strictCategories = true
        e.scoring.mpiCutoff = 0.25
        e.scoring.benchmarkP0 = 0.0946
        e.scoring.mpiWeights = ["assets": 0, "disability": 0.2]
        e.ranking.rankBy = .p0
        e.ranking.weights.p0 = 1; e.ranking.weights.p2 = 0.5; e.ranking.weights.poorPersons = 0
        e.ranking.weights.mpiM0 = 0.25; e.ranking.weights.shareDesil1to4 = 0.1
        e.assignment.enabled = false
        e.assignment.opds = ["DINSOS", "DINKES"]
        e.assignment.opdsPerVillage = 2
        e.allocation.enabled = false
        e.allocation.objective = .headcount
        e.allocation.funders = ["APBD", "LAZISMU"]
        e.allocation.floors = ["sangat_tertinggal": 50_000_000, "tertinggal": 20_000_000]
        e.allocation.villageCap = 400_000_000
        e.allocation.funderAreas = ["LAZISMU": ["35.14.05", "35.14.06"]]
        e.allocation.funderBudgets = ["BAZNAS": 2_000_000_000]
        e.outputs.householdsScored = false
        e.outputs.csvDialect = .excelID
        e.outputs.language = .english
        e.outputs.exportMPS = folder + "/out/plan.mps"
        XCTAssertEqual(s, e)
        XCTAssertEqual(try parse(ScenarioWriter.yaml(s, commented: false)), s)
        XCTAssertEqual(try parse(ScenarioWriter.yaml(s, commented: true)), s)

    }

    func testUnknownKeysNameTheKeyAndTheNearestOne() {
        assertError("scoring:\n  povrty_line: 600000\n",
                    "scenario.yaml:2:3: scoring.povrty_line: unknown key; did you mean 'poverty_line'?")
        assertError("seed: 3\nalocation:\n  enabled: false\n",
                    "scenario.yaml:2:1: alocation: unknown key; did you mean 'allocation'?")
        assertError("ranking:\n  weights:\n    p1: 0.5\n",
                    "scenario.yaml:3:5: ranking.weights.p1: unknown key; did you mean 'p0'?")
        assertError("colour: red\n",
                    "scenario.yaml:1:1: colour: unknown key; expected one of seed, data, scoring, ranking, assignment, allocation, verification, outputs")
        assertError("allocation:\n  floors:\n    sangat_tertingal: 1\n",
                    "scenario.yaml:3:5: allocation.floors.sangat_tertingal: not an IDM status; did you mean 'sangat_tertinggal'?")
        assertError("scoring:\n  mpi_weights:\n    asets: 0\n",
                    "scenario.yaml:3:5: scoring.mpi_weights.asets: unknown MPI indicator; did you mean 'assets'?")
    }

    /// A key written in the wrong section points to the section it belongs in.
    func testKeysOfAnotherSectionPointThere() {
        assertError("poverty_line: 600000\n",
                    "scenario.yaml:1:1: poverty_line: unknown key here; did you mean 'scoring.poverty_line'? (poverty_line belongs in the scoring section)")
        assertError("scoring:\n  floors:\n    tertinggal: 1\n",
                    "scenario.yaml:2:3: scoring.floors: unknown key here; did you mean 'allocation.floors'? (floors belongs in the allocation section)")
        assertError("allocation:\n  seed: 3\n",
                    "scenario.yaml:2:3: allocation.seed: unknown key here; did you mean 'seed'? (seed belongs at the top level)")
        assertError("outputs:\n  povrty_line: 1\n",
                    "scenario.yaml:2:3: outputs.povrty_line: unknown key here; did you mean 'scoring.poverty_line'? (poverty_line belongs in the scoring section)")
    }

    func testWrongTypesNameTheKeyAndLine() {
        assertError("scoring:\n  bootstrap: many\n", "scenario.yaml:2:14: scoring.bootstrap: expected a whole number, found 'many'")
        assertError("scoring:\n  poverty_line: 550.000,5\n", "scenario.yaml:2:17: scoring.poverty_line: expected a number (with . as the decimal mark), found '550.000,5'")
        assertError("scoring:\n  poverty_line: -5\n", "scenario.yaml:2:17: scoring.poverty_line: expected a number above 0, found -5")
        assertError("scoring:\n  ridge: maybe\n", "scenario.yaml:2:10: scoring.ridge: expected true or false, found 'maybe'")
        assertError("scoring:\n  method: pnt\n", "scenario.yaml:2:11: scoring.method: 'pnt' is not a choice; did you mean 'pmt'?")
        assertError("scoring: 5\n", "scenario.yaml:1:10: scoring: expected a section of keys, found '5'")
        assertError("allocation:\n  funders: APBD\n", "scenario.yaml:2:12: allocation.funders: expected a list like [A, B] or all, found 'APBD'")
        assertError("allocation:\n  floors:\n    tertinggal: 1.5e7\n", "scenario.yaml:3:17: allocation.floors.tertinggal: expected whole rupiah without separators (e.g. 50000000 or 50_000_000), found '1.5e7'")
        assertError("allocation:\n  funder_areas:\n    LAZISMU: [35.14]\n", "scenario.yaml:3:14: allocation.funder_areas.LAZISMU: '35.14' is not a kecamatan code (expected like 35.14.05)")
        assertError("assignment:\n  opds_per_village: 0\n", "scenario.yaml:2:21: assignment.opds_per_village: expected a whole number from 1 to 100, found 0")
        assertError("scoring:\n  bootstrap: [1, 2]\n", "scenario.yaml:2:14: scoring.bootstrap: expected a whole number, found a list")
        assertError("scoring:\n  mpi_cutoff: 2\n", "scenario.yaml:2:15: scoring.mpi_cutoff: expected a share in (0, 1], found 2.0")
        assertError("scoring:\n  benchmark_p0: 9.46\n", "scenario.yaml:2:17: scoring.benchmark_p0: expected the official P0 as a share between 0 and 1 (0.0946) or a percentage (9.46%), found '9.46'")
    }

    func testMissingFilesAreNamed() {
        assertError("data:\n  files:\n    survey: nowhere/survey.csv\n",
                    "scenario.yaml:3:13: data.files.survey: file not found: \(folder)/nowhere/survey.csv")
        assertError("data:\n  codebook: missing.yaml\n",
                    "scenario.yaml:2:13: data.codebook: file not found: \(folder)/missing.yaml (or write pbdt2015 for the shipped codebook)")
        XCTAssertThrowsError(try ScenarioParser.load(path: folder + "/absent.yaml")) { error in
            XCTAssertEqual((error as? ScenarioError)?.description, "\(folder)/absent.yaml: scenario file not found")
        }
    }

    func testBrokenYAMLAndDuplicateKeys() {
        assertError("scoring:\n  bootstrap: [1, 2\n", "scenario.yaml:3:1: not valid YAML: did not find expected ',' or ']'")
        assertError("seed: 1\nseed: 2\n", "scenario.yaml:1:1: not valid YAML: duplicate key 'seed'")
        assertError("seed: 1\u{0}\n", "scenario.yaml: contains a NUL byte; a scenario is plain UTF-8 text")
    }

    /// "Billion laughs": nine levels of ten aliases would expand to 10⁹ items.
    /// Aliases are shared, not copied, while composing, and the reader descends
    /// only into the schema's keys with a node budget, so the bomb is refused
    /// at once with the place it starts.
    func testAliasBombIsRefusedQuickly() {
        var levels = ["&a0 [" + Array(repeating: "x", count: 10).joined(separator: ", ") + "]"]
        for level in 1...9 {
            levels.append("&a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]")
        }
        let started = Date()
        assertError("allocation:\n  funders: [" + levels.joined(separator: ", ") + "]\n",
                    "scenario.yaml:2:13: allocation.funders: expected an id, found a list")
        assertError("bomb: [" + levels.joined(separator: ", ") + "]\n",
                    "scenario.yaml:1:1: bomb: unknown key; expected one of seed, data, scoring, ranking, assignment, allocation, verification, outputs")
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        // A mapping with more entries than the node budget stops at the budget.
        let wide = "allocation:\n  funder_budgets: {" + (0..<60_000).map { "F\($0): 1" }.joined(separator: ", ") + "}\n"
        // Nodes: 5 down to the mapping, 60,000 keys, then values: the budget
        // runs out at the 39,996th value, F39995's.
        let line2 = wide.split(separator: "\n")[1]
        let column = line2.distance(from: line2.startIndex, to: line2.range(of: " F39995: ")!.upperBound) + 1
        XCTAssertThrowsError(try parse(wide)) { error in
            XCTAssertEqual((error as? ScenarioError)?.description,
                           "scenario.yaml:2:\(column): more than 100000 values (nested aliases?); a scenario is a page of settings")
        }
        // As a key (here of a mapping inside a list), the bomb is refused before
        // it is composed: the YAML library hashes keys whole. The fuzzer found
        // this one; it took ten seconds to refuse.
        let keyBomb = (0...9).map { "k\($0): " + levels[$0] }.joined(separator: "\n") + "\nseed: [*a9: 1]\n"
        let keyStarted = Date()
        assertError(keyBomb, "scenario.yaml:11:8: a key made of aliases that stands for more than 1000 values; a scenario's keys are names")
        XCTAssertLessThan(Date().timeIntervalSince(keyStarted), 1)
        // An ordinary alias is fine.
        XCTAssertEqual(try parse("allocation:\n  floors: &b {tertinggal: 1}\n  funder_budgets: *b\n").allocation.funderBudgets, ["tertinggal": 1])
    }

    func testNearestName() {
        XCTAssertEqual(NearestName.suggestion(for: "povrty_line", among: ScenarioKeys.scoring), "poverty_line")
        XCTAssertEqual(NearestName.suggestion(for: "ridgeline", among: ScenarioKeys.scoring), nil)
        XCTAssertEqual(NearestName.suggestion(for: "bootsrtap", among: ScenarioKeys.scoring), "bootstrap")
        XCTAssertEqual(NearestName.suggestion(for: "zzz", among: ["seed"]), nil)
    }
}
