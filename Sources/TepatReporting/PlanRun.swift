import Foundation
import LinearAlgebra
import TepatAllocation
import TepatData
import TepatScoring

/// One `tepat run`: load a DATA_DIR, score it, write the run directory
/// atomically. The CLI, the benchmarks and the tests all go through this.
public struct PlanRun {
    public var dataDirectory: String
    public var outputDirectory: String
    public var options = ScoringOptions()
    public var onError = OnError.fail
    public var codebook: Codebook? = nil
    public var writeHouseholds = true
    public var dialect = CSVDialect.standard
    public var allocation = AllocationOptions()
    /// Input files kept outside DATA_DIR, by standard name.
    public var filePaths: [String: String] = [:]
    /// Language of report.html.
    public var language = ReportLanguage.indonesian
    /// Run the OPD assignment when opds.csv exists.
    public var assign = true
    /// The effective scenario, kept in the run directory as scenario.yaml.
    public var scenarioText: String? = nil
    /// Records the finished run (the run store) around moving the directory into
    /// place: `commit` renames the directory; a recorder that fails, or a commit
    /// that fails, leaves neither the directory nor the record.
    public var recorder: ((RunRecord, _ commit: () throws -> Bool) throws -> Bool)? = nil
    /// Allocate funds when funders.csv and programs.csv exist.
    public var allocate = true
    /// Called at the start of each stage, for progress display.
    public var onStage: (String) -> Void = { _ in }
    /// Read households.csv in chunks and keep no household in memory
    /// (`StreamingScorer`); fund allocation is then left out.
    public var stream = false
    /// Rows a streamed run reads at a time.
    public var streamReadRows = 65_536
    /// Bytes of households.csv read so far, of the total, during a streamed pass.
    public var onProgress: (Int, Int) -> Void = { _, _ in }

    public init(dataDirectory: String, outputDirectory: String) {
        self.dataDirectory = dataDirectory
        self.outputDirectory = outputDirectory
    }

    public struct Outcome {
        public var result: ScoringResult
        public var data: DataSet
        public var directory: String
        public var replacedEarlierRun: Bool
        public var seconds: Double
        public var assignment: OPDAssignmentProblem.Solution?
        public var plan: FundAllocation?
        public var allocationProblem: FundAllocationProblem?
        public var outcomes: VillageOutcomes?
        /// Seconds per stage, as in timings.json.
        public var stages: [(String, Double)] = []
        /// What the run left out and why, for the planner.
        public var notes: [String] = []
    }

