import Foundation
import LinearAlgebra
import TepatData

/// Scores a households.csv larger than memory (`tepat run --stream`): the file is
/// read chunk by chunk, twice, and nothing per household stays in memory.
///
/// 1. Read and check every row; count category levels; add up the first-stage
///    PMT index per village (the contextual covariate); write each id's hash to
///    a `DuplicateFinder`.
/// 2. Only with `--on-error skip` and repeated ids: read again without the
///    repeats for the level counts and the context, as a run in memory does.
/// 3. Fit the second stage on the survey; read again, predict and draw the
///    bootstrap replicates chunk by chunk (the same chunks, the same random
///    streams as in memory), add each household to its village's sums and put
///    its results in a `HouseholdSpill` on disk.
/// 4. Deciles, the desil 1–4 shares and the overall measures from the spill, then
///    the ranking as in memory.
///
/// Memory is the chunks in flight, the village sums and replicates (villages × B)
/// and the model, whatever the number of households; the results are those of
/// `Scorer.score` to the last bit (tested).
public enum StreamingScorer {
    public struct Input {
        public var householdsPath: String
        public var villages: Table
        public var survey: Table
        public var codebook: Codebook?
        public var onError: OnError
        public var problemLimit = 10_000
        /// An existing directory for the temporary files (spill, id hashes).
        public var workDirectory: String
        /// Rows read from households.csv at a time (scoring re-cuts them into
        /// `ScoringOptions.chunkRows`); two such chunks are in memory at once.
        public var readRows = 65_536

        public init(householdsPath: String, villages: Table, survey: Table, codebook: Codebook?, onError: OnError, workDirectory: String) {
            self.householdsPath = householdsPath
            self.villages = villages
            self.survey = survey
            self.codebook = codebook
            self.onError = onError
            self.workDirectory = workDirectory
        }
    }

    public struct Output {
        public var result: ScoringResult
        /// The scored households, in file order, for households_scored.csv.
        public var spill: HouseholdSpill
        public var deciles: (HouseholdSpill.Record) -> Int
        /// Problems of households.csv (rows left out with `.skip`).
        public var problems: ProblemLog
        /// Rows left out (the rows kept are `result.householdCount`).
        public var rejected: Int
    }

    /// The strata of a run: all households, or urban and rural with their own
    /// random streams.
    typealias Strata = [(name: String, urban: Bool?, stream: UInt64)]

    public static func score(
        _ input: Input, options: ScoringOptions, clock: StageClock = StageClock(),
        onStage: (String) -> Void = { _ in }, onProgress: (Int, Int) -> Void = { _, _ in }
    ) throws -> Output {
        let villages = VillageList(villages: input.villages, households: nil)
        guard villages.count > 0 else { throw ScoringError.noVillages }
        guard options.method != .assetIndex else { throw StreamingError.needsPMT }
        let survey = SurveyDesign(input.survey, villageIndex: villages.index)
        let strata: Strata = options.strata == .urbanRural ? [("urban", true, 1), ("rural", false, 2)] : [("all", nil, 0)]
        let stratum: (HouseholdColumns, Int) -> Int = { h, i in strata.count == 1 || h.isUrban[i] ? 0 : 1 }
        let reading = Reading(input: input, villages: villages, options: options, strata: strata.count, stratum: stratum)

        // First stages: the survey alone. A stratum's error counts only if the
        // registry has households in it (as in memory, where it is not fitted).
        let firstStages: [Result<StratumFirstStage, Error>?] = strata.map { s in
            let design = survey.stratum(urban: s.urban)
            guard design.count > 0 else { return nil }
            return Result { try StratumFirstStage(survey: design, registryCounts: [:], villages: villages, options: options) }
        }
        clock.lap("encode")
        let checked = try checkAndSumContext(reading, firstStages: firstStages, onStage: onStage, onProgress: onProgress)
        clock.lap("read")

        onStage("score (stream, second read: predict and bootstrap)")
        let (passes, models) = try secondStages(strata, firstStages: firstStages, checked: checked.read, villages: villages, options: options)
        clock.lap("pmt")
        // Second read: predict, draw, add up, spill.
        let spill = try HouseholdSpill(directory: input.workDirectory, strata: strata.count)
        let scored = try scorePass(reading, passes: passes, leaveOut: checked.leaveOut, spill: spill, onProgress: onProgress)
        try spill.finishWriting()
        clock.lap("predict+bootstrap")

        onStage("aggregate")
        let (unscored, overall, deciles) = try aggregate(scored, spill: spill, options: options)
        let ranked = try VillageRanker.rank(unscored, villages: villages, replicates: scored.replicates, options: options, clock: clock)
        let result = ScoringResult(
            options: options, method: .pmt, villages: villages,
            households: HouseholdScores(logMean: [], logSD: [], welfare: [], desil: [], p0: [], p1: [], p2: []),
            measures: ranked.measures, ranking: ranked.ranking, models: models, assetIndexExplainedShare: nil,
            registry: .none, deprivationFlags: [], accuracy: nil, timings: clock.laps,
            overall: overall.mean.benchmarked(ranked.benchmark), overallPoorPersons: ranked.measures.poorPersons.reduce(0, +), householdCount: checked.read.rows, benchmark: ranked.benchmark)
        return Output(result: result, spill: spill, deciles: { deciles.decile(of: $0) }, problems: checked.problems,
                      rejected: checked.read.rejected)
    }

