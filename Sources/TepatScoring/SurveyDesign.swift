import Foundation
import TepatData

/// The survey sample as every estimator takes it: each household's columns
/// (with its village and stratum), the response ln consumption per capita, and
/// its expansion weight. Built once from survey.csv and handed whole to the
/// PMT, the small-area fit and the strata split (as R's survey package hands
/// one design object to every estimator), so no estimator can pair a household
/// with another's weight or response.
struct SurveyDesign {
    let households: HouseholdColumns
    /// ln consumption_pc.
    let response: [Double]
    /// Expansion weights (1 where survey.csv has none).
    let weights: [Double]

    init(_ survey: Table, villageIndex: [Int64: Int32]) {
        households = HouseholdColumns(survey, villageIndex: villageIndex)
        response = survey.numbers("consumption_pc").map { log($0) }
        weights = survey.numbers("weight")
    }

    private init(households: HouseholdColumns, response: [Double], weights: [Double]) {
        self.households = households
        self.response = response
        self.weights = weights
    }

    var count: Int { households.count }
    /// Village (index into the run's villages) of each household.
    var village: [Int32] { households.village }

    /// The households of one stratum (nil: all), as a design of their own.
    func stratum(urban: Bool?) -> SurveyDesign {
        guard let urban else { return self }
        let rows = (0..<count).filter { households.isUrban[$0] == urban }
        return SurveyDesign(households: households.subset(rows), response: rows.map { response[$0] }, weights: rows.map { weights[$0] })
    }
}
