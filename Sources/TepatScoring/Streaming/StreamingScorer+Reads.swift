import Foundation
import TepatData

extension StreamingScorer {
    /// What the first read (or the read without repeats) gathers.
    struct Checked {
        var rows = 0
        var rejected = 0
        var stratumRows: [Int]
        var levelCounts: [[String: [Int]]]
        var context: [ContextSums]
        var idColumnNumber: Int?
    }

    static func readPass(
        _ reading: Reading, firstStages: [Result<StratumFirstStage, Error>?], leaveOut: Set<Int>, problems: inout ProblemLog,
        duplicates: DuplicateFinder?, onProgress: (Int, Int) -> Void
    ) throws -> Checked {
        let (input, villages, options, strata, stratum) = (reading.input, reading.villages, reading.options, reading.strata, reading.stratum)
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
        var replicates: ReplicateSums
        var lowest = Double.infinity
        var highest = -Double.infinity
    }

    static func scorePass(
        _ reading: Reading, passes: [RegistryPass?], leaveOut: Set<Int>, spill: HouseholdSpill, onProgress: (Int, Int) -> Void
    ) throws -> Scored {
        let (input, villages, options, strata, stratum) = (reading.input, reading.villages, reading.options, reading.strata, reading.stratum)
        let replicates = max(0, options.bootstrap)
        var scored = Scored(
            sums: VillageSums(villages: villages.count, mpiIndicators: options.mpi.indicators.count),
            replicates: ReplicateSums(villages: villages.count, replicates: replicates))
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
                scored.replicates.add(chunk, villages: villages.count)
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
        return scored
    }

    /// The households of each stratum, in order.
    static func split(_ h: HouseholdColumns, strata: Int, stratum: (HouseholdColumns, Int) -> Int) -> [(Int, HouseholdColumns)] {
        guard strata > 1 else { return [(0, h)] }
        var rows: [[Int]] = Array(repeating: [], count: strata)
        for i in 0..<h.count { rows[stratum(h, i)].append(i) }
        return rows.enumerated().compactMap { s, r in
            r.isEmpty ? nil : (s, r.count == h.count ? h : h.subset(r))
        }
    }

    static func sortedByLine(_ log: ProblemLog) -> ProblemLog {
        var sorted = ProblemLog(limit: log.limit)
        for p in log.problems.sorted(by: DataProblem.lineOrder) { sorted.record(p) }
        sorted.countOmitted(log.omitted)
        return sorted
    }
}
