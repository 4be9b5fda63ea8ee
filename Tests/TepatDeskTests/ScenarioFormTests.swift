import Foundation
import TepatScenario
import XCTest
@testable import TepatDesk

/// The form's values become a scenario the parser reads back to the same
/// settings, and no value can change the file's shape.
final class ScenarioFormTests: XCTestCase {
    func testFieldsOfTheDefaultsGiveTheDefaultScenario() throws {
        let fields = ScenarioForm.fields(of: Scenario())
        XCTAssertTrue(fields.contains { $0.key == "scoring.poverty_line" && $0.value == $0.defaultValue && !$0.help.isEmpty })
        XCTAssertTrue(fields.contains { $0.key == "allocation.floors" && $0.kind == "map" })
        XCTAssertEqual(fields.first { $0.key == "allocation.funders" }?.kind, "list")
        let yaml = try ScenarioForm.yaml(Dictionary(uniqueKeysWithValues: fields.filter { $0.kind == "text" }.map { ($0.key, $0.value) }))
        XCTAssertEqual(try ScenarioParser.parse(yaml, file: "form", baseDirectory: "/", checkFiles: false), Scenario())
    }

    func testValuesReachTheirKeys() throws {
        let yaml = try ScenarioForm.yaml([
            "scoring.poverty_line": "600000", "allocation.floors.sangat_tertinggal": "50000000",
            "allocation.funder_areas.LAZISMU": "35.14.05, 35.14.06", "allocation.funders": "BAZNAS, LAZISMU", "scoring.bootstrap": " ",
        ])
        let s = try ScenarioParser.parse(yaml, file: "form", baseDirectory: "/", checkFiles: false)
        XCTAssertEqual(s.scoring.povertyLine, 600_000)
        XCTAssertEqual(s.allocation.floors, ["sangat_tertinggal": 50_000_000])
        XCTAssertEqual(s.allocation.funderAreas, ["LAZISMU": ["35.14.05", "35.14.06"]])
        XCTAssertEqual(s.allocation.funders, ["BAZNAS", "LAZISMU"])
        XCTAssertEqual(s.scoring.bootstrap, Scenario().scoring.bootstrap, "an empty value keeps the default")
        // The saved file is the template: its fields read back as the values given.
        let fields = ScenarioForm.fields(of: s)
        XCTAssertEqual(fields.first { $0.key == "allocation.funder_areas.LAZISMU" }?.value, "35.14.05, 35.14.06")
        XCTAssertEqual(fields.first { $0.key == "allocation.floors.sangat_tertinggal" }?.value, "50000000")
    }

    func testAValueCannotAddKeysOrSections() throws {
        let yaml = try ScenarioForm.yaml(["scoring.method": "pmt\"\nallocation:\n  enabled: false\n#"])
        XCTAssertThrowsError(try ScenarioParser.parse(yaml, file: "form", baseDirectory: "/", checkFiles: false)) {
            XCTAssertTrue("\($0)".contains("scoring.method"), "\($0)")
        }
        XCTAssertEqual(yaml.split(separator: "\n").count, 2, "one section line and one value line:\n\(yaml)")
    }

    func testMisplacedAndMistypedKeysAreNamedAsTheCLINamesThem() {
        XCTAssertThrowsError(try ScenarioParser.parse(try ScenarioForm.yaml(["poverty_line": "600000"]), file: "form", baseDirectory: "/", checkFiles: false)) {
            XCTAssertEqual(($0 as? ScenarioError)?.key, "poverty_line")
            XCTAssertTrue("\($0)".contains("did you mean 'scoring.poverty_line'"), "\($0)")
        }
        XCTAssertThrowsError(try ScenarioForm.yaml(["scoring.povery line": "1"])) {
            XCTAssertEqual(($0 as? DeskError)?.kind, .unprocessable)
        }
    }
}
