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
