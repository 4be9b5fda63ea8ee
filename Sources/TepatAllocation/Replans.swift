import Foundation
import TepatData
import TepatScoring

/// The re-plans behind `p_funded`: under each of the first
/// `Settings.replans` replicates, a plan made anew (the floors, then the
/// greedy rule) on candidates drawn from a reference plan's reach, and one
/// more at the estimates. Nothing here waits for the optimal plan, so a run
/// starts them before the solve and they take the core that Clp, which
/// solves on one, leaves idle (`start`); `finish` then does what no thread
/// has taken and waits for the rest. Which thread makes a re-plan changes
/// nothing in it, so the outcome is the same on any number of threads.
public final class Replans: @unchecked Sendable {
    public struct Outcome: Sendable {
        /// Per replicate re-planned, the villages its re-plan funds.
        public var funded: [[Bool]]
        /// The villages the re-plan at the estimates funds.
        public var atEstimates: [Bool]
    }

    private let problem: FundAllocationProblem
    private let replanned: Int
    private let prepare: @Sendable () throws -> Prepared
    private let condition = NSCondition()
    private var prepared: Result<Prepared, Error>?
    private var preparing = false
    private var next = 0
    private var running = 0
    private var results: [[Bool]?]
    private var cancelled = false

    /// What every re-plan starts from: the candidates and their draws.
    private struct Prepared {
        var candidates: PlanRobustness.Candidates
        var draws: ReplicatePredictor.Predictions
    }

    /// - Parameter reference: the plan whose reach sizes the candidates
    ///   (`PlanRobustness.Candidates`), asked for once, by the first thread
    ///   to work.
    public init(problem p: FundAllocationProblem, replicates: Int, settings: PlanRobustness.Settings = .init(),
                reference: @escaping @Sendable () -> [FundAllocation.Beneficiary], predict: @escaping PlanRobustness.Predict) {
        problem = p
        let replanned = min(replicates, settings.replans)
        self.replanned = replanned
        results = Array(repeating: nil, count: replanned + 1)
        prepare = {
            let candidates = PlanRobustness.Candidates(p, reach: reference(), settings: settings)
            return Prepared(candidates: candidates, draws: try predict(candidates.households, 0..<replanned))
        }
    }

    /// The reference a run uses: the re-plans' own rule
    /// (`FundAllocationProblem.replan`) at the estimates over every
    /// household. It funds nearly the villages the optimum funds, and needs
    /// no solve.
    public static func ruleAtEstimates(_ p: FundAllocationProblem) -> [FundAllocation.Beneficiary] {
        p.replan().beneficiaries
    }

    /// Starts working on a thread of its own, beside the caller.
    public func start() {
        Thread.detachNewThread { [self] in work() }
    }

    /// No more re-plans are begun (the run failed or was stopped); `finish`
    /// still waits for those under way.
    public func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// Every re-plan, made here where no thread has taken it.
    public func finish() throws -> Outcome {
        work()
        condition.lock()
        defer { condition.unlock() }
        while cancelled ? running > 0 : results.contains(where: { $0 == nil }) && (try? prepared?.get()) != nil { condition.wait() }
        if case .failure(let error)? = prepared { throw error }
        guard !cancelled else { throw CancellationError() }
        var funded = results.map { $0! }
        let atEstimates = funded.removeLast()
        return Outcome(funded: funded, atEstimates: atEstimates)
    }

    /// Re-plans until none is left to take; the first thread here prepares
    /// the candidates and their draws while any other waits for them.
    private func work() {
        guard let ready = preparedOrWait() else { return }
        while let b = take() {
            let outcomes = b < replanned ? problem.households.under(ready.draws, replicate: b, of: ready.candidates.households)
                : problem.households.restricted(to: ready.candidates.households)
            let funded = PlanRobustness.funded(problem, outcomes: outcomes, candidates: ready.candidates)
            condition.lock()
            results[b] = funded
            running -= 1
            condition.broadcast()
            condition.unlock()
        }
    }

    private func preparedOrWait() -> Prepared? {
        condition.lock()
        if cancelled && prepared == nil && !preparing {
            condition.unlock()
            return nil
        }
        if prepared == nil && !preparing {
            preparing = true
            condition.unlock()
            let made = Result { try prepare() }
            condition.lock()
            prepared = made
            condition.broadcast()
        }
        while prepared == nil { condition.wait() }
        defer { condition.unlock() }
        return try? prepared?.get()
    }

    /// The next re-plan nobody has begun: the replicates' in order, then the
    /// one at the estimates (index `replanned`).
    private func take() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        guard !cancelled, next < results.count else { return nil }
        next += 1
        running += 1
        return next - 1
    }
}