    public func execute() throws -> Outcome {
        // One BLAS thread: OpenBLAS rounds differently with different thread
        // splits, and such last-bit differences can pick another of several equal
        // optima of the allocation. Parallelism comes from the run's own chunk
        // workers instead, whose results are combined in a fixed order, so the
        // files do not depend on OPENBLAS_NUM_THREADS or the number of cores.
        let blasThreads = BLAS.threadCount
        BLAS.setThreadCount(1)
        defer { BLAS.setThreadCount(blasThreads) }
        let started = Date()
        let clock = StageClock()
        var notes: [String] = []
        let data: DataSet
        let result: ScoringResult
        var streamed: StreamingScorer.Output? = nil
        let workDirectory = stream ? RunDirectory.streamWorkPath(for: outputDirectory) : nil
        defer { if let workDirectory { try? FileManager.default.removeItem(atPath: workDirectory) } }
        onStage("read")
        if let workDirectory {
            (data, streamed) = try readStreaming(workDirectory: workDirectory, clock: clock)
            result = streamed!.result
            if FileManager.default.fileExists(atPath: filePaths[Schemas.truth.fileName] ?? (dataDirectory as NSString).appendingPathComponent(Schemas.truth.fileName)) {
                notes.append("note: --stream leaves out the accuracy against truth.csv: it needs every household's score in memory")
            }
            if allocate && data.funders != nil && data.programs != nil {
                notes.append("note: --stream does not allocate funds: the allocation needs every household's poverty probability in memory; run it per kabupaten without --stream")
            }
        } else {
            data = try DataDirectory.load(dataDirectory, paths: filePaths, codebook: codebook, onError: onError)
            clock.lap("read")
            onStage("score")
            result = try Scorer.score(data, options: options, clock: clock)
        }
        // Checksums of the inputs are independent of scoring: compute them alongside.
        let checksums = ChecksumTask(files: data.files)

        // Allocation half: OPD assignment and fund allocation, when the files exist.
        var assignmentProblem: OPDAssignmentProblem? = nil
        var assignment: OPDAssignmentProblem.Solution? = nil
        if assign, let opds = data.opds {
            onStage("assignment")
            let problem = try AllocationStage.assignmentProblem(opds: opds, result: result, options: allocation)
            assignment = problem.solve()
            assignmentProblem = problem
            clock.lap("assignment")
        }
        var allocationProblem: FundAllocationProblem? = nil
        var plan: FundAllocation? = nil
        var outcomes: VillageOutcomes? = nil
        var baselines: [(BaselineRule, Double)] = []
        if allocate, !stream, let funders = data.funders, let programs = data.programs {
            onStage("allocation")
            let problem = try AllocationStage.allocationProblem(funders: funders, programs: programs, result: result, options: allocation)
            clock.lap("allocation_setup")
            let solved = try problem.solve()
            clock.lap("allocation_solve")
            outcomes = VillageOutcomes(problem: problem, plan: solved, households: result.registry, scores: result.households, povertyLine: options.povertyLine)
            baselines = Baselines.benefits(problem: problem, plan: solved, poorPersons: result.measures.poorPersons, idmStatus: result.villages.idmStatus)
            if let path = allocation.exportMPS { try MPSWriter.write(problem.network().0.expanded(), name: "TEPAT_ALLOCATION", to: path) }
            allocationProblem = problem
            plan = solved
            clock.lap("allocation_report")
        }

        onStage("write")
        let directory = try RunDirectory(path: outputDirectory)
        if let problem = assignmentProblem, let assignment {
            try AllocationOutputs.writeAssignment(problem, assignment, villages: result.villages, to: directory.file("assignment.csv"))
        }
        if let problem = allocationProblem, let plan, let outcomes {
            try AllocationOutputs.writeAllocation(problem, plan, villages: result.villages, to: directory.file("allocation.csv"))
            try AllocationOutputs.writeVillagesAfter(outcomes, villages: result.villages, order: result.ranking.order, to: directory.file("villages_after.csv"))
            try AllocationOutputs.writeFunders(problem, plan, to: directory.file("funders_summary.csv"))
        }
        try ScoringOutputs.writeRankings(result, to: directory.file("rankings.csv"))
        if writeHouseholds {
            if let streamed {
                try ScoringOutputs.writeHouseholds(streamed, villages: result.villages, to: directory.file("households_scored.csv"))
            } else {
                try ScoringOutputs.writeHouseholds(result, households: data.households, to: directory.file("households_scored.csv"))
            }
        }
        if !result.models.isEmpty { try ScoringOutputs.writeCoefficients(result.models, to: directory.file("pmt_coefficients.csv")) }
        if dialect == .excelID {
            try ScoringOutputs.writeRankings(result, to: directory.file("rankings.excel-id.csv"), dialect: .excelID)
            if !result.models.isEmpty { try ScoringOutputs.writeCoefficients(result.models, to: directory.file("pmt_coefficients.excel-id.csv"), dialect: .excelID) }
        }
        if !data.problems.isEmpty { try ScoringOutputs.writeRejected(data.problems, to: directory.file("rejected.csv")) }
        let sums = try checksums.wait()
        var summary: [(String, JSON)] = [
            ("version", .string(RunSummary.version)), ("seed", .integer(Int(options.seed))),
            ("inputs", RunSummary.inputs(data.files, checksums: sums)),
        ]
        summary += RunSummary.scoring(result)
        if let assignment {
            summary.append(("assignment", .object([("objective", .number(assignment.objective)), ("pairs", .integer(assignment.pairs.count))])))
        }
        if let problem = allocationProblem, let plan, let outcomes {
            summary.append(("allocation", RunSummary.allocation(problem: problem, plan: plan, outcomes: outcomes, baselines: baselines, objective: allocation.objective)))
        }
        try directory.write("summary.json", JSON.object(summary).text() + "\n")
        let report = ReportContent(
            result: result, households: result.householdCount,
            assignment: assignmentProblem.flatMap { p in assignment.map { (p, $0) } },
            allocation: allocationProblem.flatMap { p in plan.flatMap { pl in outcomes.map { (p, pl, $0, baselines) } } },
            language: language, objective: allocation.objective)
        try directory.write("report.html", ReportPage.html(report))
        if let scenarioText { try directory.write("scenario.yaml", scenarioText) }
        clock.lap("write")
        let seconds = Date().timeIntervalSince(started)
        try directory.write("timings.json", RunSummary.timings(clock.laps, total: seconds).text() + "\n")
        let replaced: Bool
        if let recorder {
            let record = RunRecord(
                directory: directory.path, dataDirectory: URL(fileURLWithPath: dataDirectory).standardizedFileURL.path,
                seed: options.seed, scenario: scenarioText ?? "", inputs: data.files.map { ($0.name, $0.rows) },
                checksums: sums, villages: result.villages.count, households: result.householdCount,
                p0: result.overall.p0, poorPersons: result.overallPoorPersons, objective: plan?.benefit,
                spent: plan?.spentByFunder.reduce(0, +), seconds: seconds)
            replaced = try recorder(record) { try directory.commit() }
        } else {
            replaced = try directory.commit()
        }
        return Outcome(result: result, data: data, directory: directory.path, replacedEarlierRun: replaced, seconds: seconds,
                       assignment: assignment, plan: plan, allocationProblem: allocationProblem, outcomes: outcomes, stages: clock.laps,
                       notes: notes)
    }

