import Foundation
import TepatGenerator

/// A generated kabupaten in the temporary folder, named by this process and
/// `name`, for one test class to share (the class removes it in `tearDown`).
/// The survey: `survey` households, `perVillage` in each survey village.
func generatedKabupaten(_ name: String, households: Int, villages: Int, seed: UInt64, survey: Int,
                        perVillage: Int = SurveySample.defaultPerVillage) -> String {
    let dir = NSTemporaryDirectory() + "tepat-\(name)-\(getpid())"
    var options = GeneratorOptions()
    options.households = households
    options.villages = villages
    options.seed = seed
    options.surveyVillages = survey / perVillage
    options.surveyPerVillage = perVillage
    _ = try! KabupatenGenerator(options: options).write(to: dir)
    return dir
}
