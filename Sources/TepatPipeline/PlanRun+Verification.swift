import TepatData
import TepatScoring
import TepatVerification

extension PlanRun {
    /// The verification list and, with truth.csv, how often it is right.
    struct Verification {
        var list: VerificationList
        var registryDesil: [Int32]
        var accuracy: VerificationAccuracy?
    }

    /// Builds the list when households.csv has a desil column; says in the
    /// notes why there is none when it has one but the list cannot be made.
    func verify(_ scored: inout Scored, clock: StageClock) throws {
        guard scored.data.households.has("desil") || (scored.streamed != nil && streamedHasDesil(scored.data)) else { return }
        guard scored.streamed == nil else {
            scored.notes.append("note: --stream leaves out verification.csv: the list weighs every household's registry desil against its prediction in memory")
            return
        }
        try begin("verification")
        let desil = scored.data.households.integers("desil")
        do {
            let households = scored.data.households
            let verified = households.has("verifikasi") ? households.integers("verifikasi").map { $0 >= 0 } : nil
            let list = try VerificationList.build(result: scored.result, registryDesil: desil, verified: verified, options: verification)
            let accuracy = scored.data.truth.map {
                VerificationAccuracy.measure(list, truth: $0, registry: scored.result.registry, registryDesil: desil)
            }
            scored.verification = Verification(list: list, registryDesil: desil, accuracy: accuracy)
        } catch {
            scored.notes.append("note: no verification.csv: \(error)")
        }
        clock.lap("verification")
    }

    /// Whether a streamed run's households.csv has a desil column (its header).
    private func streamedHasDesil(_ data: DataSet) -> Bool {
        guard let reader = try? CSVReader(path: inputPath(Schemas.households.fileName, data)) else { return false }
        return reader.header.map { $0.trimmingCharacters(in: .whitespaces) }.contains("desil")
    }
}
