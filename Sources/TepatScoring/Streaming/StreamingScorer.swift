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

    public static func score(
        _ input: Input, options: ScoringOptions, clock: StageClock = StageClock(),
        onStage: (String) -> Void = { _ in }, onProgress: (Int, Int) -> Void = { _, _ in }
    ) throws -> Output {
        let villages = VillageList(villages: input.villages, households: nil)
        guard villages.count > 0 else { throw ScoringError.noVillages }
        guard options.method != .assetIndex else { throw StreamingError.needsPMT }
        let survey = HouseholdColumns(input.survey, villageIndex: villages.index)
        let response = input.survey.numbers("consumption_pc").map { log($0) }
        let weights = input.survey.numbers("weight")
        let strata: [(name: String, urban: Bool?, stream: UInt64)] = options.strata == .urbanRural
            ? [("urban", true, 1), ("rural", false, 2)] : [("all", nil, 0)]
        func stratum(of h: HouseholdColumns, _ i: Int) -> Int { strata.count == 1 || h.isUrban[i] ? 0 : 1 }

        // First stages: the survey alone. A stratum's error counts only if the
        // registry has households in it (as in memory, where it is not fitted).
        var firstStages: [Result<StratumFirstStage, Error>?] = strata.map { s in
            let rows = (0..<survey.count).filter { s.urban == nil || survey.isUrban[$0] == s.urban }
            guard !rows.isEmpty else { return nil }
            return Result {
                try StratumFirstStage(
                    survey: s.urban == nil ? survey : survey.subset(rows), response: rows.map { response[$0] },
                    weights: rows.map { weights[$0] }, registryCounts: [:], villages: villages, options: options)
            }
        }
        clock.lap("encode")

        // First read: check every row, count levels, sum the first-stage index.
        onStage("read (stream, first read: check and context)")
        let duplicates = try DuplicateFinder(directory: input.workDirectory)
        var problems = ProblemLog(limit: input.problemLimit)
        var first = try readPass(input, villages: villages, options: options, strata: strata.count, stratum: stratum,
                                 firstStages: firstStages, leaveOut: [], problems: &problems, duplicates: duplicates, onProgress: onProgress)
        let repeats = try duplicates.finish()
        first.rows -= repeats.count
        first.rejected += repeats.count
        let idColumn = first.idColumnNumber
        // The repeated ids themselves, for the messages: the first read kept
        // only their hashes. Read up to the last repeat shown, fields split but
        // not decoded.
        var repeatedIds: [Int: String] = [:]
        if let idColumn, !repeats.isEmpty {
            onStage("read (stream, the repeated ids to quote)")
            repeatedIds = try CSVReader.fields(
                path: input.householdsPath, displayName: Schemas.households.fileName, column: idColumn - 1,
                lines: Set(repeats.prefix(input.problemLimit).map(\.line)))
        }
        for (line, firstLine) in repeats {
            problems.record(DataProblem(file: Schemas.households.fileName, line: line, columnNumber: idColumn, column: "household_id",
                                        value: repeatedIds[line].map { DisplayValue.make($0) },
                                        message: "duplicate household_id (first on line \(firstLine))"))
        }
        if !repeats.isEmpty { problems = sortedByLine(problems) }
        if input.onError == .fail && !problems.isEmpty { throw DataErrors(problems) }
        let leaveOut = Set(repeats.map(\.line))
        if !leaveOut.isEmpty {
            // Read again: the repeats counted in the first read must not count.
            onStage("read (stream, again without the repeated ids)")
            var ignored = ProblemLog(limit: 0)
            first = try readPass(input, villages: villages, options: options, strata: strata.count, stratum: stratum,
                                 firstStages: firstStages, leaveOut: leaveOut, problems: &ignored, duplicates: nil, onProgress: onProgress)
        }
        guard first.rows > 0 else { throw StreamingError.noHouseholds }
        clock.lap("read")

        // Second stages.
        onStage("score (stream, second read: predict and bootstrap)")
        var passes: [RegistryPass?] = Array(repeating: nil, count: strata.count)
        var models: [StratumModel] = []
        for (s, definition) in strata.enumerated() where first.stratumRows[s] > 0 {
            guard let fitted = firstStages[s] else {
                throw ScoringError.emptyStratum(definition.name)
            }
            let stage: StratumFirstStage
            do {
                stage = try fitted.get().withRegistryCounts(first.levelCounts[s], villages: villages, options: options)
            } catch let ScoringError.surveyTooSmall(rows, terms, _) where strata.count > 1 {
                throw ScoringError.surveyTooSmall(rows: rows, terms: terms, stratum: definition.name)
            }
            firstStages[s] = .success(stage)
            let second = try stage.secondStage(context: first.context[s], villages: villages, options: options, stream: definition.stream)
            passes[s] = second.pass
            models.append(StratumModel(name: definition.name, pmt: second.pmt, smallArea: second.smallArea, pooled: second.pooled))
        }
        clock.lap("pmt")

        // Second read: predict, draw, add up, spill.
        let spill = try HouseholdSpill(directory: input.workDirectory, strata: strata.count)
        let scored = try scorePass(input, villages: villages, options: options, strata: strata.count, stratum: stratum,
                                   passes: passes, leaveOut: leaveOut, spill: spill, onProgress: onProgress)
        try spill.finishWriting()
        clock.lap("predict+bootstrap")

        // Deciles and the overall measures, from the spill in file order.
        onStage("aggregate")
        var sums = scored.sums
        let deciles = try SpillDeciles(spill: spill, lowest: scored.lowest, highest: scored.highest)
        var weighted = (p0: 0.0, p1: 0.0, p2: 0.0)
        try spill.forEach { r in
            sums.addDesil(deciles.decile(of: r), village: r.village)
            weighted.p0 += r.members * r.p0
            weighted.p1 += r.members * r.p1
            weighted.p2 += r.members * r.p2
        }
        var measures = sums.measures(mpi: options.mpi)
        let standardisation = Standardisation(measures)
        measures.score = (0..<villages.count).map { v in
            standardisation.score(p0: measures.p0[v], p2: measures.p2[v], poor: measures.poorPersons[v],
                                  m0: measures.mpi[v].m0, desil: measures.shareDesil1to4[v], weights: options.weights)
        }
        clock.lap("aggregate")
        let replicates = RegistryPass.Output(logMean: [], logSD: [], fgt: ([], [], []),
                                             replicatePoor: scored.replicatePoor, replicateSeverity: scored.replicateSeverity)
        let ranking = Scorer.rank(measures: measures, villages: villages, pass: replicates, standardisation: standardisation, options: options)
        clock.lap("bootstrap")

        let persons = measures.persons.reduce(0, +)
        let result = ScoringResult(
            options: options, method: .pmt, villages: villages,
            households: HouseholdScores(logMean: [], logSD: [], welfare: [], desil: [], p0: [], p1: [], p2: []),
            measures: measures, ranking: ranking, models: models, assetIndexExplainedShare: nil,
            registry: .none, deprivationFlags: [], accuracy: nil, timings: clock.laps,
            overall: ExpectedFGT(p0: weighted.p0 / persons, p1: weighted.p1 / persons, p2: weighted.p2 / persons),
            overallPoorPersons: measures.poorPersons.reduce(0, +), householdCount: first.rows)
        return Output(result: result, spill: spill, deciles: { deciles.decile(of: $0) }, problems: problems,
                      rejected: first.rejected)
    }

    /// What the first read (or the read without repeats) gathers.
    struct Checked {
        var rows = 0
        var rejected = 0
        var stratumRows: [Int]
        var levelCounts: [[String: [Int]]]
        var context: [ContextSums]
        var idColumnNumber: Int?
    }

    private static func readPass(
        _ input: Input, villages: VillageList, options: ScoringOptions, strata: Int, stratum: (HouseholdColumns, Int) -> Int,
        firstStages: [Result<StratumFirstStage, Error>?], leaveOut: Set<Int>, problems: inout ProblemLog,
        duplicates: DuplicateFinder?, onProgress: (Int, Int) -> Void
    ) throws -> Checked {
        var checked = Checked(stratumRows: Array(repeating: 0, count: strata), levelCounts: Array(repeating: [:], count: strata),
                              context: Array(repeating: ContextSums(villages: villages.count), count: strata))
        var chunker = StrataChunker(strata: strata, rows: options.chunkRows)
        func take(_ s: Int, _ chunk: HouseholdColumns) throws {
            checked.stratumRows[s] += chunk.count
            FeatureEncoder.addLevelCounts(FeatureEncoder.levelCounts(chunk), to: &checked.levelCounts[s])
            if case .success(let stage)? = firstStages[s] {
                try checked.context[s].add(stage, chunk, rows: 0..<chunk.count)
            }
        }
        let reader = try HouseholdChunks(input, villages: villages, leaveOut: leaveOut, duplicates: duplicates)
        checked.idColumnNumber = reader.idColumnNumber
        while let h = try reader.next() {
            for (s, part) in split(h, strata: strata, stratum: stratum) { chunker.add(part, stratum: s) }
            for (s, chunk) in chunker.full() { try take(s, chunk) }
            onProgress(reader.bytesRead, reader.bytesTotal)
        }
        for (s, chunk) in chunker.rest() { try take(s, chunk) }
        for p in reader.problems { problems.record(p) }
        problems.countOmitted(reader.problemsOmitted)
        checked.rows = reader.rowsKept
        checked.rejected = reader.rowsRejected
        return checked
    }

    /// What the second read gathers.
    struct Scored {
        var sums: VillageSums
        var replicatePoor: [Double]
        var replicateSeverity: [Double]
        var lowest = Double.infinity
        var highest = -Double.infinity
    }

    private static func scorePass(
        _ input: Input, villages: VillageList, options: ScoringOptions, strata: Int, stratum: (HouseholdColumns, Int) -> Int,
        passes: [RegistryPass?], leaveOut: Set<Int>, spill: HouseholdSpill, onProgress: (Int, Int) -> Void
    ) throws -> Scored {
        let replicates = max(0, options.bootstrap)
        var scored = Scored(
            sums: VillageSums(villages: villages.count, mpiIndicators: options.mpi.indicators.count),
            replicatePoor: Array(repeating: 0, count: villages.count * replicates),
            replicateSeverity: Array(repeating: 0, count: villages.count * replicates))
        var replicateSums = RegistryPass.Output(logMean: [], logSD: [], fgt: ([], [], []),
                                                replicatePoor: scored.replicatePoor, replicateSeverity: scored.replicateSeverity)
        scored.replicatePoor = []
        scored.replicateSeverity = []
        let deprivations = Deprivation.allCases
        var chunker = StrataChunker(strata: strata, rows: options.chunkRows)
        // Chunks wait per stratum until a wave of `threads` is ready; chunk k of a
        // stratum draws from stream k, as in memory.
        var waiting: [[HouseholdColumns]] = Array(repeating: [], count: strata)
        var streamOf = [Int](repeating: 0, count: strata)
        func runWave(_ s: Int) throws {
            guard !waiting[s].isEmpty, let pass = passes[s] else { return }
            let wave = waiting[s]
            waiting[s] = []
            let results = try pass.processWave(wave.map { ($0, 0..<$0.count) }, firstStream: streamOf[s])
            streamOf[s] += wave.count
            for (h, chunk) in zip(wave, results) {
                replicateSums.addReplicates(of: chunk, villages: villages.count)
                let flags = deprivations.map { Deprivation.flags($0, h) }
                scored.sums.add(h, rows: 0..<h.count, p0: chunk.p0, p1: chunk.p1, p2: chunk.p2,
                                deprivationFlags: flags, mpi: options.mpi, mpiScores: options.mpi.scores(h))
                spill.append(stratum: s, households: h, chunk: chunk)
                for x in chunk.logMean {
                    scored.lowest = min(scored.lowest, x)
                    scored.highest = max(scored.highest, x)
                }
            }
        }
        func take(_ s: Int, _ chunk: HouseholdColumns) throws {
            waiting[s].append(chunk)
            if waiting[s].count >= max(1, options.threads) { try runWave(s) }
        }
        let reader = try HouseholdChunks(input, villages: villages, leaveOut: leaveOut, duplicates: nil)
        while let h = try reader.next() {
            for i in 0..<h.count { spill.noteStratum(stratum(h, i)) }
            for (s, part) in split(h, strata: strata, stratum: stratum) { chunker.add(part, stratum: s) }
            for (s, chunk) in chunker.full() { try take(s, chunk) }
            onProgress(reader.bytesRead, reader.bytesTotal)
        }
        for (s, chunk) in chunker.rest() { try take(s, chunk) }
        for s in 0..<strata { try runWave(s) }
        scored.replicatePoor = replicateSums.replicatePoor
        scored.replicateSeverity = replicateSums.replicateSeverity
        return scored
    }

    /// The households of each stratum, in order.
    private static func split(_ h: HouseholdColumns, strata: Int, stratum: (HouseholdColumns, Int) -> Int) -> [(Int, HouseholdColumns)] {
        guard strata > 1 else { return [(0, h)] }
        var rows: [[Int]] = Array(repeating: [], count: strata)
        for i in 0..<h.count { rows[stratum(h, i)].append(i) }
        return rows.enumerated().compactMap { s, r in
            r.isEmpty ? nil : (s, r.count == h.count ? h : h.subset(r))
        }
    }

    private static func sortedByLine(_ log: ProblemLog) -> ProblemLog {
        var sorted = ProblemLog(limit: log.limit)
        for p in log.problems.sorted(by: DataProblem.lineOrder) { sorted.record(p) }
        sorted.countOmitted(log.omitted)
        return sorted
    }
}

