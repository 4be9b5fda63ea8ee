import Foundation
import TepatData
import TepatPipeline
import TepatScenario
import TepatStore

/// What the desk's JSON endpoints answer, apart from HTTP: each function takes
/// the request's values and returns a value to encode, or throws a DeskError.
struct DeskAPI: Sendable {
    /// The largest request body accepted (a scenario form is a few KiB).
    static let maximumBody = 256 * 1024

    let workspace: Workspace
    let queue: RunQueue
    let store: RunStore?

    struct Datasets: Codable { var workspace: String; var datasets: [Dataset] }
    struct Dataset: Codable { var path: String; var files: [String]; var scenarios: [String] }

    func datasets() -> Datasets {
        let list = workspace.dataDirectories().map { relative in
            let path = (try? workspace.resolve(relative)) ?? workspace.root
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
            return Dataset(path: relative, files: names.filter { $0.hasSuffix(".csv") || $0.hasSuffix(".xlsx") },
                           scenarios: names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") })
        }
        return Datasets(workspace: (workspace.root as NSString).lastPathComponent, datasets: list)
    }

    /// A data directory named by the browser, checked to be one.
    func dataDirectory(_ relative: String?) throws(DeskError) -> String {
        guard let relative, !relative.isEmpty else { throw DeskError(.badRequest, "name a data directory: ?dataset=PATH") }
        let path = try workspace.resolve(relative)
        guard DataDirectory.existingSource(of: Schemas.households.fileName, in: path) != nil else {
            throw DeskError(.notFound, "\(relative) is not a data directory (no households.csv or households.xlsx)")
        }
        return path
    }

    struct Validation: Codable {
        var dataset: String
        var valid: Bool
        var files: [FileCount]
        var problems: [ProblemRow]
        /// Problems found beyond those listed.
        var omitted: Int
    }
    struct FileCount: Codable { var file: String; var rows: Int; var rejected: Int; var problems: Int }
    struct ProblemRow: Codable { var file: String; var location: String; var line: Int?; var column: String?; var value: String?; var problem: String }

    /// `tepat validate` as a table.
    func validate(_ dataset: String?) throws(DeskError) -> Validation {
        let path = try dataDirectory(dataset)
        let result = DataDirectory.validate(path)
        let problems = result.problems.problems.map { p in
            ProblemRow(file: p.file, location: DeskRun.location(of: p), line: p.line > 0 ? p.line : nil, column: p.column, value: p.value,
                       problem: p.message)
        }
        var perFile: [String: Int] = [:]
        for p in result.problems.problems { perFile[p.file, default: 0] += 1 }
        let files = result.files.map { FileCount(file: $0.shownName, rows: $0.rows, rejected: $0.rejected, problems: perFile[$0.name] ?? perFile[$0.shownName] ?? 0) }
        return Validation(dataset: workspace.relative(path), valid: result.problems.isEmpty, files: files, problems: problems,
                          omitted: result.problems.omitted)
    }
}
