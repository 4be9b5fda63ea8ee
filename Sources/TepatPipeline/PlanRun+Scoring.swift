import Foundation
import TepatData
import TepatScoring

extension PlanRun {
    /// What the read and scoring stages hand on.
    struct Scored {
        var data: DataSet
        var result: ScoringResult
        /// The streamed pass's spill of scored households, when streamed.
        var streamed: StreamingScorer.Output?
        var notes: [String] = []
        var verification: Verification? = nil
        var boundaries: VillageBoundaries? = nil
    }

    /// Reads DATA_DIR and scores it, in memory or streamed, with the frame
    /// checks' warnings among the notes.
    func score(workDirectory: String?, clock: StageClock) throws -> Scored {
        var scored = try readAndScore(workDirectory: workDirectory, clock: clock)
        scored.notes += Self.frameWarnings(scored.result)
        if let boundaries {
            let read = try VillageBoundaries.read(path: boundaries)
            let drawn = scored.result.villages.codes.filter { read.polygons[$0.value] != nil }.count
            if drawn < scored.result.villages.count {
                scored.notes.append("note: \(read.file) has polygons for \(drawn) of the \(scored.result.villages.count) villages; the others are points where villages.csv has lat/lon")
            }
            scored.boundaries = read
        }
        try verify(&scored, clock: clock)
        return scored
    }

    /// Registry persons far from villages.csv's population, and covariates
    /// whose survey and registry means differ by more than a quarter of a
    /// standard deviation.
    static func frameWarnings(_ r: ScoringResult) -> [String] {
        var warnings: [String] = []
        if let c = RegistryCoverage(persons: r.measures.persons, population: r.villages.population) {
            let share = String(format: "%.0f%%", 100 * c.share)
            if c.share < 0.9 {
                warnings.append("warning: households.csv holds \(share) of the persons villages.csv counts in its \(c.villagesWithPopulation) villages with a population (\(c.villagesUnderHalf) under half): a registry of the poorer part of each village (DTKS, P3KE) scored by a model fitted on a survey of everyone gives biased estimates; see summary.json frame")
            } else if c.share > 1.05 {
                warnings.append("warning: households.csv holds more persons (\(share)) than villages.csv's population; check that both describe the same year and area")
            }
        }
        for model in r.models {
            let gaps = model.balance.filter { abs($0.standardisedDifference) > CovariateBalance.warningDifference }
            guard !gaps.isEmpty else { continue }
            let named = gaps.prefix(3).map { String(format: "%@ (survey %.3g, registry %.3g)", $0.term, $0.surveyMean, $0.registryMean) }
            let label = r.models.count > 1 ? " (\(model.name))" : ""
            warnings.append("warning: the survey and households.csv differ by more than a quarter of a standard deviation in \(gaps.count) of the model's covariates\(label): \(named.joined(separator: ", ")). A model fitted on the survey and applied to a registry unlike it can be biased; check that both cover the same population (summary.json frame)")
        }
        return warnings
    }

    private func readAndScore(workDirectory: String?, clock: StageClock) throws -> Scored {
        try begin("read")
        guard let workDirectory else {
            let data = try DataDirectory.load(dataDirectory, paths: filePaths, codebook: codebook, onError: onError)
            clock.lap("read")
            try begin("score")
            return Scored(data: data, result: try Scorer.score(data, options: options, clock: clock))
        }
        let (data, streamed) = try readStreaming(workDirectory: workDirectory, clock: clock)
        var scored = Scored(data: data, result: streamed.result, streamed: streamed)
        if DataDirectory.existingSource(of: Schemas.truth.fileName, in: dataDirectory, paths: filePaths) != nil {
            scored.notes.append("note: --stream leaves out the accuracy against truth.csv: it needs every household's score in memory")
        }
        if allocate && data.funders != nil && data.programs != nil {
            scored.notes.append("note: --stream does not allocate funds: the allocation needs every household's poverty probability in memory; run it per kabupaten without --stream")
        }
        return scored
    }

    /// Where a CSV reader reads an input file from: its conversion when it was
    /// a workbook, else the scenario's path, else DATA_DIR.
    func inputPath(_ name: String, _ data: DataSet) -> String {
        data.workbooks.csvPath(of: name) ?? filePaths[name] ?? (dataDirectory as NSString).appendingPathComponent(name)
    }

    /// The small files as usual, then households.csv chunk by chunk.
    private func readStreaming(workDirectory: String, clock: StageClock) throws -> (DataSet, StreamingScorer.Output) {
        var data = try DataDirectory.load(dataDirectory, paths: filePaths, codebook: codebook, onError: onError, readHouseholds: false)
        guard let villages = data.villages else { throw StreamingError.needsVillages }
        guard let survey = data.survey else { throw StreamingError.needsSurvey }
        let fm = FileManager.default
        try? fm.removeItem(atPath: workDirectory)
        try fm.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
        let name = Schemas.households.fileName
        let path = inputPath(name, data)
        var input = StreamingScorer.Input(householdsPath: path, villages: villages, survey: survey, codebook: codebook,
                                          onError: onError, workDirectory: workDirectory)
        input.readRows = streamReadRows
        let output: StreamingScorer.Output
        do {
            output = try StreamingScorer.score(input, options: options, clock: clock, onStage: onStage, onProgress: onProgress)
        } catch let errors as DataErrors {
            throw data.workbooks.relocate(errors)
        }
        data.problems.record(contentsOf: data.workbooks.relocate(output.problems))
        let position = data.files.firstIndex { $0.name == Schemas.villages.fileName }.map { $0 + 1 } ?? 0
        let source = data.workbooks.source(of: name) ?? path
        data.files.insert(LoadedFile(name: name, path: source, rows: output.result.householdCount, rejected: output.rejected), at: position)
        return (data, output)
    }
}