/// Cuts each stratum's households into chunks of exactly `rows`, whatever the
/// sizes read: the chunks of a run in memory, where each stratum's households
/// are cut from its first.
struct StrataChunker {
    private var pending: [[HouseholdColumns]]
    private var pendingRows: [Int]
    let rows: Int

    init(strata: Int, rows: Int) {
        pending = Array(repeating: [], count: strata)
        pendingRows = Array(repeating: 0, count: strata)
        self.rows = rows
    }

    mutating func add(_ h: HouseholdColumns, stratum s: Int) {
        pending[s].append(h)
        pendingRows[s] += h.count
    }

    /// Every full chunk ready, stratum by stratum.
    mutating func full() -> [(Int, HouseholdColumns)] {
        var out: [(Int, HouseholdColumns)] = []
        for s in pending.indices where pendingRows[s] >= rows {
            var all = HouseholdColumns.joined(pending[s])
            var start = 0
            while all.count - start >= rows {
                out.append((s, all.subset(Array(start..<(start + rows)))))
                start += rows
            }
            all = start == all.count ? .none : all.subset(Array(start..<all.count))
            pending[s] = all.count > 0 ? [all] : []
            pendingRows[s] = all.count
        }
        return out
    }

    /// What is left at the end of the file: one last, shorter chunk per stratum.
    mutating func rest() -> [(Int, HouseholdColumns)] {
        var out = full()
        for s in pending.indices where pendingRows[s] > 0 {
            out.append((s, HouseholdColumns.joined(pending[s])))
            pending[s] = []
            pendingRows[s] = 0
        }
        return out
    }
}

public enum StreamingError: Error, CustomStringConvertible, Equatable {
    case needsVillages
    case needsSurvey
    case needsPMT
    case noHouseholds
    case temporaryFile(String)
    case truncated(String)

    public var description: String {
        switch self {
        case .needsVillages:
            return "--stream needs villages.csv in DATA_DIR: the village list is fixed before households.csv is read"
        case .needsSurvey, .needsPMT:
            return "--stream scores with the PMT and needs survey.csv; the asset index ranks all households at once, so run it without --stream"
        case .noHouseholds:
            return "households.csv: no households to score (the file has a header but no rows, or every row was left out)"
        case .temporaryFile(let path):
            return "cannot write the temporary file \(path) (is the disk full?)"
        case .truncated(let path):
            return "the temporary file \(path) ended early (was it removed, or the disk full?)"
        }
    }
}
