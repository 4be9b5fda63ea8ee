import Foundation
import LinearAlgebra
import TepatAllocation
import TepatData
import TepatReporting
import TepatScenario
import TepatScoring
import TepatStore
import TepatVerification

/// One `tepat run`: load a DATA_DIR, score it, assign OPDs, allocate funds,
/// and write the run directory atomically. The CLI, the benchmarks and the
/// tests all go through this.
public struct PlanRun {
    public var dataDirectory: String
    public var outputDirectory: String
    public var options = ScoringOptions()
    public var onError = OnError.fail
    public var codebook: Codebook? = nil
    public var writeHouseholds = true
    /// results.xlsx (the run's CSVs as sheets, with the RPKD tables).
    public var writeWorkbook = true
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
    /// The verification list's rule (when households.csv has desil).
    public var verification = VerificationOptions()
    /// Village polygons (GeoJSON) for the report's maps and rankings.geojson.
    public var boundaries: String? = nil
    /// Names and NIK on the verification form (for field use; nowhere else).
    public var includeNames = false
    /// Allocate funds when funders.csv and programs.csv exist.
    public var allocate = true
    /// Called at the start of each stage, for progress display.
    public var onStage: (String) -> Void = { _ in }
    /// Asked before each stage and before the run directory is moved into
    /// place: true stops the run with `Cancelled`, leaving nothing written.
    public var isCancelled: () -> Bool = { false }
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
        public var verification: VerificationList?
        /// Seconds per stage, as in timings.json.
        public var stages: [(String, Double)] = []
        /// What the run left out and why, for the planner.
        public var notes: [String] = []
    }

    public func execute() throws -> Outcome {
        // A benchmark rate outside (0, 1) stops the run before any work.
        if let rate = options.benchmarkP0, !(rate > 0 && rate < 1) { throw P0Benchmark.Failure.outOfRange(rate) }
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
        let workDirectory = stream ? RunDirectory.streamWorkPath(for: outputDirectory) : nil
        defer { if let workDirectory { try? FileManager.default.removeItem(atPath: workDirectory) } }
        let scored = try score(workDirectory: workDirectory, clock: clock)
        // Checksums of the inputs are independent of what follows: computed alongside.
        let checksums = ChecksumTask(files: scored.data.files)
        let decisions = try decide(scored, clock: clock)
        try begin("write")
        let directory = try RunDirectory(path: outputDirectory)
        try writeFiles(scored, decisions, to: directory)
        let sums = try checksums.wait()
        try writeSummaryAndReport(scored, decisions, checksums: sums, to: directory)
        clock.lap("write")
        let seconds = Date().timeIntervalSince(started)
        try directory.write("timings.json", RunSummary.timings(clock.laps, total: seconds, machine: .current).text() + "\n")
        // The last moment a cancelled run can still leave nothing behind.
        if isCancelled() { throw Cancelled() }
        let replaced = try commit(directory, scored, decisions, checksums: sums, seconds: seconds)
        return Outcome(result: scored.result, data: scored.data, directory: directory.path, replacedEarlierRun: replaced,
                       seconds: seconds, assignment: decisions.assignment, plan: decisions.plan,
                       allocationProblem: decisions.allocationProblem, outcomes: decisions.outcomes, verification: scored.verification?.list,
                       stages: clock.laps, notes: scored.notes)
    }
}

extension RunSummary.Machine {
    /// This process's cores and BLAS.
    static var current: Self {
        .init(cores: ProcessInfo.processInfo.activeProcessorCount, blas: BLAS.configuration,
              blasCore: KernelSelection.coreName, blasThreads: BLAS.threadCount)
    }
}

extension PlanRun {
    /// A run stopped because `isCancelled` said so; nothing was written.
    public struct Cancelled: Error, CustomStringConvertible {
        public init() {}
        public var description: String { "the run was cancelled; nothing was written" }
    }

    /// Starts a stage, unless the run is cancelled.
    func begin(_ stage: String) throws {
        if isCancelled() { throw Cancelled() }
        onStage(stage)
    }
}
