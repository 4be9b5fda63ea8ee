import Foundation

/// Plain-text summaries of fitted models, as statsmodels' `summary()`: what a
/// reviewer reads first, in a terminal or a notebook.
extension WLSResults {
    /// n, rank, R², σ and one line per term: estimate, classical and HC1
    /// standard errors.
    public func summary() -> String {
        var lines = [String(format: "Weighted least squares: n = %d, p = %d, rank %d, R² %.4f (adjusted %.4f), σ %.4f, condition number %.3g",
                            n, p, rank, r2, adjustedR2, sigma, conditionNumber)]
        if !dropped.isEmpty { lines.append("dropped (dependent on other terms): " + dropped.joined(separator: ", ")) }
        let width = max(4, termNames.map(\.count).max() ?? 0)
        lines.append("term".padding(toLength: width, withPad: " ", startingAt: 0) + "      estimate            se        se_hc1")
        for (j, name) in termNames.enumerated() {
            lines.append(name.padding(toLength: width, withPad: " ", startingAt: 0)
                         + String(format: " %13.6g %13.6g %13.6g", coefficients[j], standardErrors[j], standardErrorsHC1[j]))
        }
        return lines.joined(separator: "\n")
    }
}

extension NestedErrorFit {
    /// The variance components, their ratio's uncertainty and the survey's reach.
    public func summary() -> String {
        var text = String(format: "Nested-error model (REML): σ²_η %.5g, σ²_ε %.5g, σ²_η/σ²_ε %.4g (se of its log %.3g); %d survey villages",
                          sigma2Eta, sigma2Eps, sigma2Eta / sigma2Eps, logLambdaSE, surveyVillages)
        if let ridge { text += String(format: "; ridge λ %.4g (cross-validated RMSE %.4f, unshrunk %.4f)", ridge.lambda, ridge.cvRMSE, ridge.unpenalizedCVRMSE) }
        return text
    }
}