    /// The small files as usual, then households.csv chunk by chunk.
    private func readStreaming(workDirectory: String, clock: StageClock) throws -> (DataSet, StreamingScorer.Output) {
        var data = try DataDirectory.load(dataDirectory, paths: filePaths, codebook: codebook, onError: onError, readHouseholds: false)
        guard let villages = data.villages else { throw StreamingError.needsVillages }
        guard let survey = data.survey else { throw StreamingError.needsSurvey }
        let fm = FileManager.default
        try? fm.removeItem(atPath: workDirectory)
        try fm.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
        let path = filePaths[Schemas.households.fileName] ?? (dataDirectory as NSString).appendingPathComponent(Schemas.households.fileName)
        var input = StreamingScorer.Input(householdsPath: path, villages: villages, survey: survey, codebook: codebook,
                                          onError: onError, workDirectory: workDirectory)
        input.readRows = streamReadRows
        let output = try StreamingScorer.score(input, options: options, clock: clock, onStage: onStage, onProgress: onProgress)
        data.problems.record(contentsOf: output.problems)
        let position = data.files.firstIndex { $0.name == Schemas.villages.fileName }.map { $0 + 1 } ?? 0
        data.files.insert(LoadedFile(name: Schemas.households.fileName, path: path, rows: output.result.householdCount, rejected: output.rejected), at: position)
        return (data, output)
    }
}

/// SHA-256 of the input files on a background thread.
final class ChecksumTask: @unchecked Sendable {
    private var result: Result<[String: String], Error>? = nil
    private let done = DispatchSemaphore(value: 0)

    init(files: [LoadedFile]) {
        let list = files.map { ($0.name, $0.path) }
        Thread.detachNewThread { [self] in
            result = Result {
                var sums: [String: String] = [:]
                for (name, path) in list { sums[name] = try RunSummary.sha256(path: path) }
                return sums
            }
            done.signal()
        }
    }

    func wait() throws -> [String: String] {
        done.wait()
        return try result!.get()
    }
}