    /// The first read: check every row, count levels, sum the first-stage
    /// index; then the repeated ids, and with `--on-error skip` a read again
    /// without them.
    private static func checkAndSumContext(
        _ reading: Reading, firstStages: [Result<StratumFirstStage, Error>?], onStage: (String) -> Void, onProgress: (Int, Int) -> Void
    ) throws -> (read: Checked, problems: ProblemLog, leaveOut: Set<Int>) {
        let input = reading.input
        onStage("read (stream, first read: check and context)")
        let duplicates = try DuplicateFinder(directory: input.workDirectory)
        var problems = ProblemLog(limit: input.problemLimit)
        var first = try readPass(reading, firstStages: firstStages, leaveOut: [], problems: &problems, duplicates: duplicates, onProgress: onProgress)
        let repeats = try duplicates.finish()
        first.rows -= repeats.count
        first.rejected += repeats.count
        if !repeats.isEmpty {
            onStage("read (stream, the repeated ids to quote)")
            try recordRepeats(repeats, input: input, idColumn: first.idColumnNumber, in: &problems)
        }
        if input.onError == .fail && !problems.isEmpty { throw DataErrors(problems) }
        let leaveOut = Set(repeats.map(\.line))
        if !leaveOut.isEmpty {
            // Read again: the repeats counted in the first read must not count.
            onStage("read (stream, again without the repeated ids)")
            var ignored = ProblemLog(limit: 0)
            first = try readPass(reading, firstStages: firstStages, leaveOut: leaveOut, problems: &ignored, duplicates: nil, onProgress: onProgress)
        }
        guard first.rows > 0 else { throw StreamingError.noHouseholds }
        return (first, problems, leaveOut)
    }

    /// A problem per repeated id, quoting it: the first read kept only hashes,
    /// so the ids are fetched by line (fields split but not decoded, up to the
    /// last repeat shown). The log is then put back in line order.
    private static func recordRepeats(
        _ repeats: [(line: Int, firstLine: Int)], input: Input, idColumn: Int?, in problems: inout ProblemLog
    ) throws {
        var repeatedIds: [Int: String] = [:]
        if let idColumn {
            repeatedIds = try CSVReader.fields(
                path: input.householdsPath, displayName: Schemas.households.fileName, column: idColumn - 1,
                lines: Set(repeats.prefix(input.problemLimit).map(\.line)))
        }
        for (line, firstLine) in repeats {
            problems.record(DataProblem(file: Schemas.households.fileName, line: line, columnNumber: idColumn, column: "household_id",
                                        value: repeatedIds[line].map { DisplayValue.make($0) },
                                        message: "duplicate household_id (first on line \(firstLine))"))
        }
        problems = sortedByLine(problems)
    }

    /// Each stratum's second stage, now that the registry's level counts and
    /// context are known.
    private static func secondStages(
        _ strata: Strata, firstStages: [Result<StratumFirstStage, Error>?], checked: Checked, villages: VillageList, options: ScoringOptions
    ) throws -> (passes: [RegistryPass?], models: [StratumModel]) {
        var passes: [RegistryPass?] = Array(repeating: nil, count: strata.count)
        var models: [StratumModel] = []
        for (s, definition) in strata.enumerated() where checked.stratumRows[s] > 0 {
            guard let fitted = firstStages[s] else { throw ScoringError.emptyStratum(definition.name) }
            let stage: StratumFirstStage
            do {
                stage = try fitted.get().withRegistryCounts(checked.levelCounts[s], villages: villages, options: options)
            } catch let ScoringError.surveyTooSmall(rows, terms, _) where strata.count > 1 {
                throw ScoringError.surveyTooSmall(rows: rows, terms: terms, stratum: definition.name)
            }
            let second = try stage.secondStage(context: checked.context[s], villages: villages, options: options, stream: definition.stream)
            passes[s] = second.pass
            models.append(StratumModel(name: definition.name, pmt: second.pmt, smallArea: second.smallArea, pooled: second.pooled, balance: second.balance, contributions: second.contributions))
        }
        return (passes, models)
    }

    /// Deciles, the desil 1–4 shares and the overall measures, from the spill
    /// in file order.
    private static func aggregate(
        _ scored: Scored, spill: HouseholdSpill, options: ScoringOptions
    ) throws -> (measures: VillageMeasures, overall: WeightedFGT, deciles: SpillDeciles) {
        var sums = scored.sums
        let deciles = try SpillDeciles(spill: spill, lowest: scored.lowest, highest: scored.highest)
        var overall = WeightedFGT()
        try spill.forEach { r in
            sums.addDesil(deciles.decile(of: r), village: r.village)
            overall.add(members: r.members, p0: r.p0, p1: r.p1, p2: r.p2)
        }
        return (sums.measures(mpi: options.mpi), overall, deciles)
    }

    /// What both reads need to know of the run.
    struct Reading {
        let input: Input
        let villages: VillageList
        let options: ScoringOptions
        let strata: Int
        let stratum: (HouseholdColumns, Int) -> Int
    }
}
