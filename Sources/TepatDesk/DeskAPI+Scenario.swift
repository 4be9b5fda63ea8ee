import Foundation
import TepatData
import TepatScenario

extension DeskAPI {
    struct ScenarioPage: Codable {
        var dataset: String
        var file: String
        var exists: Bool
        var fields: [ScenarioForm.Field]
        var choices: Choices
    }

    /// The pick lists of a data directory: its funders, OPDs and kecamatan, and the IDM statuses.
    struct Choices: Codable {
        var funders: [Choice]
        var opds: [Choice]
        var kecamatan: [Choice]
        var idmStatuses: [String]
    }
    struct Choice: Codable, Equatable { var id: String; var name: String }

    /// The scenario file `file` of a data directory (scenario.yaml unless
    /// named) as form fields: its values when it exists, else the defaults.
    func scenario(dataset: String?, file: String?) throws(DeskError) -> ScenarioPage {
        let data = try dataDirectory(dataset)
        let name = try scenarioName(file)
        let path = (data as NSString).appendingPathComponent(name)
        let exists = FileManager.default.fileExists(atPath: path)
        var scenario = Scenario()
        if exists {
            do { scenario = try ScenarioParser.load(path: path) } catch let error as ScenarioError {
                throw DeskError(.unprocessable, error.description, problems: [problem(error)])
            } catch { throw DeskError(.unprocessable, "\(name): \(error)") }
        }
        return ScenarioPage(dataset: workspace.relative(data), file: name, exists: exists, fields: ScenarioForm.fields(of: scenario),
                            choices: choices(data))
    }

    struct SavedScenario: Codable { var dataset: String; var file: String; var yaml: String }
    struct ScenarioValues: Codable { var values: [String: String] }

    /// The form's values, checked by the scenario parser, saved beside the data
    /// as the commented template with these values (written whole, then moved).
    func saveScenario(dataset: String?, file: String?, body: ScenarioValues) throws(DeskError) -> SavedScenario {
        let data = try dataDirectory(dataset)
        let name = try scenarioName(file)
        let text = try ScenarioForm.yaml(body.values)
        let scenario: Scenario
        do { scenario = try ScenarioParser.parse(text, file: name, baseDirectory: data) } catch let error as ScenarioError {
            throw DeskError(.unprocessable, error.key.isEmpty ? error.message : "\(error.key): \(error.message)", problems: [problem(error)])
        } catch { throw DeskError(.unprocessable, "\(error)") }
        try DeskRun.checkPaths(of: scenario, in: workspace)
        let yaml = ScenarioWriter.yaml(scenario, commented: true)
        do {
            try yaml.write(toFile: (data as NSString).appendingPathComponent(name), atomically: true, encoding: .utf8)
        } catch { throw DeskError(.conflict, "cannot write \(name) in \(workspace.relative(data)): \(error.localizedDescription)") }
        return SavedScenario(dataset: workspace.relative(data), file: name, yaml: yaml)
    }

    /// A scenario file's name: a plain name ending in .yaml, in the data directory itself.
    func scenarioName(_ file: String?) throws(DeskError) -> String {
        let name = file.flatMap { $0.isEmpty ? nil : $0 } ?? "scenario.yaml"
        let plain = name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
        guard plain, !name.hasPrefix("."), name.hasSuffix(".yaml") || name.hasSuffix(".yml"), name.count <= 80 else {
            throw DeskError(.badRequest, "'\(name)' is not a scenario file name: letters, digits, - and _, ending in .yaml")
        }
        return name
    }

    func problem(_ error: ScenarioError) -> DeskError.Problem {
        DeskError.Problem(location: error.file + (error.line.map { ":\($0)" } ?? ""), key: error.key.isEmpty ? nil : error.key, message: error.message)
    }

    func choices(_ data: String) -> Choices {
        let workbooks = WorkbookInputs()
        func rows(_ schema: FileSchema) -> (header: [String], rows: [[String]])? {
            guard let path = try? workbooks.readablePath(of: schema, in: data) else { return nil }
            return try? CSVReader.records(path: path)
        }
        func list(_ schema: FileSchema, id: String) -> [Choice] {
            guard let (header, table) = rows(schema), let i = header.firstIndex(of: id) else { return [] }
            let n = header.firstIndex(of: "name")
            return table.filter { $0.count > i }.map { row in Choice(id: row[i], name: n.map { row.count > $0 ? row[$0] : "" } ?? "") }
        }
        var kecamatan: [Choice] = []
        if let (header, table) = rows(Schemas.villages), let code = header.firstIndex(of: "kode_desa") {
            let name = header.firstIndex(of: "nama_kecamatan")
            var seen: Set<String> = []
            for row in table where row.count > code {
                guard let village = RegionCode(row[code]), village.level == .village else { continue }
                let district = village.kecamatan
                if seen.insert(district.description).inserted {
                    kecamatan.append(Choice(id: district.description, name: name.map { row.count > $0 ? row[$0] : "" } ?? ""))
                }
            }
        }
        return Choices(funders: list(Schemas.funders, id: "funder_id"), opds: list(Schemas.opds, id: "opd_id"),
                       kecamatan: kecamatan.sorted { $0.id < $1.id }, idmStatuses: Schemas.idmStatuses)
    }
}
