import Foundation
import TepatData
import TepatPipeline
import TepatStore

extension DeskAPI {
    struct RunRequest: Codable { var dataset: String; var scenario: String? }

    /// Queues a run of a data directory with one of its scenario files.
    func submit(_ request: RunRequest) throws(DeskError) -> RunQueue.Job {
        let data = try dataDirectory(request.dataset)
        let scenario = try request.scenario.map { name throws(DeskError) in
            workspace.relative(data) + "/" + (try scenarioName(name))
        }
        return try queue.submit(dataset: workspace.relative(data), scenario: scenario)
    }

    func job(_ id: String) throws(DeskError) -> RunQueue.Job {
        guard let job = queue.job(id) else { throw DeskError(.notFound, "no run \(id) since the desk started") }
        return job
    }

    struct Runs: Codable { var queue: [RunQueue.Job]; var history: [HistoryEntry] }
    struct HistoryEntry: Codable {
        var id: Int64
        var createdAt: String
        var directory: String
        var dataset: String
        var villages: Int
        var households: Int
        var p0: Double
        var objective: Double?
        var spentRp: Int64?
        var seconds: Double
    }

    /// This start's runs, and the store's history of runs whose directories
    /// are in the workspace and still there.
    func runs() throws(DeskError) -> Runs {
        var history: [HistoryEntry] = []
        do {
            for entry in try store?.list(limit: 200) ?? [] {
                let r = entry.record
                guard let directory = try? runDirectory(workspace.relative(r.directory)) else { continue }
                history.append(HistoryEntry(id: entry.id, createdAt: entry.createdAt, directory: workspace.relative(directory),
                                            dataset: workspace.relative(r.dataDirectory), villages: r.villages, households: r.households,
                                            p0: r.p0, objective: r.objective, spentRp: r.spent, seconds: r.seconds))
            }
        } catch { throw DeskError(.conflict, "cannot read the run store: \(error)") }
        return Runs(queue: queue.all(), history: history)
    }

    /// A run directory named by the browser: inside the workspace, written by tepat run.
    func runDirectory(_ relative: String?) throws(DeskError) -> String {
        guard let relative, !relative.isEmpty else { throw DeskError(.badRequest, "name a run directory: ?run=runs/NAME") }
        let path = try workspace.resolve(relative)
        guard FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent("rankings.csv")) else {
            throw DeskError(.notFound, "\(relative) is not a run directory (no rankings.csv)")
        }
        return path
    }

    struct RunFiles: Codable { var run: String; var files: [RunFile] }
    struct RunFile: Codable { var name: String; var bytes: Int }

    func files(run: String?) throws(DeskError) -> RunFiles {
        let path = try runDirectory(run)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        let files = names.map { name in
            RunFile(name: name, bytes: ((try? FileManager.default.attributesOfItem(atPath: (path as NSString).appendingPathComponent(name)))?[.size] as? Int) ?? 0)
        }
        return RunFiles(run: workspace.relative(path), files: files)
    }

    /// One file of a run directory: a plain name, no folder.
    func file(run: String?, name: String?) throws(DeskError) -> String {
        let directory = try runDirectory(run)
        guard let name, !name.isEmpty, !name.contains("/"), !name.hasPrefix("."), !name.contains("\0") else {
            throw DeskError(.badRequest, "name a file of the run: ?name=rankings.csv")
        }
        let path = try workspace.resolve(workspace.relative(directory) + "/" + name)
        guard FileManager.default.fileExists(atPath: path) else { throw DeskError(.notFound, "\(workspace.relative(directory)) has no \(name)") }
        return path
    }

    struct Table: Codable { var columns: [String]; var rows: [[String]] }

    /// A CSV of the run as columns and rows; `village` keeps that village's rows.
    func table(run: String?, name: String, village: String? = nil) throws(DeskError) -> Table {
        let path = try file(run: run, name: name)
        do {
            let (header, rows) = try CSVReader.records(path: path)
            guard let village, !village.isEmpty else { return Table(columns: header, rows: rows) }
            guard let code = header.firstIndex(of: "kode_desa") else { return Table(columns: header, rows: []) }
            return Table(columns: header, rows: rows.filter { $0.count > code && $0[code] == village })
        } catch { throw DeskError(.conflict, "cannot read \(name): \(error)") }
    }

    struct Comparison: Codable {
        var a: String
        var b: String
        var figures: [Figure]
        var scenarioChanges: [String]
        var funders: [Funder]
        var villages: [Village]
    }
    struct Figure: Codable { var name: String; var a: String; var b: String }
    struct Funder: Codable { var id: String; var budgetA: Int64?; var budgetB: Int64?; var allocatedA: Int64?; var allocatedB: Int64? }
    struct Village: Codable {
        var code: String; var name: String; var kecamatan: String
        var rankA: Int?; var rankB: Int?; var fundsA: Int64; var fundsB: Int64
    }

    /// `tepat compare A B`: the figures, the scenario settings that differ, each
    /// funder, and the 30 villages whose funds changed most.
    func compare(_ a: String?, _ b: String?) throws(DeskError) -> Comparison {
        let first = try runDirectory(a), second = try runDirectory(b)
        let c: RunComparison
        do { c = try RunComparison(first, second) } catch { throw DeskError(.conflict, "cannot compare the runs: \(error)") }
        return Comparison(
            a: workspace.relative(first), b: workspace.relative(second),
            figures: c.figures.map { Figure(name: $0.name, a: $0.a, b: $0.b) }, scenarioChanges: c.scenarioChanges,
            funders: c.funders.map { Funder(id: $0.id, budgetA: $0.budgetA, budgetB: $0.budgetB, allocatedA: $0.allocatedA, allocatedB: $0.allocatedB) },
            villages: c.mostChanged(by: { Double($0.fundsChange) }, count: 30).map {
                Village(code: $0.code, name: $0.name, kecamatan: $0.kecamatan, rankA: $0.rankA, rankB: $0.rankB, fundsA: $0.fundsA, fundsB: $0.fundsB)
            })
    }
}
