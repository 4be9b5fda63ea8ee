import Foundation
import TepatData
import TepatPipeline
import TepatScenario
import TepatStore

/// A run of the desk set up as `tepat run DATA_DIR --scenario FILE` sets it
/// up, into a new folder under the workspace's `runs/`.
enum DeskRun {
    static func configure(_ job: RunQueue.Job, workspace: Workspace, store: RunStore?) throws -> PlanRun {
        let data = try workspace.resolve(job.dataset)
        var run = PlanRun(dataDirectory: data, outputDirectory: try outputDirectory(for: job, in: workspace))
        run.options.threads = ProcessInfo.processInfo.activeProcessorCount
        let scenario = try job.scenario.map { try ScenarioParser.load(path: try workspace.resolve($0)) } ?? Scenario()
        try checkPaths(of: scenario, in: workspace)
        try run.apply(scenario)
        run.codebook = try scenario.data.codebook.map { $0 == "pbdt2015" ? try Codebook.pbdt2015() : try Codebook.load(path: $0) }
        run.scenarioText = ScenarioWriter.yaml(scenario, commented: false)
        if let store { run.recorder = { try store.record($0, commit: $1) } }
        return run
    }

    /// Every file a scenario names (inputs kept elsewhere, the codebook, the
    /// boundaries, the MPS export) must be inside the workspace too.
    static func checkPaths(of s: Scenario, in workspace: Workspace) throws(DeskError) {
        for (name, path) in s.data.paths.sorted(by: { $0.key < $1.key }) { try workspace.check(path, "data.files." + (name as NSString).deletingPathExtension) }
        if let codebook = s.data.codebook, codebook != "pbdt2015" { try workspace.check(codebook, "data.codebook") }
        if let boundaries = s.data.boundaries { try workspace.check(boundaries, "data.boundaries") }
        if let mps = s.outputs.exportMPS { try workspace.check(mps, "outputs.export_mps") }
    }

    /// runs/DATASET-N, the first N not taken (runs of earlier starts stay).
    static func outputDirectory(for job: RunQueue.Job, in workspace: Workspace) throws -> String {
        let name = (job.dataset == "." ? (workspace.root as NSString).lastPathComponent : job.dataset)
            .replacingOccurrences(of: "/", with: "-")
        try FileManager.default.createDirectory(atPath: workspace.runsFolder, withIntermediateDirectories: true)
        var n = 1
        while true {
            let path = (workspace.runsFolder as NSString).appendingPathComponent("\(name)-\(n)")
            let staging = (workspace.runsFolder as NSString).appendingPathComponent(".\(name)-\(n).partial-\(getpid())")
            if !FileManager.default.fileExists(atPath: path) && !FileManager.default.fileExists(atPath: staging) { return path }
            n += 1
        }
    }

    /// A failure as the desk shows it: a sentence, and each problem with its place.
    static func explain(_ error: any Error) -> (String, [DeskError.Problem]?) {
        switch error {
        case let errors as DataErrors:
            let problems = errors.log.problems.map { DeskError.Problem(location: location(of: $0), key: $0.column, message: $0.reason) }
            return ("the data has \(errors.log.count) problem\(errors.log.count == 1 ? "" : "s"); nothing was written", problems)
        case let error as ScenarioError:
            return (error.description, [DeskError.Problem(location: error.file + (error.line.map { ":\($0)" } ?? ""), key: error.key, message: error.message)])
        case let error as DeskError:
            return (error.message, error.problems)
        default:
            return ("\(error); nothing was written", nil)
        }
    }

    /// file:line:column, or file:Sheet!Cell, without the subject and message.
    static func location(of p: DataProblem) -> String {
        var bare = p
        bare.column = nil
        bare.value = nil
        bare.message = ""
        return String(bare.description.dropLast(2))
    }
}
